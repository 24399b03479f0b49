package dev.sluice.deliver;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.auth.credentials.CredentialsException;
import dev.sluice.auth.credentials.TargetCredentials;
import dev.sluice.auth.secrets.SecretNotFoundException;
import dev.sluice.auth.secrets.SecretStore;
import dev.sluice.auth.secrets.SecretStores;
import dev.sluice.aws.AwsClients;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.IntegrationDefinition.Target;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.deliver.DeliveryOutcome.Kind;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.MalformedEnvelopeException;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.events.SqsBatchResponse;
import dev.sluice.events.SqsEvent;
import dev.sluice.json.Json;
import dev.sluice.logging.LogContext;
import dev.sluice.metrics.EmfMetrics;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliver step: sends each record's payload to the integration's target API and decides, from
 * the answer, whether the record is done, should be retried, or goes to the dead-letter queue.
 *
 * <p>Triggered by the deliver queue with {@code ReportBatchItemFailures}: records reported as
 * failed come back after the visibility timeout; all others are deleted. A record is reported as
 * done only once it was delivered or written to the dead-letter queue, so none is ever lost. On its
 * last receive ({@code maxReceiveCount}) a record that would be retried is dead-lettered by this
 * handler instead, so that every dead-lettered record carries its reason.
 */
public final class DeliverHandler implements RequestStreamHandler {

  static final String STAGE = "deliver";
  static final String DELIVERED = "Delivered";
  static final String RETRIED = "Retried";
  static final String DEAD_LETTERED = "DeadLettered";
  static final String AUTH_FAILURES = "AuthFailures";

  private static final Logger LOG = LoggerFactory.getLogger(DeliverHandler.class);
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final String integration;
  private final Target target;
  private final UrlTemplate targetUrl;
  private final Duration timeout;
  private final int maxReceiveCount;
  private final String deadLetterQueueUrl;
  private final QueueSender queues;
  private final TargetCredentials credentials;
  private final HttpClient http;
  private final EmfMetrics metrics;
  private final Clock clock;

  /** The constructor Lambda calls: everything from the function's environment. */
  public DeliverHandler() {
    this(Settings.fromEnvironment());
  }

  private DeliverHandler(Settings settings) {
    this(
        settings,
        DefinitionCatalog.classpath(),
        new QueueSender(AwsClients.sqs(settings)),
        SecretStores.forSettings(settings),
        Clock.systemUTC());
  }

  /**
   * A handler with its parts given, for the local runner and tests.
   *
   * @throws InvalidDefinitionException when the integration or its target is not defined
   * @throws dev.sluice.settings.InvalidSettingsException when no dead-letter queue is set
   */
  public DeliverHandler(
      Settings settings,
      DefinitionCatalog catalog,
      QueueSender queues,
      SecretStore secrets,
      Clock clock) {
    IntegrationDefinition definition = catalog.load(settings.integration());
    if (definition.target() == null || definition.target().url() == null) {
      throw new InvalidDefinitionException(definition.name() + ": target.url is missing");
    }

    this.integration = definition.name();
    this.target = definition.target();
    this.targetUrl = UrlTemplate.of(target.url());
    this.timeout = Duration.ofSeconds(target.timeoutSecondsOrDefault());
    this.maxReceiveCount = definition.queues().maxReceiveCountOrDefault();
    this.deadLetterQueueUrl =
        Settings.required(settings.deadLetterQueueUrl(), Settings.DEAD_LETTER_QUEUE_URL);
    this.queues = queues;
    this.clock = clock;
    this.metrics = new EmfMetrics(clock);

    // HTTP/1.1 only: the JDK client's h2c upgrade on cleartext POSTs breaks some servers' bodies.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(
                timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT)
            .build();
    this.credentials = TargetCredentials.from(definition, secrets, http, clock);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    SqsEvent event = Json.mapper().readValue(input, SqsEvent.class);

    Json.mapper().writeValue(output, handle(event));
  }

  /** Delivers each record of the batch and names the ones SQS should deliver again. */
  public SqsBatchResponse handle(SqsEvent event) {
    Invocation invocation = new Invocation();
    List<String> failures = new ArrayList<>();

    try {
      for (SqsEvent.Message message : event.records()) {
        if (!process(message, invocation)) {
          failures.add(message.messageId());
        }
      }
    } finally {
      if (!event.records().isEmpty()) {
        metrics.publish(integration, invocation.counts);
      }
    }
    return SqsBatchResponse.failing(failures);
  }

  /** Handles one record; true when it may be deleted from the queue. */
  private boolean process(SqsEvent.Message message, Invocation invocation) {
    Envelope envelope;
    try {
      envelope = EnvelopeCodec.read(message.body());
    } catch (MalformedEnvelopeException e) {
      try (LogContext ignored = LogContext.open(integration, null, message.messageId())) {
        return deadLetterRaw(message, e.getMessage(), invocation);
      }
    }

    try (LogContext ignored = LogContext.open(envelope)) {
      if (!integration.equals(envelope.integration())) {
        String reason =
            "envelope of integration '" + envelope.integration() + "' on the queue of this one";
        return deadLetter(envelope, reason, invocation);
      }

      DeliveryOutcome outcome = attempt(envelope, message.approximateReceiveCount(), invocation);

      return settle(envelope, outcome, message.approximateReceiveCount(), invocation);
    } catch (RuntimeException e) {
      // Only the type: an unexpected exception's message could quote the payload.
      LOG.warn("delivery failed unexpectedly ({}); SQS will redeliver", e.getClass().getName());
      return false;
    }
  }

  /** Sends the record, refreshing the credentials once per invocation on a 401 or 403. */
  private DeliveryOutcome attempt(Envelope envelope, int receiveCount, Invocation invocation) {
    boolean idempotent = target.idempotencyHeader() != null && envelope.idempotencyKey() != null;
    URI url;
    try {
      url = targetUrl.expand(envelope.payload());
    } catch (IllegalArgumentException e) {
      return DeliveryOutcome.of(Kind.PERMANENT, e.getMessage());
    }

    try {
      HttpResponse<Void> response = send(url, envelope);
      if (isAuthRejection(response.statusCode()) && !invocation.credentialsRefreshed) {
        // The token may be revoked early or the secret rotated: read both again and retry once.
        // Once per invocation, so a batch against a target that refuses us costs one refresh.
        invocation.credentialsRefreshed = true;
        LOG.info("target answered {}; refreshing credentials and retrying", response.statusCode());
        credentials.invalidate();
        response = send(url, envelope);
      }

      return DeliveryOutcome.ofStatus(
          response.statusCode(),
          idempotent && receiveCount > 1,
          response.headers().firstValue("Retry-After"),
          clock.instant());
    } catch (HttpTimeoutException e) {
      return DeliveryOutcome.of(
          Kind.RETRY_LATER, "target did not answer within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      return DeliveryOutcome.of(
          Kind.RETRY_LATER, "target could not be reached (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DeliveryOutcome.of(Kind.RETRY_LATER, "delivery interrupted");
    } catch (CredentialsException e) {
      return DeliveryOutcome.of(
          e.rejected() ? Kind.AUTH_FAILURE : Kind.RETRY_LATER, e.getMessage());
    } catch (SecretNotFoundException e) {
      return DeliveryOutcome.of(Kind.AUTH_FAILURE, e.getMessage());
    }
  }

  private HttpResponse<Void> send(URI url, Envelope envelope)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .method(target.methodOrDefault(), HttpRequest.BodyPublishers.ofString(body(envelope)));

    // Fixed headers first, so that neither they nor anything else can replace the ones below.
    if (target.headers() != null) {
      target.headers().forEach(request::setHeader);
    }
    credentials.headers().forEach(request::setHeader);
    request.setHeader("Content-Type", "application/json");
    if (target.idempotencyHeader() != null && envelope.idempotencyKey() != null) {
      request.setHeader(target.idempotencyHeader(), envelope.idempotencyKey());
    }

    // The body is discarded unread: it may echo the record, and decisions need the status only.
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
  }

  /** Turns an outcome into done (true) or deliver-again (false), dead-lettering where due. */
  private boolean settle(
      Envelope envelope, DeliveryOutcome outcome, int receiveCount, Invocation invocation) {
    switch (outcome.kind()) {
      case DELIVERED, DUPLICATE -> {
        invocation.count(DELIVERED);
        LOG.info("delivered: {}", outcome.reason());
        return true;
      }
      case PERMANENT -> {
        return deadLetter(envelope, outcome.reason(), invocation);
      }
      default -> {
        if (outcome.kind() == Kind.AUTH_FAILURE) {
          invocation.count(AUTH_FAILURES);
          LOG.warn("credentials refused: {}", outcome.reason());
        }

        String attempt = " on attempt " + receiveCount + " of " + maxReceiveCount;
        if (receiveCount >= maxReceiveCount) {
          return deadLetter(envelope, outcome.reason() + attempt, invocation);
        }

        // Retry-After is reported, not enforced: the queue's visibility timeout sets the pace.
        invocation.count(RETRIED);
        LOG.info("will retry: {}{}", outcome.reason(), attempt);
        return false;
      }
    }
  }

  private boolean deadLetter(Envelope envelope, String reason, Invocation invocation) {
    try {
      queues.send(deadLetterQueueUrl, envelope, deadLetterAttributes(reason));
    } catch (RuntimeException e) {
      LOG.warn("could not dead-letter ({}): {}; SQS will redeliver", reason, e.getMessage());
      return false;
    }

    invocation.count(DEAD_LETTERED);
    LOG.info("dead-lettered: {}", reason);
    return true;
  }

  private boolean deadLetterRaw(SqsEvent.Message message, String reason, Invocation invocation) {
    Map<String, String> attributes = new LinkedHashMap<>(deadLetterAttributes(reason));
    attributes.put(MessageAttributes.INTEGRATION, integration);

    try {
      queues.sendRaw(deadLetterQueueUrl, message.body(), attributes);
    } catch (RuntimeException e) {
      LOG.warn(
          "could not dead-letter an unreadable envelope: {}; SQS will redeliver", e.getMessage());
      return false;
    }

    invocation.count(DEAD_LETTERED);
    // The parser's detail stays in the reason attribute: it can quote a piece of the body.
    LOG.info("dead-lettered: unreadable envelope");
    return true;
  }

  private static Map<String, String> deadLetterAttributes(String reason) {
    return Map.of(MessageAttributes.REASON, reason, MessageAttributes.STAGE, STAGE);
  }

  private String body(Envelope envelope) {
    try {
      return Json.mapper().writeValueAsString(targetUrl.body(envelope.payload()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("payload could not be serialised", e);
    }
  }

  private static boolean isAuthRejection(int status) {
    return status == 401 || status == 403;
  }

  /** What one invocation tracks: its metric counts, and whether it refreshed credentials. */
  private static final class Invocation {

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private boolean credentialsRefreshed;

    Invocation() {
      // Zeros are written too, so alarms on these metrics see data rather than gaps.
      for (String metric : List.of(DELIVERED, RETRIED, DEAD_LETTERED, AUTH_FAILURES)) {
        counts.put(metric, 0L);
      }
    }

    void count(String metric) {
      counts.merge(metric, 1L, Long::sum);
    }
  }
}
