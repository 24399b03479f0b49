package dev.sluice.deliver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sluice.auth.secrets.FileSecretStore;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.events.SqsBatchResponse;
import dev.sluice.events.SqsEvent;
import dev.sluice.json.Json;
import dev.sluice.metrics.EmfMetrics;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import dev.sluice.testing.MovableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The deliver handler against a WireMock target and a real OAuth2 server. Queue behaviour (dead
 * letters, deletes) is tested on ElasticMQ in the local module; here the dead-letter queue is an
 * address nobody answers, so any record that needs it stays a batch item failure.
 */
class DeliverHandlerTest {

  private static final String INTEGRATION = "demo-deliver";
  private static final String SECRET_ID = "sluice/demo-deliver/oauth";
  private static final String CLIENT_SECRET = "client-secret-not-for-logs";
  private static final String PAYLOAD_VALUE = "INV-PRIVATE-4711";

  @TempDir Path folder;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final ListAppender<ILoggingEvent> metricLines = new ListAppender<>();

  private WireMockServer target;
  private MockOAuth2Server oauth;
  private SqsClient unreachableSqs;
  private DeliverHandler handler;

  @BeforeEach
  void start() throws Exception {
    target = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    target.start();
    oauth = new MockOAuth2Server();
    oauth.start(InetAddress.getByName("127.0.0.1"), 0);

    Path definitions = folder.resolve("integrations");
    Files.createDirectories(definitions.resolve(INTEGRATION));
    Files.writeString(
        definitions.resolve(INTEGRATION).resolve("integration.yaml"),
        """
        name: %s
        target:
          url: http://127.0.0.1:%d/invoices
          method: POST
          idempotencyHeader: Idempotency-Key
          timeoutSeconds: 1
          auth:
            type: oauth2-client-credentials
            secret: %s
            tokenUrl: %s
            scope: invoices
        queues:
          maxReceiveCount: 3
        """
            .formatted(INTEGRATION, target.port(), SECRET_ID, oauth.tokenEndpointUrl("sluice")));
    Path secrets = folder.resolve("local-secrets.json");
    Files.writeString(
        secrets,
        """
        {"%s": {"client_id": "sluice-demo", "client_secret": "%s"}}
        """
            .formatted(SECRET_ID, CLIENT_SECRET));

    unreachableSqs =
        SqsClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .endpointOverride(URI.create("http://127.0.0.1:1"))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    Settings settings =
        Settings.from(
            Map.of(
                Settings.INTEGRATION,
                INTEGRATION,
                Settings.DEAD_LETTER_QUEUE_URL,
                "http://127.0.0.1:1/000000000000/nowhere-dlq"));
    handler =
        new DeliverHandler(
            settings,
            DefinitionCatalog.folder(definitions),
            new QueueSender(unreachableSqs),
            new FileSecretStore(secrets),
            clock);

    logs.start();
    rootLogger().addAppender(logs);
    metricLines.start();
    metricsLogger().addAppender(metricLines);
  }

  @AfterEach
  void stop() {
    rootLogger().detachAppender(logs);
    metricsLogger().detachAppender(metricLines);
    unreachableSqs.close();
    oauth.shutdown();
    target.stop();
  }

  @Test
  void deliver_withOAuthTarget_fetchesOneTokenForTheWholeBatch() {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(201)));

    SqsBatchResponse response = handler.handle(event(record("m1", 1), record("m2", 1)));

    assertThat(response.batchItemFailures()).isEmpty();
    List<LoggedRequest> requests = target.findAll(postRequestedFor(urlEqualTo("/invoices")));
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).getHeader("Authorization"))
        .startsWith("Bearer ")
        .isEqualTo(requests.get(1).getHeader("Authorization"));
    assertThat(tokenRequestCount()).isEqualTo(1);
  }

  @Test
  void deliver_sendsPayloadIdempotencyKeyAndContentType() {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(200)));

    handler.handle(event(record("m1", 1)));

    target.verify(
        postRequestedFor(urlEqualTo("/invoices"))
            .withHeader("Idempotency-Key", equalTo("idem-m1"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson("{\"invoiceNumber\": \"" + PAYLOAD_VALUE + "\", \"total\": 12.50}")));
  }

  @Test
  void deliver_afterTokenExpiry_fetchesANewToken() {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(201)));
    handler.handle(event(record("m1", 1)));

    clock.advance(Duration.ofHours(1));
    handler.handle(event(record("m2", 1)));

    assertThat(tokenRequestCount()).isEqualTo(2);
  }

  @Test
  void deliver_whenTargetAnswers500BeforeLastAttempt_reportsBatchItemFailure() {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(500)));

    SqsBatchResponse response = handler.handle(event(record("m1", 1), record("m2", 2)));

    assertThat(response.batchItemFailures())
        .extracting(SqsBatchResponse.BatchItemFailure::itemIdentifier)
        .containsExactly("sqs-m1", "sqs-m2");
  }

  @Test
  void deliver_whenTargetIsSlowerThanTheTimeout_retriesLater() {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(201).withFixedDelay(2500)));

    SqsBatchResponse response = handler.handle(event(record("m1", 1)));

    assertThat(response.batchItemFailures()).hasSize(1);
    assertThat(messages()).anyMatch(line -> line.contains("did not answer within 1 s"));
  }

  @Test
  void deliver_whenDeadLetterQueueUnreachable_reportsBatchItemFailure() {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(422)));

    SqsBatchResponse response = handler.handle(event(record("m1", 1)));

    assertThat(response.batchItemFailures())
        .extracting(SqsBatchResponse.BatchItemFailure::itemIdentifier)
        .containsExactly("sqs-m1");
  }

  @Test
  void deliver_writesOneEmfLinePerInvocation() throws Exception {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(201)));

    handler.handle(event(record("m1", 1), record("m2", 1)));

    assertThat(metricLines.list).hasSize(1);
    JsonNode line = Json.mapper().readTree(metricLines.list.get(0).getFormattedMessage());
    JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
    assertThat(directive.get("Namespace").asText()).isEqualTo(EmfMetrics.NAMESPACE);
    assertThat(directive.get("Dimensions").get(0).get(0).asText()).isEqualTo("Integration");
    assertThat(line.get("_aws").get("Timestamp").asLong()).isEqualTo(clock.millis());
    assertThat(line.get("Integration").asText()).isEqualTo(INTEGRATION);
    assertThat(line.get("Delivered").asLong()).isEqualTo(2);
    assertThat(line.get("Retried").asLong()).isZero();
    assertThat(line.get("DeadLettered").asLong()).isZero();
    assertThat(line.get("AuthFailures").asLong()).isZero();
  }

  @Test
  void deliver_whenTargetKeepsAnswering401_countsAnAuthFailureAfterOneRefresh() throws Exception {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(401)));

    SqsBatchResponse response = handler.handle(event(record("m1", 1), record("m2", 1)));

    assertThat(response.batchItemFailures()).hasSize(2);
    // One refresh per invocation: m1 is sent twice, m2 once.
    assertThat(target.findAll(postRequestedFor(urlEqualTo("/invoices")))).hasSize(3);
    assertThat(tokenRequestCount()).isEqualTo(2);
    JsonNode line = Json.mapper().readTree(metricLines.list.get(0).getFormattedMessage());
    assertThat(line.get("AuthFailures").asLong()).isEqualTo(2);
  }

  @Test
  void handleRequest_readsLambdaJsonAndWritesTheBatchResponse() throws Exception {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(503)));
    String lambdaEvent =
        """
        {"Records": [{
          "messageId": "sqs-m1",
          "receiptHandle": "rh",
          "body": %s,
          "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1764756000000"},
          "messageAttributes": {},
          "md5OfBody": "x",
          "eventSource": "aws:sqs",
          "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:demo-deliver",
          "awsRegion": "us-east-1"
        }]}
        """
            .formatted(Json.mapper().writeValueAsString(EnvelopeCodec.write(envelope("m1"))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    handler.handleRequest(
        new ByteArrayInputStream(lambdaEvent.getBytes(StandardCharsets.UTF_8)), out, null);

    assertThat(Json.mapper().readTree(out.toByteArray()))
        .isEqualTo(
            Json.mapper().readTree("{\"batchItemFailures\": [{\"itemIdentifier\": \"sqs-m1\"}]}"));
  }

  @Test
  void deliver_logsIdsAndDecisionsButNoSecretTokenOrPayloadValue() {
    target.stubFor(
        post("/invoices")
            .withHeader("Idempotency-Key", equalTo("idem-m1"))
            .willReturn(aResponse().withStatus(201)));
    target.stubFor(
        post("/invoices")
            .withHeader("Idempotency-Key", equalTo("idem-m2"))
            .willReturn(aResponse().withStatus(500).withBody("echo " + PAYLOAD_VALUE)));
    target.stubFor(
        post("/invoices")
            .withHeader("Idempotency-Key", equalTo("idem-m3"))
            .willReturn(aResponse().withStatus(422).withBody("bad " + PAYLOAD_VALUE)));

    handler.handle(event(record("m1", 1), record("m2", 3), record("m3", 1)));

    String token =
        target
            .findAll(postRequestedFor(urlEqualTo("/invoices")))
            .get(0)
            .getHeader("Authorization")
            .substring("Bearer ".length());
    List<String> everything = new ArrayList<>(messages());
    logs.list.forEach(event -> everything.add(event.getMDCPropertyMap().toString()));
    metricLines.list.forEach(event -> everything.add(event.getFormattedMessage()));
    assertThat(messages())
        .anyMatch(line -> line.startsWith("delivered"))
        .anyMatch(line -> line.contains("target answered 500 on attempt 3 of 3"))
        .anyMatch(line -> line.contains("could not dead-letter"));
    assertThat(logs.list)
        .allMatch(event -> INTEGRATION.equals(event.getMDCPropertyMap().get("integration")));
    assertThat(String.join("\n", everything))
        .doesNotContain(CLIENT_SECRET)
        .doesNotContain(token)
        .doesNotContain(PAYLOAD_VALUE)
        .doesNotContain("12.5");
  }

  private List<String> messages() {
    return logs.list.stream()
        .filter(event -> event.getLoggerName().startsWith("dev.sluice"))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private int tokenRequestCount() {
    int count = 0;
    while (true) {
      try {
        oauth.takeRequest(200, TimeUnit.MILLISECONDS);
        count++;
      } catch (RuntimeException drained) {
        return count;
      }
    }
  }

  private static Envelope envelope(String id) {
    return new Envelope(
        Envelope.SCHEMA_VERSION,
        INTEGRATION,
        id,
        "corr-" + id,
        "evt_" + id,
        "idem-" + id,
        1,
        Instant.parse("2026-12-03T09:59:00Z"),
        Json.mapper()
            .createObjectNode()
            .put("invoiceNumber", PAYLOAD_VALUE)
            .put("total", new java.math.BigDecimal("12.50")));
  }

  private static SqsEvent.Message record(String id, int receiveCount) {
    return new SqsEvent.Message(
        "sqs-" + id,
        "rh-" + id,
        EnvelopeCodec.write(envelope(id)),
        Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)),
        Map.of(),
        null,
        "aws:sqs",
        "arn:aws:sqs:us-east-1:000000000000:" + INTEGRATION + "-deliver",
        "us-east-1");
  }

  private static SqsEvent event(SqsEvent.Message... records) {
    return new SqsEvent(List.of(records));
  }

  private static Logger rootLogger() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static Logger metricsLogger() {
    return (Logger) LoggerFactory.getLogger(EmfMetrics.LOGGER);
  }
}
