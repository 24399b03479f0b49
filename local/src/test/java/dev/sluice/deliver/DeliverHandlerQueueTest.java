package dev.sluice.deliver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sluice.auth.secrets.FileSecretStore;
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
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The deliver handler between real queues (ElasticMQ) and a WireMock target. Each invocation is
 * driven as Lambda's event source mapping drives it: receive a batch, call the handler, delete the
 * records it did not report as failed and make the failed ones visible again.
 */
class DeliverHandlerQueueTest {

  private static final String INTEGRATION = "demo-deliver";
  private static final String SECRET_ID = "sluice/demo-deliver/api-key";
  private static final AtomicInteger QUEUES = new AtomicInteger();

  private static EmbeddedSqs embeddedSqs;
  private static SqsClient sqs;

  @TempDir Path folder;

  private WireMockServer target;
  private Path secretsFile;
  private Path definitions;
  private String deliverQueue;
  private String deadLetterQueue;

  @BeforeAll
  static void startQueues() {
    embeddedSqs = EmbeddedSqs.start();
    sqs = AwsEmulator.at(embeddedSqs.endpoint()).sqs();
  }

  @AfterAll
  static void stopQueues() {
    sqs.close();
    embeddedSqs.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    target = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    target.start();

    int n = QUEUES.incrementAndGet();
    deadLetterQueue = sqs.createQueue(r -> r.queueName("deliver-dlq-" + n)).queueUrl();
    deliverQueue = sqs.createQueue(r -> r.queueName("deliver-" + n)).queueUrl();

    secretsFile = folder.resolve("local-secrets.json");
    writeSecret("key-current");
    definitions = folder.resolve("integrations");
    Files.createDirectories(definitions.resolve(INTEGRATION));
    Files.writeString(
        definitions.resolve(INTEGRATION).resolve("integration.yaml"),
        """
        name: %s
        target:
          url: http://127.0.0.1:%d/invoices
          idempotencyHeader: Idempotency-Key
          timeoutSeconds: 2
          auth:
            type: api-key
            secret: %s
            header: X-API-Key
        queues:
          maxReceiveCount: 3
        """
            .formatted(INTEGRATION, target.port(), SECRET_ID));
  }

  @AfterEach
  void stopTarget() {
    target.stop();
  }

  @Test
  void deliver_whenTargetAnswers2xx_deletesAndSendsIdempotencyKeyAndBody() {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(201)));
    enqueue(envelope("m1"));

    SqsBatchResponse response =
        invokeOnce(handler(deadLetterQueue, new FileSecretStore(secretsFile)));

    assertThat(response.batchItemFailures()).isEmpty();
    target.verify(
        postRequestedFor(urlEqualTo("/invoices"))
            .withHeader("Idempotency-Key", equalTo("idem-m1"))
            .withHeader("X-API-Key", equalTo("key-current"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(equalToJson("{\"invoiceNumber\": \"INV-1\", \"total\": 12.50}")));
    assertThat(QueueDepth.of(sqs, deliverQueue)).isZero();
    assertThat(QueueDepth.of(sqs, deadLetterQueue)).isZero();
  }

  @Test
  void deliver_whenTargetAnswers500OnLastAttempt_deadLettersWithReasonAndOriginalBody()
      throws Exception {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(500)));
    String body = enqueue(envelope("m1"));
    DeliverHandler handler = handler(deadLetterQueue, new FileSecretStore(secretsFile));

    assertThat(invokeOnce(handler).batchItemFailures()).hasSize(1);
    assertThat(invokeOnce(handler).batchItemFailures()).hasSize(1);
    assertThat(invokeOnce(handler).batchItemFailures()).isEmpty();

    assertThat(target.findAll(postRequestedFor(urlEqualTo("/invoices")))).hasSize(3);
    Message dead = receiveOne(deadLetterQueue);
    assertThat(dead.messageAttributes().get(MessageAttributes.REASON).stringValue())
        .isEqualTo("target answered 500 on attempt 3 of 3");
    assertThat(dead.messageAttributes().get(MessageAttributes.STAGE).stringValue())
        .isEqualTo("deliver");
    assertThat(Json.mapper().readTree(dead.body())).isEqualTo(Json.mapper().readTree(body));
    assertThat(QueueDepth.of(sqs, deliverQueue)).isZero();
  }

  @Test
  void deliver_whenTargetAnswers422_deadLettersAtOnceWithReason() {
    target.stubFor(
        post("/invoices")
            .willReturn(aResponse().withStatus(422).withBody("{\"message\": \"INV-1 invalid\"}")));
    enqueue(envelope("m1"));

    SqsBatchResponse response =
        invokeOnce(handler(deadLetterQueue, new FileSecretStore(secretsFile)));

    assertThat(response.batchItemFailures()).isEmpty();
    assertThat(target.findAll(postRequestedFor(urlEqualTo("/invoices")))).hasSize(1);
    String reason =
        receiveOne(deadLetterQueue).messageAttributes().get(MessageAttributes.REASON).stringValue();
    assertThat(reason).startsWith("target answered 422 (").doesNotContain("INV-1");
    assertThat(QueueDepth.of(sqs, deliverQueue)).isZero();
  }

  @Test
  void deliver_whenTargetAnswers409ToARedelivery_countsItAsDelivered() {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(503)));
    enqueue(envelope("m1"));
    DeliverHandler handler = handler(deadLetterQueue, new FileSecretStore(secretsFile));
    invokeOnce(handler);

    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(409)));
    SqsBatchResponse response = invokeOnce(handler);

    assertThat(response.batchItemFailures()).isEmpty();
    assertThat(QueueDepth.of(sqs, deliverQueue)).isZero();
    assertThat(QueueDepth.of(sqs, deadLetterQueue)).isZero();
  }

  @Test
  void deliver_whenTargetAnswers401_rereadsTheSecretAndSucceeds() throws Exception {
    target.stubFor(
        post("/invoices")
            .withHeader("X-API-Key", equalTo("key-current"))
            .willReturn(aResponse().withStatus(401)));
    target.stubFor(
        post("/invoices")
            .withHeader("X-API-Key", equalTo("key-rotated"))
            .willReturn(aResponse().withStatus(200)));
    FileSecretStore secrets = new FileSecretStore(secretsFile);
    // A warm function has the old key cached when the secret is rotated.
    assertThat(secrets.secretString(SECRET_ID)).isEqualTo("key-current");
    writeSecret("key-rotated");
    enqueue(envelope("m1"));

    SqsBatchResponse response = invokeOnce(handler(deadLetterQueue, secrets));

    assertThat(response.batchItemFailures()).isEmpty();
    List<LoggedRequest> requests = target.findAll(postRequestedFor(urlEqualTo("/invoices")));
    assertThat(requests)
        .extracting(request -> request.getHeader("X-API-Key"))
        .containsExactly("key-current", "key-rotated");
    assertThat(QueueDepth.of(sqs, deliverQueue)).isZero();
  }

  @Test
  void deliver_whenDeadLetterQueueUnreachable_reportsBatchItemFailure() {
    target.stubFor(post("/invoices").willReturn(aResponse().withStatus(422)));
    enqueue(envelope("m1"));
    String missingQueue = deadLetterQueue.replace("deliver-dlq-", "no-such-queue-");

    SqsBatchResponse response = invokeOnce(handler(missingQueue, new FileSecretStore(secretsFile)));

    assertThat(response.batchItemFailures()).hasSize(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> QueueDepth.of(sqs, deliverQueue) == 1);
  }

  @Test
  void deliver_whenEnvelopeUnreadable_deadLettersTheRawBodyWithReason() {
    sqs.sendMessage(r -> r.queueUrl(deliverQueue).messageBody("not an envelope"));

    SqsBatchResponse response =
        invokeOnce(handler(deadLetterQueue, new FileSecretStore(secretsFile)));

    assertThat(response.batchItemFailures()).isEmpty();
    Message dead = receiveOne(deadLetterQueue);
    assertThat(dead.body()).isEqualTo("not an envelope");
    assertThat(dead.messageAttributes().get(MessageAttributes.REASON).stringValue())
        .contains("not a Sluice envelope");
    assertThat(target.getAllServeEvents()).isEmpty();
  }

  private DeliverHandler handler(String deadLetterQueueUrl, FileSecretStore secrets) {
    Settings settings =
        Settings.from(
            Map.of(
                Settings.INTEGRATION, INTEGRATION,
                Settings.DELIVER_QUEUE_URL, deliverQueue,
                Settings.DEAD_LETTER_QUEUE_URL, deadLetterQueueUrl,
                Settings.AWS_ENDPOINT_URL, embeddedSqs.endpoint().toString()));
    return new DeliverHandler(
        settings,
        DefinitionCatalog.folder(definitions),
        new QueueSender(sqs),
        secrets,
        Clock.systemUTC());
  }

  /** One invocation as the event source mapping makes it, with the visibility timeout skipped. */
  private SqsBatchResponse invokeOnce(DeliverHandler handler) {
    List<Message> received =
        sqs.receiveMessage(
                r ->
                    r.queueUrl(deliverQueue)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(2)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All"))
            .messages();
    assertThat(received).isNotEmpty();

    SqsBatchResponse response =
        handler.handle(new SqsEvent(received.stream().map(this::toEvent).toList()));

    Set<String> failed = new HashSet<>();
    response.batchItemFailures().forEach(failure -> failed.add(failure.itemIdentifier()));
    for (Message message : received) {
      if (failed.contains(message.messageId())) {
        sqs.changeMessageVisibility(
            r ->
                r.queueUrl(deliverQueue)
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0));
      } else {
        sqs.deleteMessage(r -> r.queueUrl(deliverQueue).receiptHandle(message.receiptHandle()));
      }
    }
    return response;
  }

  private SqsEvent.Message toEvent(Message message) {
    Map<String, String> attributes = new LinkedHashMap<>();
    message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
    Map<String, SqsEvent.MessageAttribute> messageAttributes = new LinkedHashMap<>();
    message
        .messageAttributes()
        .forEach(
            (name, value) ->
                messageAttributes.put(
                    name,
                    new SqsEvent.MessageAttribute(value.stringValue(), null, value.dataType())));
    return new SqsEvent.Message(
        message.messageId(),
        message.receiptHandle(),
        message.body(),
        attributes,
        messageAttributes,
        message.md5OfBody(),
        "aws:sqs",
        "arn:aws:sqs:us-east-1:000000000000:deliver",
        "us-east-1");
  }

  private String enqueue(Envelope envelope) {
    new QueueSender(sqs).send(deliverQueue, envelope, Map.of());
    return EnvelopeCodec.write(envelope);
  }

  private Message receiveOne(String queueUrl) {
    List<Message> messages =
        sqs.receiveMessage(
                r -> r.queueUrl(queueUrl).waitTimeSeconds(2).messageAttributeNames("All"))
            .messages();
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  private void writeSecret(String key) throws Exception {
    Files.writeString(secretsFile, Json.mapper().writeValueAsString(Map.of(SECRET_ID, key)));
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
            .put("invoiceNumber", "INV-1")
            .put("total", new BigDecimal("12.50")));
  }
}
