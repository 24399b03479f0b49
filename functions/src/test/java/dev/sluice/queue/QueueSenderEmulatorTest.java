package dev.sluice.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.testsupport.AwsEmulator;
import dev.sluice.testsupport.AwsEmulatorExtension;
import dev.sluice.testsupport.QueueMessages;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What QueueSender puts on standard and FIFO queues of a running emulator. */
@ExtendWith(AwsEmulatorExtension.class)
class QueueSenderEmulatorTest {

  private static SqsClient sqs;
  private static QueueSender sender;

  @BeforeAll
  static void connect(AwsEmulator aws) {
    sqs = aws.sqs();
    sender = new QueueSender(sqs);
  }

  @AfterAll
  static void disconnect() {
    sqs.close();
  }

  @Test
  void send_whenQueueIsFifo_groupsByCorrelationAndDeduplicatesOnIdempotencyKey() {
    String queue = fifoQueue();
    Envelope first = envelope("corr-1", "idem-1");
    Envelope redelivered = envelope("corr-2", "idem-1");

    sender.send(queue, first, Map.of());
    sender.send(queue, redelivered, Map.of());

    // moto de-duplicates only against messages still in the queue (AWS: a 5-minute window);
    // both sends happen while the first message is there, so both behave alike here.
    List<Message> messages = QueueMessages.drain(sqs, queue);
    assertThat(messages).hasSize(1);
    Message message = messages.get(0);
    assertThat(EnvelopeCodec.read(message.body()).messageId()).isEqualTo(first.messageId());
    assertThat(message.attributes())
        .containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "corr-1")
        .containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, "idem-1");
  }

  @Test
  void send_whenParkingOnAFifoQueue_neverDropsTheRecordAsADuplicate() {
    String queue = fifoQueue();
    Envelope envelope = envelope("corr-1", "idem-1");
    Map<String, String> reason =
        Map.of(MessageAttributes.REASON, "target answered 500", MessageAttributes.STAGE, "x");

    sender.send(queue, envelope, reason);
    sender.send(queue, envelope, reason);

    assertThat(QueueMessages.drain(sqs, queue)).hasSize(2);
  }

  @Test
  void sendBatch_whenQueueIsFifo_keepsTheOrderWithinAGroup() {
    String queue = fifoQueue();
    Map<String, Envelope> batch = new LinkedHashMap<>();
    for (int i = 1; i <= 3; i++) {
      batch.put("in-" + i, envelope("corr-batch", "idem-" + i));
    }

    Map<String, String> failures = sender.sendBatch(queue, batch, Map.of());

    assertThat(failures).isEmpty();
    assertThat(QueueMessages.drain(sqs, queue))
        .extracting(message -> EnvelopeCodec.read(message.body()).idempotencyKey())
        .containsExactly("idem-1", "idem-2", "idem-3");
  }

  @Test
  void sendRaw_whenQueueIsFifo_groupsByIntegrationAndKeepsTheBody() {
    String queue = fifoQueue();

    sender.sendRaw(queue, "not an envelope", Map.of(MessageAttributes.INTEGRATION, "demo"));
    sender.sendRaw(queue, "not an envelope", Map.of(MessageAttributes.INTEGRATION, "demo"));

    List<Message> messages = QueueMessages.drain(sqs, queue);
    assertThat(messages).hasSize(2).allMatch(m -> m.body().equals("not an envelope"));
    assertThat(messages.get(0).attributes())
        .containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "demo");
  }

  @Test
  void send_whenQueueIsStandard_setsNoGroup() {
    String queue = sqs.createQueue(r -> r.queueName("standard-" + UUID.randomUUID())).queueUrl();

    sender.send(queue, envelope("corr-1", "idem-1"), Map.of());
    sender.send(queue, envelope("corr-1", "idem-1"), Map.of());

    List<Message> messages = QueueMessages.drain(sqs, queue);
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).attributes())
        .doesNotContainKey(MessageSystemAttributeName.MESSAGE_GROUP_ID);
  }

  private static String fifoQueue() {
    return sqs.createQueue(
            r ->
                r.queueName("sender-" + UUID.randomUUID() + ".fifo")
                    .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
        .queueUrl();
  }

  private static Envelope envelope(String correlationId, String idempotencyKey) {
    return new Envelope(
        Envelope.SCHEMA_VERSION,
        "demo",
        UUID.randomUUID().toString(),
        correlationId,
        "evt_" + idempotencyKey,
        idempotencyKey,
        1,
        Instant.parse("2026-12-03T10:00:00Z"),
        JsonNodeFactory.instance.objectNode().put("id", idempotencyKey));
  }
}
