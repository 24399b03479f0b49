package dev.sluice.transform;

import static org.assertj.core.api.Assertions.assertThat;
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
import dev.sluice.local.sqs.EmbeddedSqs;
import dev.sluice.queue.QueueDepth;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import dev.sluice.testsupport.AwsEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The transform handler against a real (embedded ElasticMQ) SQS: what lands on which queue. */
class TransformHandlerQueueTest {

  private static final String INTEGRATION = "stripe-invoice-to-accounting";
  private static final String CANARY = "canary-3c9e71";
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private static EmbeddedSqs embeddedSqs;
  private static SqsClient sqs;
  private static JsonNode stripeEvent;

  private String deliverQueueUrl;
  private String quarantineQueueUrl;

  @BeforeAll
  static void startSqs() {
    embeddedSqs = EmbeddedSqs.start();
    sqs = AwsEmulator.at(embeddedSqs.endpoint()).sqs();
    stripeEvent = fixture("stripe-invoice-paid-api-2020-03-02.json");
  }

  @AfterAll
  static void stopSqs() {
    sqs.close();
    embeddedSqs.close();
  }

  @BeforeEach
  void createQueues() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    deliverQueueUrl = sqs.createQueue(r -> r.queueName("deliver-" + suffix)).queueUrl();
    quarantineQueueUrl = sqs.createQueue(r -> r.queueName("quarantine-" + suffix)).queueUrl();
  }

  @Test
  void transform_whenRecordIsValid_deliversMappedEnvelopeWithRoutingAttributes() {
    Envelope input = envelope(stripeEvent);
    SqsEvent.Message record = record(EnvelopeCodec.write(input), null, 2);

    SqsBatchResponse response = handler(deliverQueueUrl).handle(new SqsEvent(List.of(record)));

    assertThat(response.batchItemFailures()).isEmpty();
    Message delivered = receiveOne(deliverQueueUrl);
    Envelope output = EnvelopeCodec.read(delivered.body());
    assertThat(output.messageId()).isNotEqualTo(input.messageId());
    assertThat(output.correlationId()).isEqualTo(input.correlationId());
    assertThat(output.idempotencyKey()).isEqualTo(input.idempotencyKey());
    assertThat(output.attempt()).isEqualTo(2);
    assertThat(output.payload().at("/Invoices/0/LineItems/0/LineAmount").decimalValue())
        .isEqualByComparingTo("108.00");
    assertThat(attribute(delivered, MessageAttributes.INTEGRATION)).isEqualTo(INTEGRATION);
    assertThat(attribute(delivered, MessageAttributes.MESSAGE_ID)).isEqualTo(output.messageId());
    assertThat(attribute(delivered, MessageAttributes.CORRELATION_ID))
        .isEqualTo(input.correlationId());
    assertThat(attribute(delivered, MessageAttributes.IDEMPOTENCY_KEY))
        .isEqualTo(input.idempotencyKey());
    assertThat(QueueDepth.of(sqs, quarantineQueueUrl)).isZero();
  }

  @Test
  void transform_whenRecordFailsSchema_quarantinesWithReason() {
    ObjectNode payload = stripeEvent.deepCopy();
    ((ObjectNode) payload.at("/data/object")).put("customer_email", "not-an-email-" + CANARY);
    String body = EnvelopeCodec.write(envelope(payload));

    SqsBatchResponse response =
        handler(deliverQueueUrl).handle(new SqsEvent(List.of(record(body, null, 1))));

    assertThat(response.batchItemFailures()).isEmpty();
    Message quarantined = receiveOne(quarantineQueueUrl);
    assertThat(quarantined.body()).isEqualTo(body);
    assertThat(attribute(quarantined, MessageAttributes.STAGE)).isEqualTo("transform");
    assertThat(attribute(quarantined, MessageAttributes.REASON))
        .contains("/Invoices/0/Contact/EmailAddress: format email")
        .doesNotContain(CANARY);
    assertThat(QueueDepth.of(sqs, deliverQueueUrl)).isZero();
  }

  @Test
  void transform_whenBodyIsNotAnEnvelope_quarantinesItUnchanged() {
    String body = "Test message. " + CANARY;

    SqsBatchResponse response =
        handler(deliverQueueUrl).handle(new SqsEvent(List.of(record(body, null, 1))));

    assertThat(response.batchItemFailures()).isEmpty();
    Message quarantined = receiveOne(quarantineQueueUrl);
    assertThat(quarantined.body()).isEqualTo(body);
    assertThat(attribute(quarantined, MessageAttributes.STAGE)).isEqualTo("transform");
    assertThat(attribute(quarantined, MessageAttributes.REASON)).contains("not a Sluice envelope");
  }

  @Test
  void transform_whenMappingFails_quarantinesWithReason() {
    // A time that is not a number makes the mapping's date arithmetic fail.
    ObjectNode payload = stripeEvent.deepCopy();
    ((ObjectNode) payload.at("/data/object")).remove("effective_at");
    ((ObjectNode) payload.at("/data/object")).put("created", "not-a-time-" + CANARY);
    String body = EnvelopeCodec.write(envelope(payload));

    SqsBatchResponse response =
        handler(deliverQueueUrl).handle(new SqsEvent(List.of(record(body, null, 1))));

    assertThat(response.batchItemFailures()).isEmpty();
    Message quarantined = receiveOne(quarantineQueueUrl);
    assertThat(quarantined.body()).isEqualTo(body);
    assertThat(attribute(quarantined, MessageAttributes.REASON))
        .contains("mapping of integration " + INTEGRATION + " failed")
        .doesNotContain(CANARY);
  }

  @Test
  void transform_whenDeliverQueueDoesNotExist_reportsBatchItemFailure() {
    String missingQueue = deliverQueueUrl + "-missing";
    SqsEvent.Message valid = record(EnvelopeCodec.write(envelope(stripeEvent)), null, 1);
    SqsEvent.Message unreadable = record("not an envelope", null, 1);

    SqsBatchResponse response =
        handler(missingQueue).handle(new SqsEvent(List.of(valid, unreadable)));

    assertThat(response.batchItemFailures())
        .extracting(SqsBatchResponse.BatchItemFailure::itemIdentifier)
        .containsExactly(valid.messageId());
    assertThat(receiveOne(quarantineQueueUrl).body()).isEqualTo("not an envelope");
  }

  @Test
  void transform_whenFifoGroupRecordFails_reportsLaterRecordsOfThatGroupOnly() {
    String missingQueue = deliverQueueUrl + "-missing";
    SqsEvent.Message a1 = record(EnvelopeCodec.write(envelope(stripeEvent)), "a", 1);
    SqsEvent.Message a2 = record("a2 not an envelope", "a", 1);
    SqsEvent.Message b1 = record("b1 not an envelope", "b", 1);

    SqsBatchResponse response = handler(missingQueue).handle(new SqsEvent(List.of(a1, a2, b1)));

    assertThat(response.batchItemFailures())
        .extracting(SqsBatchResponse.BatchItemFailure::itemIdentifier)
        .containsExactly(a1.messageId(), a2.messageId());
    assertThat(receiveOne(quarantineQueueUrl).body()).isEqualTo("b1 not an envelope");
    assertThat(QueueDepth.of(sqs, quarantineQueueUrl)).isEqualTo(1);
  }

  @Test
  void transform_whenInvokedWithLambdaJson_writesBatchResponse() throws IOException {
    SqsEvent event =
        new SqsEvent(List.of(record(EnvelopeCodec.write(envelope(stripeEvent)), null, 1)));
    byte[] json = Json.mapper().writeValueAsBytes(event);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    handler(deliverQueueUrl).handleRequest(new ByteArrayInputStream(json), out, null);

    JsonNode response = Json.mapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"Records\"");
    assertThat(response.path("batchItemFailures").isArray()).isTrue();
    assertThat(response.path("batchItemFailures")).isEmpty();
    assertThat(receiveOne(deliverQueueUrl).body()).contains("ACCREC");
  }

  private TransformHandler handler(String deliverQueue) {
    Settings settings =
        Settings.from(
            Map.of(
                Settings.INTEGRATION, INTEGRATION,
                Settings.DELIVER_QUEUE_URL, deliverQueue,
                Settings.QUARANTINE_QUEUE_URL, quarantineQueueUrl));
    return new TransformHandler(settings, DefinitionCatalog.classpath(), new QueueSender(sqs));
  }

  private static Envelope envelope(JsonNode payload) {
    return new Envelope(
        Envelope.SCHEMA_VERSION,
        INTEGRATION,
        UUID.randomUUID().toString(),
        "corr-" + UUID.randomUUID(),
        "evt_1Q2fklBrSjgsps2Dx0mEXsXv",
        "idem-" + UUID.randomUUID(),
        1,
        Instant.parse("2024-09-24T20:54:33Z"),
        payload);
  }

  private static SqsEvent.Message record(String body, String group, int receiveCount) {
    Map<String, String> attributes =
        group == null
            ? Map.of("ApproximateReceiveCount", String.valueOf(receiveCount))
            : Map.of(
                "ApproximateReceiveCount", String.valueOf(receiveCount), "MessageGroupId", group);
    String arn = "arn:aws:sqs:us-east-1:000000000000:ingest" + (group == null ? "" : ".fifo");
    return new SqsEvent.Message(
        UUID.randomUUID().toString(),
        "receipt-handle",
        body,
        attributes,
        Map.of(),
        null,
        "aws:sqs",
        arn,
        "us-east-1");
  }

  private static Message receiveOne(String queueUrl) {
    List<Message> received = new ArrayList<>();
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              received.addAll(
                  sqs.receiveMessage(
                          r ->
                              r.queueUrl(queueUrl)
                                  .maxNumberOfMessages(10)
                                  .waitTimeSeconds(1)
                                  .messageAttributeNames("All"))
                      .messages());
              return !received.isEmpty();
            });
    return received.get(0);
  }

  private static String attribute(Message message, String name) {
    var value = message.messageAttributes().get(name);
    return value == null ? null : value.stringValue();
  }

  private static JsonNode fixture(String name) {
    try (InputStream in =
        TransformHandlerQueueTest.class.getResourceAsStream("/fixtures/" + name)) {
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
