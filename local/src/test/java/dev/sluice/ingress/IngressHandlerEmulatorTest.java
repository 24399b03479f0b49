package dev.sluice.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.auth.secrets.SecretStores;
import dev.sluice.auth.webhook.SignatureScheme;
import dev.sluice.auth.webhook.WebhookSigning;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.events.HttpResponseEvent;
import dev.sluice.json.Json;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import dev.sluice.testsupport.AwsEmulator;
import dev.sluice.testsupport.AwsEmulatorExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Ingress writing to standard and FIFO queues of a running emulator. */
@ExtendWith(AwsEmulatorExtension.class)
class IngressHandlerEmulatorTest {

  private static final String INTEGRATION = "stripe-invoice-to-accounting";
  private static final String SECRET_ID = "sluice/stripe-invoice-to-accounting/stripe-webhook";
  private static final String SECRET = "whsec_emulator_test_secret";
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

  private static SqsClient sqs;

  @TempDir Path temp;

  @BeforeAll
  static void connect(AwsEmulator aws) {
    sqs = aws.sqs();
  }

  @AfterAll
  static void disconnect() {
    sqs.close();
  }

  @Test
  void ingress_whenWebhookIsValid_queuesEnvelopeWithEveryRoutingAttribute() throws Exception {
    String queue = sqs.createQueue(r -> r.queueName("ingest-" + UUID.randomUUID())).queueUrl();

    HttpResponseEvent response = invoke(handler(queue), event(stripeEvent(), "req-1"));

    assertThat(response.statusCode()).isEqualTo(202);
    List<Message> messages = receive(queue);
    assertThat(messages).hasSize(1);
    Envelope envelope = EnvelopeCodec.read(messages.get(0).body());
    assertThat(envelope.correlationId()).isEqualTo("req-1");
    assertThat(attributes(messages.get(0)))
        .containsEntry(MessageAttributes.INTEGRATION, INTEGRATION)
        .containsEntry(MessageAttributes.MESSAGE_ID, envelope.messageId())
        .containsEntry(MessageAttributes.CORRELATION_ID, "req-1")
        .containsEntry(MessageAttributes.SOURCE_EVENT_ID, envelope.sourceEventId())
        .containsEntry(MessageAttributes.IDEMPOTENCY_KEY, envelope.idempotencyKey())
        .containsEntry(MessageAttributes.SCHEMA_VERSION, Envelope.SCHEMA_VERSION);
  }

  @Test
  void ingress_whenSaasSendsTheSameEventTwiceToAFifoQueue_itIsQueuedOnce() throws Exception {
    String queue =
        sqs.createQueue(
                r ->
                    r.queueName("ingest-" + UUID.randomUUID() + ".fifo")
                        .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
            .queueUrl();
    IngressHandler handler = handler(queue);

    // Two deliveries of one Stripe event: new request ids, the same event id.
    HttpResponseEvent first = invoke(handler, event(stripeEvent(), "req-1"));
    HttpResponseEvent second = invoke(handler, event(stripeEvent(), "req-2"));

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    List<Message> messages = receive(queue);
    assertThat(messages).hasSize(1);
    Envelope envelope = EnvelopeCodec.read(messages.get(0).body());
    assertThat(messages.get(0).attributes())
        .containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "req-1")
        .containsEntry(
            MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, envelope.idempotencyKey());
  }

  private IngressHandler handler(String queue) throws Exception {
    Path secretsFile = temp.resolve("secrets-" + UUID.randomUUID() + ".json");
    Files.writeString(secretsFile, Json.mapper().writeValueAsString(Map.of(SECRET_ID, SECRET)));
    Settings settings =
        Settings.from(
            Map.of(
                Settings.INTEGRATION, INTEGRATION,
                Settings.INGEST_QUEUE_URL, queue,
                Settings.SECRETS_FILE, secretsFile.toString()));
    return new IngressHandler(
        settings,
        DefinitionCatalog.folder(Path.of("..", "integrations")),
        new QueueSender(sqs),
        SecretStores.forSettings(settings),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static HttpResponseEvent invoke(IngressHandler handler, ObjectNode event)
      throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)), output, null);
    return Json.mapper().readValue(output.toByteArray(), HttpResponseEvent.class);
  }

  /** The exact HTTP API payload 2.0 shape, with the request id ingress uses as correlation id. */
  private static ObjectNode event(byte[] body, String requestId) throws Exception {
    ObjectNode event;
    try (InputStream in =
        IngressHandlerEmulatorTest.class.getResourceAsStream(
            "/fixtures/aws-events/apigw-http-api-v2-base64-sam-generate-event.json")) {
      event = (ObjectNode) Json.mapper().readTree(in);
    }
    Map<String, String> headers = new HashMap<>();
    WebhookSigning.headers(SignatureScheme.STRIPE, SECRET, NOW, body, requestId)
        .forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
    headers.put("content-type", "application/json");

    event.put("rawPath", "/webhooks/" + INTEGRATION);
    event.set("pathParameters", Json.mapper().valueToTree(Map.of("integration", INTEGRATION)));
    event.set("headers", Json.mapper().valueToTree(headers));
    event.put("body", Base64.getEncoder().encodeToString(body));
    event.put("isBase64Encoded", true);
    ((ObjectNode) event.get("requestContext")).put("requestId", requestId);
    return event;
  }

  private static byte[] stripeEvent() throws Exception {
    return Files.readAllBytes(Path.of("..", "events", "stripe", "invoice-paid.json"));
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

  private static Map<String, String> attributes(Message message) {
    Map<String, String> values = new HashMap<>();
    message.messageAttributes().forEach((name, value) -> values.put(name, value.stringValue()));
    return values;
  }
}
