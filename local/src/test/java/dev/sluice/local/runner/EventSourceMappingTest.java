package dev.sluice.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.events.SqsBatchResponse;
import dev.sluice.json.Json;
import dev.sluice.local.sqs.EmbeddedSqs;
import dev.sluice.queue.QueueDepth;
import dev.sluice.testsupport.AwsEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local event source mapping honours what Lambda's does: batch size, the exact event JSON,
 * deletion of all but the reported failures, and redrive to the DLQ after maxReceiveCount.
 */
class EventSourceMappingTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

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
  void mapping_passesTheExactLambdaEventJsonInBatchesOfAtMostBatchSize() {
    String queue = queueWithDeadLetter(3, Duration.ofSeconds(1))[0];
    for (int i = 0; i < 5; i++) {
      send(queue, "message " + i);
    }
    List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());

    try (var mapping = new EventSourceMapping(sqs, queue, "fn", recording(events, null), 2)) {
      await().atMost(PATIENCE).until(() -> records(events) == 5);
    }

    assertThat(events).allSatisfy(event -> assertThat(event.get("Records").size()).isLessThan(3));
    JsonNode record = events.get(0).get("Records").get(0);
    assertThat(record.get("eventSource").asText()).isEqualTo("aws:sqs");
    assertThat(record.get("eventSourceARN").asText()).startsWith("arn:aws:sqs:");
    assertThat(record.at("/attributes/ApproximateReceiveCount").asText()).isEqualTo("1");
    assertThat(record.at("/messageAttributes/sluice-integration/stringValue").asText())
        .isEqualTo("test");
    assertThat(record.at("/messageAttributes/sluice-integration/dataType").asText())
        .isEqualTo("String");
    assertThat(QueueDepth.of(sqs, queue)).isZero();
  }

  @Test
  void mapping_whenHandlerReportsOneFailure_deletesTheOthersAndRetriesItAfterVisibility() {
    String queue = queueWithDeadLetter(5, Duration.ofSeconds(1))[0];
    send(queue, "good");
    send(queue, "bad");
    List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());

    try (var mapping = new EventSourceMapping(sqs, queue, "fn", recording(events, "bad"), 10)) {
      await().atMost(PATIENCE).until(() -> receiveCounts(events, "bad").contains("2"));

      assertThat(receiveCounts(events, "good")).containsExactly("1");
    }
  }

  @Test
  void mapping_whenHandlerAlwaysThrows_queueRedrivesToTheDeadLetterQueueWithAttributes() {
    String[] queues = queueWithDeadLetter(2, Duration.ofSeconds(1));
    send(queues[0], "poison");
    RequestStreamHandler failing =
        (in, out, context) -> {
          throw new IllegalStateException("handler defect");
        };

    try (var mapping = new EventSourceMapping(sqs, queues[0], "fn", failing, 10)) {
      await().atMost(PATIENCE).until(() -> QueueDepth.of(sqs, queues[1]) == 1);
    }

    Message dead =
        sqs.receiveMessage(r -> r.queueUrl(queues[1]).messageAttributeNames("All"))
            .messages()
            .get(0);
    assertThat(dead.body()).isEqualTo("poison");
    assertThat(dead.messageAttributes().get("sluice-integration").stringValue()).isEqualTo("test");
    assertThat(QueueDepth.of(sqs, queues[0])).isZero();
  }

  /** A handler that records each event and reports the records with the given body as failed. */
  private static RequestStreamHandler recording(List<JsonNode> events, String failingBody) {
    return (in, out, context) -> {
      JsonNode event = Json.mapper().readTree(in);
      events.add(event);
      List<String> failed = new ArrayList<>();
      event
          .get("Records")
          .forEach(
              record -> {
                if (record.get("body").asText().equals(failingBody)) {
                  failed.add(record.get("messageId").asText());
                }
              });
      Json.mapper().writeValue(out, SqsBatchResponse.failing(failed));
    };
  }

  private static int records(List<JsonNode> events) {
    synchronized (events) {
      return events.stream().mapToInt(event -> event.get("Records").size()).sum();
    }
  }

  private static List<String> receiveCounts(List<JsonNode> events, String body) {
    List<String> counts = new ArrayList<>();
    synchronized (events) {
      for (JsonNode event : events) {
        event
            .get("Records")
            .forEach(
                record -> {
                  if (record.get("body").asText().equals(body)) {
                    counts.add(record.at("/attributes/ApproximateReceiveCount").asText());
                  }
                });
      }
    }
    return counts;
  }

  /** A queue and its DLQ, created DLQ first; returns {queue URL, DLQ URL}. */
  private static String[] queueWithDeadLetter(int maxReceiveCount, Duration visibility) {
    String name = "q-" + UUID.randomUUID().toString().substring(0, 8);
    String dlq = sqs.createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
    String dlqArn =
        sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String queue =
        sqs.createQueue(
                r ->
                    r.queueName(name)
                        .attributes(
                            Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                String.valueOf(visibility.toSeconds()),
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\""
                                    + dlqArn
                                    + "\",\"maxReceiveCount\":\""
                                    + maxReceiveCount
                                    + "\"}")))
            .queueUrl();
    return new String[] {queue, dlq};
  }

  private static void send(String queue, String body) {
    sqs.sendMessage(
        r ->
            r.queueUrl(queue)
                .messageBody(body)
                .messageAttributes(
                    Map.of(
                        "sluice-integration",
                        MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue("test")
                            .build())));
  }
}
