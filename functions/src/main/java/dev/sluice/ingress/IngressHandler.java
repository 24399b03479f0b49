package dev.sluice.ingress;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.secrets.SecretNotFoundException;
import dev.sluice.auth.secrets.SecretStore;
import dev.sluice.auth.secrets.SecretStores;
import dev.sluice.auth.webhook.SignatureScheme;
import dev.sluice.auth.webhook.Verdict;
import dev.sluice.auth.webhook.WebhookRequest;
import dev.sluice.aws.AwsClients;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.IdempotencyKeys;
import dev.sluice.events.HttpRequestEvent;
import dev.sluice.events.HttpResponseEvent;
import dev.sluice.json.Json;
import dev.sluice.logging.LogContext;
import dev.sluice.queue.MessageTooLargeException;
import dev.sluice.queue.QueueSender;
import dev.sluice.queue.QueueWriteException;
import dev.sluice.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives SaaS webhooks from an API Gateway HTTP API (payload 2.0) or a Lambda Function URL,
 * checks them and puts them on the integration's ingest queue.
 *
 * <p>It answers 202 only once SQS confirmed the message, so a 2xx always means "safely queued"; 503
 * when the queue could not be written, so the SaaS retries; 401 for a bad signature without saying
 * which part failed (the reason goes to the log); 400 for a body that is not JSON; 413 over the
 * size limit; 404 for an integration this function does not serve.
 */
public final class IngressHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(IngressHandler.class);

  private final Settings settings;
  private final IntegrationDefinition definition;
  private final SignatureScheme scheme;
  private final QueueSender queueSender;
  private final SecretStore secrets;
  private final Clock clock;
  private final WebhookBodyReader bodyReader = new WebhookBodyReader();

  /** The constructor Lambda uses: everything from the function's environment. */
  public IngressHandler() {
    this(Settings.fromEnvironment());
  }

  private IngressHandler(Settings settings) {
    this(
        settings,
        DefinitionCatalog.classpath(),
        new QueueSender(AwsClients.sqs(settings)),
        SecretStores.forSettings(settings),
        Clock.systemUTC());
  }

  /**
   * A handler with its parts given, for the local runner and tests. The definition is read once
   * here, not per webhook, so that answering stays quick.
   *
   * @throws dev.sluice.definition.InvalidDefinitionException when the integration is not defined
   */
  public IngressHandler(
      Settings settings,
      DefinitionCatalog catalog,
      QueueSender queueSender,
      SecretStore secrets,
      Clock clock) {
    this.settings = settings;
    this.definition = catalog.load(settings.integration());
    this.scheme = SignatureScheme.fromName(definition.trigger().scheme());
    this.queueSender = queueSender;
    this.secrets = secrets;
    this.clock = clock;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    HttpRequestEvent request = Json.mapper().readValue(input, HttpRequestEvent.class);
    Json.mapper().writeValue(output, handle(request));
  }

  /** Checks one webhook and queues it; the response is what the SaaS sees. */
  public HttpResponseEvent handle(HttpRequestEvent request) {
    String correlationId = correlationId(request);
    String integration = integrationName(request);

    try (LogContext ignored = LogContext.open(integration, correlationId, null)) {
      if (!definition.name().equals(integration)) {
        LOG.warn("webhook for an integration this function does not serve");
        return IngressResponses.notFound();
      }

      return accept(request, correlationId);
    }
  }

  private HttpResponseEvent accept(HttpRequestEvent request, String correlationId) {
    IntegrationDefinition.Trigger trigger = definition.trigger();
    if (request.requestContext() != null
        && request.requestContext().http() != null
        && !"POST".equalsIgnoreCase(request.requestContext().http().method())) {
      return IngressResponses.methodNotAllowed();
    }

    Optional<byte[]> body = bodyReader.rawBody(request);
    if (body.isEmpty()) {
      LOG.warn("webhook rejected: body is marked base64 but is not valid base64");
      return IngressResponses.badRequest("body is not valid base64");
    }
    if (body.get().length > trigger.maxBodyBytesOrDefault()) {
      LOG.warn(
          "webhook rejected: body of {} bytes exceeds the limit of {}",
          body.get().length,
          trigger.maxBodyBytesOrDefault());
      return IngressResponses.tooLarge();
    }

    WebhookRequest webhook = new WebhookRequest(request.headers(), body.get());
    Verdict verdict;
    try {
      verdict =
          scheme
              .verifier()
              .verify(
                  webhook,
                  secrets.secretString(trigger.secret()),
                  clock.instant(),
                  trigger.toleranceSecondsOrDefault());
    } catch (SecretNotFoundException e) {
      // Our configuration is broken, not the sender's request: ask the SaaS to retry later.
      LOG.error("webhook signing secret unavailable: {}", e.getMessage());
      return IngressResponses.unavailable();
    }
    if (!verdict.valid()) {
      LOG.warn("webhook rejected: {}", verdict.reason());
      return IngressResponses.unauthorized();
    }

    Optional<JsonNode> payload = bodyReader.parse(body.get(), request.headers());
    if (payload.isEmpty()) {
      LOG.warn("webhook rejected: signed body is not well-formed JSON or form data");
      return IngressResponses.badRequest("body is not well-formed JSON");
    }

    return enqueue(webhook, payload.get(), correlationId);
  }

  private HttpResponseEvent enqueue(
      WebhookRequest webhook, JsonNode payload, String correlationId) {
    String sourceEventId = SourceEventIds.of(scheme, webhook, payload);
    Envelope envelope =
        new Envelope(
            Envelope.SCHEMA_VERSION,
            definition.name(),
            UUID.randomUUID().toString(),
            correlationId,
            sourceEventId,
            IdempotencyKeys.of(definition.name(), sourceEventId),
            1,
            clock.instant(),
            payload);

    try (LogContext ignored = LogContext.open(envelope)) {
      String queueUrl = Settings.required(settings.ingestQueueUrl(), Settings.INGEST_QUEUE_URL);
      queueSender.send(queueUrl, envelope, Map.of());
      LOG.info("webhook queued, source event {}", sourceEventId);
      return IngressResponses.accepted(envelope);
    } catch (MessageTooLargeException e) {
      LOG.warn("webhook rejected: {}", e.getMessage());
      return IngressResponses.tooLarge();
    } catch (QueueWriteException e) {
      LOG.error("webhook not queued, the sender will retry: {}", e.getMessage());
      return IngressResponses.unavailable();
    }
  }

  private static String integrationName(HttpRequestEvent request) {
    String fromRoute = request.pathParameters().get("integration");
    if (fromRoute != null) {
      return fromRoute;
    }

    // Function URLs have no route parameters: the name is the last path segment.
    String path = request.rawPath() == null ? "" : request.rawPath();
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  private static String correlationId(HttpRequestEvent request) {
    if (request.requestContext() != null && request.requestContext().requestId() != null) {
      return request.requestContext().requestId();
    }
    return UUID.randomUUID().toString();
  }
}
