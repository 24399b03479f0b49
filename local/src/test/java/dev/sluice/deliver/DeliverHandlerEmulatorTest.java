package dev.sluice.deliver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sluice.auth.secrets.SecretsManagerSecretStore;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.json.Json;
import dev.sluice.local.runner.EventSourceMapping;
import dev.sluice.queue.QueueDepth;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import dev.sluice.testsupport.AwsEmulator;
import dev.sluice.testsupport.AwsEmulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The deliver step between queues of a running emulator, with its API key in the emulator's Secrets
 * Manager and a WireMock target, driven by the local event source mapping.
 */
@ExtendWith(AwsEmulatorExtension.class)
class DeliverHandlerEmulatorTest {

  private static final String INTEGRATION = "emulator-deliver";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static SqsClient sqs;
  private static SecretsManagerClient secretsManager;

  @TempDir Path folder;

  private WireMockServer target;
  private String secretId;
  private String deliverQueue;
  private String deadLetterQueue;

  @BeforeAll
  static void connect(AwsEmulator aws) {
    sqs = aws.sqs();
    secretsManager = aws.secretsManager();
  }

  @AfterAll
  static void disconnect() {
    sqs.close();
    secretsManager.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    target = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    target.start();

    String suffix = UUID.randomUUID().toString().substring(0, 8);
    secretId = "sluice/" + INTEGRATION + "/api-key-" + suffix;
    secretsManager.createSecret(r -> r.name(secretId).secretString("{\"api_key\":\"key-1\"}"));

    deadLetterQueue = sqs.createQueue(r -> r.queueName("deliver-dlq-" + suffix)).queueUrl();
    String deadLetterArn =
        sqs.getQueueAttributes(
                r -> r.queueUrl(deadLetterQueue).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    Map<QueueAttributeName, String> attributes = new HashMap<>();
    attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, "1");
    attributes.put(
        QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":3}");
    deliverQueue =
        sqs.createQueue(r -> r.queueName("deliver-" + suffix).attributes(attributes)).queueUrl();

    Path definition = folder.resolve(INTEGRATION).resolve("integration.yaml");
    Files.createDirectories(definition.getParent());
    Files.writeString(
        definition,
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
            .formatted(INTEGRATION, target.port(), secretId));
  }

  @AfterEach
  void stopTarget() {
    target.stop();
  }

  @Test
  void deliver_whenTargetAnswers500ForOneRecord_deletesTheOtherAndDeadLettersItWithItsReason() {
    target.stubFor(
        post("/invoices")
            .withHeader("X-API-Key", equalTo("key-1"))
            .willReturn(aResponse().withStatus(201)));
    target.stubFor(
        post("/invoices")
            .withHeader("Idempotency-Key", equalTo("idem-broken"))
            .willReturn(aResponse().withStatus(500)));
    Envelope ok = envelope("ok");
    Envelope broken = envelope("broken");
    QueueSender sender = new QueueSender(sqs);
    sender.send(deliverQueue, ok, Map.of());
    sender.send(deliverQueue, broken, Map.of());

    try (EventSourceMapping mapping =
        new EventSourceMapping(sqs, deliverQueue, "deliver", handler(sender), 10)) {
      await().atMost(PATIENCE).until(() -> QueueDepth.of(sqs, deliverQueue) == 0);
    }

    // The good record went once; the broken one came back after each visibility timeout.
    target.verify(
        1,
        postRequestedFor(urlEqualTo("/invoices"))
            .withHeader("Idempotency-Key", equalTo("idem-ok")));
    target.verify(
        3,
        postRequestedFor(urlEqualTo("/invoices"))
            .withHeader("Idempotency-Key", equalTo("idem-broken")));
    List<Message> parked = receiveAll(deadLetterQueue);
    assertThat(parked).hasSize(1);
    Message message = parked.get(0);
    assertThat(EnvelopeCodec.read(message.body()).messageId()).isEqualTo(broken.messageId());
    assertThat(message.messageAttributes().get(MessageAttributes.REASON).stringValue())
        .isEqualTo("target answered 500 on attempt 3 of 3");
    assertThat(message.messageAttributes().get(MessageAttributes.STAGE).stringValue())
        .isEqualTo("deliver");
    assertThat(message.messageAttributes().get(MessageAttributes.IDEMPOTENCY_KEY).stringValue())
        .isEqualTo("idem-broken");
  }

  private DeliverHandler handler(QueueSender sender) {
    Settings settings =
        Settings.from(
            Map.of(
                Settings.INTEGRATION, INTEGRATION,
                Settings.DELIVER_QUEUE_URL, deliverQueue,
                Settings.DEAD_LETTER_QUEUE_URL, deadLetterQueue));
    return new DeliverHandler(
        settings,
        DefinitionCatalog.folder(folder),
        sender,
        new SecretsManagerSecretStore(
            secretsManager, INTEGRATION, Duration.ofMinutes(5), Clock.systemUTC()),
        Clock.systemUTC());
  }

  private static List<Message> receiveAll(String queue) {
    return sqs.receiveMessage(
            r ->
                r.queueUrl(queue)
                    .maxNumberOfMessages(10)
                    .visibilityTimeout(30)
                    .messageAttributeNames("All"))
        .messages();
  }

  private static Envelope envelope(String id) {
    return new Envelope(
        Envelope.SCHEMA_VERSION,
        INTEGRATION,
        UUID.randomUUID().toString(),
        "corr-" + id,
        "evt_" + id,
        "idem-" + id,
        1,
        Instant.parse("2026-12-03T09:59:00Z"),
        Json.mapper().createObjectNode().put("invoiceNumber", "INV-" + id));
  }
}
