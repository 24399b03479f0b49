package dev.sluice.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.auth.secrets.SecretStores;
import dev.sluice.auth.webhook.SignatureScheme;
import dev.sluice.auth.webhook.WebhookSigning;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.IdempotencyKeys;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.events.HttpResponseEvent;
import dev.sluice.json.Json;
import dev.sluice.local.sqs.EmbeddedSqs;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import dev.sluice.testsupport.AwsEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Ingress against a real (embedded) SQS, fed the exact HTTP API and Function URL event JSON. */
class IngressHandlerQueueTest {

  private static final String INTEGRATION = "stripe-invoice-to-accounting";
  private static final String SECRET_ID = "sluice/stripe-invoice-to-accounting/stripe-webhook";
  private static final String SECRET = "whsec_ingress_test_secret";
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final Path INTEGRATIONS = Path.of("..", "integrations");

  private static EmbeddedSqs embeddedSqs;
  private static SqsClient sqs;

  @TempDir Path temp;
  private String queueUrl;
  private IngressHandler handler;

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

  @BeforeEach
  void createQueueAndHandler() throws Exception {
    queueUrl = sqs.createQueue(r -> r.queueName("ingest-" + System.nanoTime())).queueUrl();
    handler = handler(queueUrl, Map.of(SECRET_ID, SECRET));
  }

  @Test
  void ingress_whenHttpApiEventIsValidlySigned_queuesEnvelopeAndAnswers202() throws Exception {
    byte[] body = stripeEvent();

    HttpResponseEvent response = invoke(httpApiEvent(body, signed(body, NOW), true));

    assertThat(response.statusCode()).isEqualTo(202);
    List<Message> messages = receiveAll();
    assertThat(messages).hasSize(1);
    Envelope envelope = EnvelopeCodec.read(messages.get(0).body());
    assertThat(envelope.integration()).isEqualTo(INTEGRATION);
    assertThat(envelope.sourceEventId()).isEqualTo("evt_1Q2fklBrSjgsps2Dx0mEXsXv");
    assertThat(envelope.idempotencyKey())
        .isEqualTo(IdempotencyKeys.of(INTEGRATION, "evt_1Q2fklBrSjgsps2Dx0mEXsXv"));
    assertThat(envelope.payload()).isEqualTo(Json.mapper().readTree(body));
    assertThat(messages.get(0).messageAttributes())
        .containsKeys(
            MessageAttributes.INTEGRATION,
            MessageAttributes.CORRELATION_ID,
            MessageAttributes.IDEMPOTENCY_KEY,
            MessageAttributes.SOURCE_EVENT_ID);
    assertThat(Json.mapper().readTree(response.body()).get("messageId").asText())
        .isEqualTo(envelope.messageId());
  }

  @Test
  void ingress_whenFunctionUrlEventCarriesPlainTextBody_verifiesItsUtf8Bytes() throws Exception {
    byte[] body =
        "{\"id\":\"evt_unicode\",\"note\":\"Café ☕ … 🚀\"}".getBytes(StandardCharsets.UTF_8);
    ObjectNode event = fixture("lambda-function-url-awsdocs.json");
    event.put("rawPath", "/" + INTEGRATION);
    event.put("body", new String(body, StandardCharsets.UTF_8));
    event.put("isBase64Encoded", false);
    event.set("headers", Json.mapper().valueToTree(lowerCased(signed(body, NOW))));

    HttpResponseEvent response = invoke(event);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(EnvelopeCodec.read(receiveAll().get(0).body()).payload().get("note").asText())
        .isEqualTo("Café ☕ … 🚀");
  }

  @Test
  void ingress_whenSignatureMadeWithAnotherSecret_answers401AndQueuesNothing() throws Exception {
    byte[] body = stripeEvent();
    Map<String, String> headers =
        WebhookSigning.headers(SignatureScheme.STRIPE, "whsec_other", NOW, body, "d1");

    HttpResponseEvent response = invoke(httpApiEvent(body, headers, true));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain("timestamp").doesNotContain("v1");
    assertThat(receiveAll()).isEmpty();
  }

  @Test
  void ingress_whenTimestampStaleOrInTheFuture_answers401() throws Exception {
    byte[] body = stripeEvent();

    HttpResponseEvent stale =
        invoke(httpApiEvent(body, signed(body, NOW.minus(Duration.ofMinutes(6))), true));
    HttpResponseEvent future =
        invoke(httpApiEvent(body, signed(body, NOW.plus(Duration.ofMinutes(6))), true));

    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(future.statusCode()).isEqualTo(401);
    assertThat(receiveAll()).isEmpty();
  }

  @Test
  void ingress_whenSignatureHeaderMissing_answers401() throws Exception {
    HttpResponseEvent response = invoke(httpApiEvent(stripeEvent(), Map.of(), true));

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void ingress_whenSignedBodyIsNotJson_answers400() throws Exception {
    byte[] body = "{\"id\":\"evt_1\",".getBytes(StandardCharsets.UTF_8);

    HttpResponseEvent response = invoke(httpApiEvent(body, signed(body, NOW), true));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(receiveAll()).isEmpty();
  }

  @Test
  void ingress_whenBase64IsBroken_answers400() throws Exception {
    ObjectNode event = httpApiEvent(stripeEvent(), Map.of(), true);
    event.put("body", "%%% not base64 %%%");

    assertThat(invoke(event).statusCode()).isEqualTo(400);
  }

  @Test
  void ingress_whenBodyOverTheLimit_answers413() throws Exception {
    byte[] body = ("{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(210_000) + "\"}").getBytes();

    HttpResponseEvent response = invoke(httpApiEvent(body, signed(body, NOW), true));

    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void ingress_whenIntegrationUnknown_answers404() throws Exception {
    byte[] body = stripeEvent();
    ObjectNode event = httpApiEvent(body, signed(body, NOW), true);
    event.set("pathParameters", Json.mapper().valueToTree(Map.of("integration", "nope")));

    assertThat(invoke(event).statusCode()).isEqualTo(404);
  }

  @Test
  void ingress_whenQueueCannotBeWritten_answers503SoTheSenderRetries() throws Exception {
    handler = handler(queueUrl + "-missing", Map.of(SECRET_ID, SECRET));
    byte[] body = stripeEvent();

    HttpResponseEvent response = invoke(httpApiEvent(body, signed(body, NOW), true));

    assertThat(response.statusCode()).isEqualTo(503);
  }

  @Test
  void ingress_whenSigningSecretMissing_answers503() throws Exception {
    handler = handler(queueUrl, Map.of("some/other/secret", "x"));
    byte[] body = stripeEvent();

    HttpResponseEvent response = invoke(httpApiEvent(body, signed(body, NOW), true));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(receiveAll()).isEmpty();
  }

  private IngressHandler handler(String ingestQueue, Map<String, String> secrets) throws Exception {
    Path secretsFile = temp.resolve("secrets-" + System.nanoTime() + ".json");
    Files.writeString(secretsFile, Json.mapper().writeValueAsString(secrets));
    Settings settings =
        Settings.from(
            Map.of(
                Settings.INTEGRATION, INTEGRATION,
                Settings.INGEST_QUEUE_URL, ingestQueue,
                Settings.SECRETS_FILE, secretsFile.toString()));
    return new IngressHandler(
        settings,
        DefinitionCatalog.folder(INTEGRATIONS),
        new QueueSender(sqs),
        SecretStores.forSettings(settings),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private HttpResponseEvent invoke(ObjectNode event) throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)), output, null);
    return Json.mapper().readValue(output.toByteArray(), HttpResponseEvent.class);
  }

  private ObjectNode httpApiEvent(byte[] body, Map<String, String> headers, boolean base64)
      throws Exception {
    ObjectNode event = fixture("apigw-http-api-v2-base64-sam-generate-event.json");
    event.put("rawPath", "/webhooks/" + INTEGRATION);
    event.set("pathParameters", Json.mapper().valueToTree(Map.of("integration", INTEGRATION)));
    Map<String, String> all = new HashMap<>(lowerCased(headers));
    all.put("content-type", "application/json");
    event.set("headers", Json.mapper().valueToTree(all));
    event.put(
        "body",
        base64
            ? Base64.getEncoder().encodeToString(body)
            : new String(body, StandardCharsets.UTF_8));
    event.put("isBase64Encoded", base64);
    return event;
  }

  private static Map<String, String> signed(byte[] body, Instant at) {
    return WebhookSigning.headers(SignatureScheme.STRIPE, SECRET, at, body, "delivery-1");
  }

  /** HTTP APIs and Function URLs deliver header names lower-cased. */
  private static Map<String, String> lowerCased(Map<String, String> headers) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(java.util.Locale.ROOT), value));
    return lower;
  }

  private static ObjectNode fixture(String name) throws Exception {
    try (InputStream in =
        IngressHandlerQueueTest.class.getResourceAsStream("/fixtures/aws-events/" + name)) {
      return (ObjectNode) Json.mapper().readTree(in);
    }
  }

  private static byte[] stripeEvent() throws Exception {
    return Files.readAllBytes(Path.of("..", "events", "stripe", "invoice-paid.json"));
  }

  private List<Message> receiveAll() {
    return sqs.receiveMessage(
            r ->
                r.queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(1)
                    .messageAttributeNames("All"))
        .messages();
  }
}
