package dev.sluice.local.runner;

import dev.sluice.auth.secrets.SecretStores;
import dev.sluice.auth.secrets.WritableSecretStore;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.local.http.WebhookEndpoint;
import dev.sluice.local.sqs.EmbeddedSqs;
import dev.sluice.local.standin.StandIns;
import dev.sluice.queue.QueueDepth;
import dev.sluice.settings.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One integration running on this machine: SQS (embedded ElasticMQ unless an endpoint is given),
 * stand-ins for the SaaS APIs, the local secrets file, the handler chain and a webhook endpoint.
 * Used by {@code sluice demo} and {@code sluice invoke}.
 */
public final class LocalRun implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);

  // The embedded queue, and emulators on this machine, accept any signature.
  private static final AwsCredentialsProvider LOCAL_CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

  private final Optional<EmbeddedSqs> embeddedSqs;
  private final SqsClient sqs;
  private final StandIns standIns;
  private final LocalChain chain;
  private final WebhookEndpoint endpoint;
  private final String webhookSecret;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private LocalRun(
      Optional<EmbeddedSqs> embeddedSqs,
      SqsClient sqs,
      StandIns standIns,
      LocalChain chain,
      WebhookEndpoint endpoint,
      String webhookSecret) {
    this.embeddedSqs = embeddedSqs;
    this.sqs = sqs;
    this.standIns = standIns;
    this.chain = chain;
    this.endpoint = endpoint;
    this.webhookSecret = webhookSecret;
  }

  /**
   * Starts everything one integration needs locally.
   *
   * @param repositoryRoot folder holding {@code integrations/} and {@code .sluice/}
   * @param awsEndpoint an AWS-compatible endpoint to use instead of the embedded SQS
   * @param visibilityTimeout how long a failed record waits before its retry
   */
  public static LocalRun start(
      Path repositoryRoot,
      String integration,
      Optional<URI> awsEndpoint,
      Duration visibilityTimeout) {
    Path integrations = repositoryRoot.resolve("integrations");
    IntegrationDefinition definition = DefinitionCatalog.folder(integrations).load(integration);
    Path secretsFile = repositoryRoot.resolve(".sluice").resolve("secrets.json");
    String webhookSecret = LocalSecrets.ensure(secretsFile, definition);

    Optional<EmbeddedSqs> embedded =
        awsEndpoint.isPresent() ? Optional.empty() : Optional.of(EmbeddedSqs.start());
    URI sqsEndpoint = awsEndpoint.orElseGet(() -> embedded.get().endpoint());
    SqsClient sqs = sqsClient(sqsEndpoint, awsEndpoint.isPresent());

    // On a shared endpoint, each run gets queues of its own: earlier runs' messages cannot mix
    // with this run's outcomes, and queues a deployment owns are never touched.
    String queuePrefix =
        awsEndpoint.isPresent()
            ? integration + "-local-" + UUID.randomUUID().toString().substring(0, 8)
            : integration;

    StandIns standIns = StandIns.start(integrations, integration);
    DefinitionCatalog catalog =
        DefinitionCatalog.folder(integrations).withHostRedirects(standIns.redirectsFor(definition));
    WritableSecretStore secrets =
        SecretStores.forSettings(
            Settings.from(
                Map.of(
                    Settings.INTEGRATION,
                    integration,
                    Settings.SECRETS_FILE,
                    secretsFile.toString())));

    LocalChain chain;
    try {
      chain =
          LocalChain.start(
              sqs, sqsEndpoint, catalog, secrets, integration, queuePrefix, visibilityTimeout);
    } catch (SdkException e) {
      standIns.close();
      sqs.close();
      embedded.ifPresent(EmbeddedSqs::close);
      throw new IllegalStateException(
          "could not create the queues at "
              + sqsEndpoint
              + " (is the endpoint running and reachable?): "
              + e.getMessage(),
          e);
    }
    // A scheduled integration has no webhooks, so no endpoint.
    WebhookEndpoint endpoint =
        definition.isScheduled()
            ? null
            : WebhookEndpoint.start(Map.of(integration, chain.ingress()::handleRequest));
    return new LocalRun(embedded, sqs, standIns, chain, endpoint, webhookSecret);
  }

  /** The definition as the handlers see it (target URLs pointing at the stand-ins). */
  public IntegrationDefinition definition() {
    return chain.definition();
  }

  /** The handler chain: to fire the schedule, backfill a window or run the token keeper. */
  public LocalChain chain() {
    return chain;
  }

  /** The webhook signing secret from the local secrets file. */
  public String webhookSecret() {
    return webhookSecret;
  }

  /** The stand-ins, to read what the target received. */
  public StandIns standIns() {
    return standIns;
  }

  /** The local URL webhooks for {@code integration} are posted to. */
  public URI webhookUrl(String integration) {
    return endpoint.url(integration);
  }

  /**
   * Posts a webhook to the local endpoint the way a SaaS would.
   *
   * @return the HTTP status and body ingress answered
   */
  public HttpResponse<String> post(String integration, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.url(integration))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Messages now in the integration's quarantine and dead-letter queues, read without being
   * consumed, keyed by their idempotency key.
   */
  public Map<String, ParkedMessage> parkedMessages() {
    Map<String, ParkedMessage> parked = new HashMap<>();
    IntegrationQueues queues = chain.queues();
    List<String> parkingQueues = new ArrayList<>();
    parkingQueues.add(queues.quarantine());
    parkingQueues.add(queues.deliverDeadLetter());
    parkingQueues.add(queues.ingestDeadLetter());
    if (queues.pollDeadLetter() != null) {
      parkingQueues.add(queues.pollDeadLetter());
    }
    for (String queue : parkingQueues) {
      for (Message message : peek(queue)) {
        String key = attribute(message, MessageAttributes.IDEMPOTENCY_KEY);
        String reason = attribute(message, MessageAttributes.REASON);
        parked.put(
            key == null ? message.messageId() : key,
            new ParkedMessage(
                queue.equals(queues.quarantine()),
                queue,
                reason,
                attribute(message, MessageAttributes.SOURCE_EVENT_ID)));
      }
    }
    return parked;
  }

  /** Messages still waiting in, or being processed from, the poll, ingest and deliver queues. */
  public int recordsInFlight() {
    int total =
        QueueDepth.of(sqs, chain.queues().ingest()) + QueueDepth.of(sqs, chain.queues().deliver());
    if (chain.queues().poll() != null) {
      total += QueueDepth.of(sqs, chain.queues().poll());
    }
    return total;
  }

  /**
   * A message that stopped in a quarantine or dead-letter queue.
   *
   * @param quarantined true for the quarantine queue, false for a dead-letter queue
   * @param queueUrl the queue it is in
   * @param reason the reason attribute the step set, or null when SQS redrive moved it
   * @param sourceEventId the source's id of the record, when the message carries one
   */
  public record ParkedMessage(
      boolean quarantined, String queueUrl, String reason, String sourceEventId) {}

  private List<Message> peek(String queueUrl) {
    Map<String, Message> seen = new HashMap<>();
    // Visibility 0 leaves each message where it is; several receives see all of a small queue.
    for (int round = 0; round < 5; round++) {
      sqs.receiveMessage(
              r ->
                  r.queueUrl(queueUrl)
                      .maxNumberOfMessages(10)
                      .visibilityTimeout(0)
                      .messageAttributeNames("All"))
          .messages()
          .forEach(message -> seen.putIfAbsent(message.messageId(), message));
    }
    return List.copyOf(seen.values());
  }

  private static String attribute(Message message, String name) {
    var value = message.messageAttributes().get(name);
    return value == null ? null : value.stringValue();
  }

  private static SqsClient sqsClient(URI endpoint, boolean external) {
    AwsCredentialsProvider credentials =
        external ? externalCredentials(endpoint) : LOCAL_CREDENTIALS;
    return SqsClient.builder()
        .httpClient(UrlConnectionHttpClient.builder().build())
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .build();
  }

  /**
   * The credentials for an endpoint the user named: the SDK's default chain (variables {@code
   * AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, a profile, a role). An emulator on this
   * machine accepts any signature, so without credentials in the environment a loopback endpoint
   * gets placeholder keys instead of a lookup that fails; any other endpoint gets a clear error.
   *
   * @throws IllegalStateException when a remote endpoint is named and no credentials are found
   */
  static AwsCredentialsProvider externalCredentials(URI endpoint) {
    if (isLoopback(endpoint)) {
      AwsCredentialsProvider fromEnvironment =
          AwsCredentialsProviderChain.of(
              SystemPropertyCredentialsProvider.create(),
              EnvironmentVariableCredentialsProvider.create());
      try {
        fromEnvironment.resolveCredentials();
        return fromEnvironment;
      } catch (SdkClientException e) {
        LOG.info(
            "no AWS credentials set; using placeholder keys for the local endpoint {}", endpoint);
        return LOCAL_CREDENTIALS;
      }
    }

    DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
    try {
      chain.resolveCredentials();
      return chain;
    } catch (SdkClientException e) {
      throw new IllegalStateException(
          "no AWS credentials for "
              + endpoint
              + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)",
          e);
    }
  }

  private static boolean isLoopback(URI endpoint) {
    try {
      return InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (endpoint != null) {
      endpoint.close();
    }
    chain.close();
    standIns.close();
    if (embeddedSqs.isEmpty()) {
      deleteQueues();
    }
    sqs.close();
    embeddedSqs.ifPresent(EmbeddedSqs::close);
  }

  /** Removes this run's queues from an endpoint that outlives it; what is left is only logged. */
  private void deleteQueues() {
    for (String queue : chain.queues().all()) {
      try {
        sqs.deleteQueue(r -> r.queueUrl(queue));
      } catch (SdkException e) {
        LOG.warn("queue {} not deleted: {}", queue, e.getMessage());
      }
    }
  }
}
