package dev.sluice.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.json.Json;
import dev.sluice.local.sqs.EmbeddedSqs;
import dev.sluice.testsupport.AwsEmulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** What SQS confirmed is what counts as sent: checked against a real (embedded) queue. */
class QueueSenderQueueTest {

  private static EmbeddedSqs embeddedSqs;
  private static SqsClient sqs;

  @BeforeAll
  static void startSqs() {
    embeddedSqs = EmbeddedSqs.start();
    sqs = AwsEmulator.at(embeddedSqs.endpoint()).sqs();
  }

  @AfterAll
  static void stopSqs() {
    sqs.close();
    embeddedSqs.close();
  }

  @Test
  void sendBatch_whenSqsAnswers200WithAFailedEntry_reportsOnlyThatOneAsFailed() {
    // SQS's documented SendMessageBatch answer can be 200 with entries under "Failed"; no
    // emulator produces that on demand, so a stand-in serves the documented JSON shape.
    try (SqsStandIn standIn = SqsStandIn.answeringBatchWith("e1", "InternalError")) {
      Map<String, Envelope> envelopes = new LinkedHashMap<>();
      envelopes.put("first", envelope("fine"));
      envelopes.put("second", envelope("refused"));
      envelopes.put("third", envelope("also fine"));

      Map<String, String> failures =
          new QueueSender(standIn.client()).sendBatch(standIn.queueUrl(), envelopes, Map.of());

      assertThat(failures).containsOnlyKeys("second");
      assertThat(failures.get("second")).contains("InternalError").doesNotContain("refused\"");
    }
  }

  @Test
  void sendBatch_whenEndpointRejectsTheRequest_failsEveryEntryWithoutQuotingTheBody() {
    String queue = sqs.createQueue(r -> r.queueName("batch-" + UUID.randomUUID())).queueUrl();
    Map<String, Envelope> envelopes = new LinkedHashMap<>();
    envelopes.put("good", envelope("fine"));
    // U+FFFF is outside what SQS accepts; the embedded SQS refuses the whole request.
    envelopes.put("bad", envelope("payload-value-\uFFFF"));

    Map<String, String> failures = new QueueSender(sqs).sendBatch(queue, envelopes, Map.of());

    assertThat(failures).containsOnlyKeys("good", "bad");
    assertThat(failures.values())
        .allSatisfy(reason -> assertThat(reason).doesNotContain("payload-value"));
  }

  @Test
  void sendBatch_whenMoreThanTenEnvelopes_sendsThemAllInSeveralBatches() {
    String queue = sqs.createQueue(r -> r.queueName("many-" + UUID.randomUUID())).queueUrl();
    Map<String, Envelope> envelopes = new LinkedHashMap<>();
    for (int i = 0; i < 23; i++) {
      envelopes.put("k" + i, envelope("n" + i));
    }

    Map<String, String> failures = new QueueSender(sqs).sendBatch(queue, envelopes, Map.of());

    assertThat(failures).isEmpty();
    assertThat(receiveAll(queue)).hasSize(23);
  }

  @Test
  void send_whenEmojiPayloadExceedsTheLimitInBytes_refusesBeforeSqsDoes() {
    String queue = sqs.createQueue(r -> r.queueName("size-" + UUID.randomUUID())).queueUrl();
    // 70,000 emoji are 140,000 UTF-16 characters but 280,000 UTF-8 bytes.
    Envelope big = envelope("\uD83D\uDE80".repeat(70_000));

    assertThat(QueueSender.fits(big)).isFalse();
    assertThatThrownBy(() -> new QueueSender(sqs).send(queue, big, Map.of()))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("bytes");
    assertThat(receiveAll(queue)).isEmpty();
  }

  @Test
  void send_whenQueueMissing_throwsQueueWriteExceptionNamingTheQueue() {
    String missing = embeddedSqs.endpoint() + "/000000000000/no-such-queue";

    assertThatThrownBy(() -> new QueueSender(sqs).send(missing, envelope("x"), Map.of()))
        .isInstanceOf(QueueWriteException.class)
        .hasMessageContaining("no-such-queue");
  }

  private static Envelope envelope(String text) {
    return new Envelope(
        Envelope.SCHEMA_VERSION,
        "test",
        UUID.randomUUID().toString(),
        "c",
        "evt",
        "k",
        1,
        Instant.EPOCH,
        Json.mapper().createObjectNode().put("text", text));
  }

  private static List<Message> receiveAll(String queue) {
    List<Message> all = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      all.addAll(
          sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0))
              .messages());
    }
    all.forEach(message -> EnvelopeCodec.read(message.body()));
    return all;
  }
}
