package dev.sluice.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.events.SqsBatchResponse;
import dev.sluice.events.SqsEvent;
import dev.sluice.json.Json;
import dev.sluice.local.runner.EventSourceMapping;
import dev.sluice.queue.QueueDepth;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import dev.sluice.testsupport.AwsEmulator;
import dev.sluice.testsupport.AwsEmulatorExtension;
import dev.sluice.testsupport.QueueMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The transform step between queues of a running emulator, driven as Lambda drives it: what is
 * deleted, what comes back after the visibility timeout, what SQS redrives to the dead-letter
 * queue, and how a FIFO message group stops at its first failure.
 */
@ExtendWith(AwsEmulatorExtension.class)
class TransformHandlerEmulatorTest {

  private static final String INTEGRATION = "stripe-invoice-to-accounting";
  private static final int MAX_RECEIVE_COUNT = 3;
  private static final Duration VISIBILITY = Duration.ofSeconds(1);
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static SqsClient sqs;
  private static QueueSender sender;
  private static JsonNode stripeEvent;

  private String suffix;
  private String quarantine;

  @BeforeAll
  static void connect(AwsEmulator aws) throws Exception {
    sqs = aws.sqs();
    sender = new QueueSender(sqs);
    stripeEvent =
        Json.mapper()
            .readTree(Files.readAllBytes(Path.of("..", "events", "stripe", "invoice-paid.json")));
  }

  @AfterAll
  static void disconnect() {
    sqs.close();
  }

  @BeforeEach
  void createQuarantine() {
    suffix = UUID.randomUUID().toString().substring(0, 8);
    quarantine = sqs.createQueue(r -> r.queueName("quarantine-" + suffix)).queueUrl();
  }

  @Test
  void transform_whenBatchMixesValidAndBadRecords_deletesEveryRecordItSettled() {
    String ingest = consumerQueue("ingest-" + suffix, false);
    String deliver = sqs.createQueue(r -> r.queueName("deliver-" + suffix)).queueUrl();
    Envelope valid = envelope(stripeEvent, "corr-valid");
    Envelope invalid = envelope(withoutLines(), "corr-invalid");
    sender.send(ingest, valid, Map.of());
    sender.send(ingest, invalid, Map.of());
    sender.sendRaw(ingest, "not an envelope", Map.of());

    try (EventSourceMapping mapping = mapping(ingest, deliver)) {
      await().atMost(PATIENCE).until(() -> QueueDepth.of(sqs, ingest) == 0);
    }

    assertThat(QueueMessages.drain(sqs, deliver))
        .singleElement()
        .satisfies(
            m ->
                assertThat(attribute(m, MessageAttributes.CORRELATION_ID)).isEqualTo("corr-valid"));
    assertThat(QueueMessages.drain(sqs, quarantine))
        .extracting(m -> attribute(m, MessageAttributes.STAGE))
        .containsExactly("transform", "transform");
  }

  @Test
  void transform_whenWriteFails_recordComesBackOnlyAfterTheVisibilityTimeout() {
    String ingest = consumerQueue("ingest-" + suffix, false);
    String missingDeliver = ingest.replace("ingest-", "missing-");
    sender.send(ingest, envelope(stripeEvent, "corr-retry"), Map.of());
    sender.sendRaw(ingest, "not an envelope", Map.of());
    List<Message> first = receive(ingest);
    assertThat(first).hasSize(2);

    SqsBatchResponse response = invoke(handler(missingDeliver), first, ingest);

    assertThat(response.batchItemFailures()).hasSize(1);
    String failed = response.batchItemFailures().get(0).itemIdentifier();
    // Not visible during the visibility timeout, visible again after it, with one more receive.
    assertThat(receive(ingest)).isEmpty();
    List<Message> again = new ArrayList<>();
    await().atMost(PATIENCE).until(() -> again.addAll(receive(ingest)));
    assertThat(again)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.messageId()).isEqualTo(failed);
              assertThat(m.attributes())
                  .containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
            });
    assertThat(QueueMessages.drain(sqs, quarantine))
        .extracting(Message::body)
        .containsExactly("not an envelope");
  }

  @Test
  void transform_whenWriteKeepsFailing_sqsRedrivesTheRecordWithItsAttributesIntact() {
    String ingest = consumerQueue("ingest-" + suffix, false);
    String deadLetter = ingest.replace("ingest-", "ingest-dlq-");
    Envelope envelope = envelope(stripeEvent, "corr-redrive");
    String body = EnvelopeCodec.write(envelope);
    sender.send(ingest, envelope, Map.of());

    try (EventSourceMapping mapping = mapping(ingest, ingest.replace("ingest-", "missing-"))) {
      await().atMost(PATIENCE).until(() -> QueueDepth.of(sqs, deadLetter) == 1);
      assertThat(mapping.invocations()).isGreaterThanOrEqualTo(MAX_RECEIVE_COUNT);
    }

    Message parked = QueueMessages.drain(sqs, deadLetter).get(0);
    assertThat(parked.body()).isEqualTo(body);
    assertThat(parked.messageAttributes())
        .extractingFromEntries(Map.Entry::getKey, e -> e.getValue().stringValue())
        .contains(
            tuple(MessageAttributes.INTEGRATION, INTEGRATION),
            tuple(MessageAttributes.MESSAGE_ID, envelope.messageId()),
            tuple(MessageAttributes.CORRELATION_ID, envelope.correlationId()),
            tuple(MessageAttributes.IDEMPOTENCY_KEY, envelope.idempotencyKey()));
    assertThat(QueueDepth.of(sqs, ingest)).isZero();
  }

  @Test
  void transform_whenFifoGroupRecordFails_laterRecordsOfItsGroupStayWhileOtherGroupsGoOn() {
    String ingest = consumerQueue("ingest-" + suffix + ".fifo", true);
    String missingDeliver = ingest.replace("ingest-", "missing-");
    sendToGroup(ingest, "a", EnvelopeCodec.write(envelope(stripeEvent, "corr-a1")));
    sendToGroup(ingest, "a", "a2 not an envelope");
    sendToGroup(ingest, "b", "b1 not an envelope");
    List<Message> batch = receive(ingest);
    assertThat(batch).hasSize(3);

    SqsBatchResponse response = invoke(handler(missingDeliver), batch, ingest);

    Map<String, String> groupOfId =
        batch.stream()
            .collect(
                Collectors.toMap(
                    Message::messageId,
                    m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)));
    assertThat(response.batchItemFailures())
        .extracting(f -> groupOfId.get(f.itemIdentifier()))
        .containsExactly("a", "a");
    // a2 was not quarantined: it waits, in order, behind a1.
    assertThat(QueueMessages.drain(sqs, quarantine))
        .extracting(Message::body)
        .containsExactly("b1 not an envelope");
    assertThat(QueueDepth.of(sqs, ingest)).isEqualTo(2);
  }

  @Test
  void transform_whenTheSameRecordIsTransformedTwice_fifoDeliverQueueHoldsItOnce() {
    String ingest = consumerQueue("ingest-" + suffix, false);
    String deliver = fifoQueue("deliver-" + suffix + ".fifo");
    sender.send(ingest, envelope(stripeEvent, "corr-twice"), Map.of());
    List<Message> batch = receive(ingest);

    // As after a delete that was lost: the same input is transformed again.
    invoke(handler(deliver), batch, null);
    invoke(handler(deliver), batch, null);

    assertThat(QueueMessages.drain(sqs, deliver))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.attributes())
                    .containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "corr-twice"));
  }

  private TransformHandler handler(String deliverQueue) {
    Settings settings =
        Settings.from(
            Map.of(
                Settings.INTEGRATION, INTEGRATION,
                Settings.DELIVER_QUEUE_URL, deliverQueue,
                Settings.QUARANTINE_QUEUE_URL, quarantine));
    return new TransformHandler(settings, DefinitionCatalog.classpath(), sender);
  }

  private EventSourceMapping mapping(String ingest, String deliverQueue) {
    return new EventSourceMapping(sqs, ingest, "transform-" + suffix, handler(deliverQueue), 10);
  }

  /**
   * One invocation with Lambda's semantics: the handler gets the batch, the records it did not
   * report are deleted, the reported ones are left to their visibility timeout.
   */
  private static SqsBatchResponse invoke(
      TransformHandler handler, List<Message> batch, String queue) {
    SqsBatchResponse response =
        handler.handle(new SqsEvent(batch.stream().map(m -> record(m)).toList()));

    if (queue != null) {
      Set<String> failed =
          response.batchItemFailures().stream()
              .map(SqsBatchResponse.BatchItemFailure::itemIdentifier)
              .collect(Collectors.toSet());
      batch.stream()
          .filter(m -> !failed.contains(m.messageId()))
          .forEach(m -> sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle())));
    }
    return response;
  }

  private static SqsEvent.Message record(Message message) {
    Map<String, SqsEvent.MessageAttribute> attributes = new HashMap<>();
    message
        .messageAttributes()
        .forEach(
            (name, value) ->
                attributes.put(
                    name, new SqsEvent.MessageAttribute(value.stringValue(), null, "String")));
    return new SqsEvent.Message(
        message.messageId(),
        message.receiptHandle(),
        message.body(),
        message.attributesAsStrings(),
        attributes,
        message.md5OfBody(),
        "aws:sqs",
        "arn:aws:sqs:us-east-1:123456789012:ingest",
        "us-east-1");
  }

  /** A queue with a dead-letter queue after {@link #MAX_RECEIVE_COUNT} receives, as the CDK app. */
  private static String consumerQueue(String name, boolean fifo) {
    String dlqName = name.replace("ingest-", "ingest-dlq-");
    String dlq = fifo ? fifoQueue(dlqName) : sqs.createQueue(r -> r.queueName(dlqName)).queueUrl();
    String dlqArn =
        sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);

    Map<QueueAttributeName, String> attributes = new HashMap<>();
    attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(VISIBILITY.toSeconds()));
    attributes.put(
        QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\""
            + dlqArn
            + "\",\"maxReceiveCount\":"
            + MAX_RECEIVE_COUNT
            + "}");
    if (fifo) {
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
      // Long enough that nothing comes back while a FIFO test looks at the group's state.
      attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, "30");
    }
    return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
  }

  private static String fifoQueue(String name) {
    return sqs.createQueue(
            r -> r.queueName(name).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
        .queueUrl();
  }

  private static void sendToGroup(String queue, String group, String body) {
    sqs.sendMessage(
        r ->
            r.queueUrl(queue)
                .messageBody(body)
                .messageGroupId(group)
                .messageDeduplicationId(UUID.randomUUID().toString())
                .messageAttributes(
                    Map.of(
                        MessageAttributes.INTEGRATION,
                        MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue(INTEGRATION)
                            .build())));
  }

  private static List<Message> receive(String queue) {
    return sqs.receiveMessage(
            r ->
                r.queueUrl(queue)
                    .maxNumberOfMessages(10)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All"))
        .messages();
  }

  private static String attribute(Message message, String name) {
    MessageAttributeValue value = message.messageAttributes().get(name);
    return value == null ? null : value.stringValue();
  }

  private static JsonNode withoutLines() {
    ObjectNode payload = stripeEvent.deepCopy();
    ((ObjectNode) payload.at("/data/object/lines")).putArray("data");
    return payload;
  }

  private static Envelope envelope(JsonNode payload, String correlationId) {
    return new Envelope(
        Envelope.SCHEMA_VERSION,
        INTEGRATION,
        UUID.randomUUID().toString(),
        correlationId,
        "evt_" + correlationId,
        "idem-" + correlationId,
        1,
        Instant.parse("2026-12-03T10:00:00Z"),
        payload);
  }
}
