package dev.sluice.poll;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.credentials.CredentialsException;
import dev.sluice.auth.credentials.RefreshTokenRefusedException;
import dev.sluice.auth.credentials.TargetCredentials;
import dev.sluice.auth.secrets.SecretNotFoundException;
import dev.sluice.auth.secrets.SecretStore;
import dev.sluice.auth.secrets.SecretStores;
import dev.sluice.aws.AwsClients;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.IntegrationDefinition.Source;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.envelope.IdempotencyKeys;
import dev.sluice.envelope.MalformedEnvelopeException;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.events.ScheduledEvent;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll step of a scheduled integration. Invoked two ways:
 *
 * <ul>
 *   <li>by the schedule ({@link ScheduledEvent}, any of its shapes): it derives the window from the
 *       scheduled time and puts the window's first page task on the poll queue;
 *   <li>by the poll queue (an SQS event of page tasks): for each task it fetches that page from the
 *       source, puts each record on the ingest queue as an envelope (so transform and deliver work
 *       as for webhooks) and then puts the next page's task on the poll queue.
 * </ul>
 *
 * <p>A task is reported done only after its records and its successor were accepted by SQS, so a
 * run cut short resumes from the task still on the queue, and a repeated page only repeats
 * idempotent upserts. Rate limits, outages and timeouts are retried through the queue's visibility
 * timeout; on the last receive, or at once for a refusal retrying cannot fix, the task goes to the
 * dead-letter queue with its reason, from where it can be moved back to replay the window.
 */
public final class PollHandler implements RequestStreamHandler {

  static final String STAGE = "poll";
  static final String PAGES_FETCHED = "PagesFetched";
  static final String RECORDS_ENQUEUED = "RecordsEnqueued";
  static final String RETRIED = "Retried";
  static final String DEAD_LETTERED = "DeadLettered";
  static final String AUTH_FAILURES = "AuthFailures";

  private static final Logger LOG = LoggerFactory.getLogger(PollHandler.class);

  private final String integration;
  private final IntegrationDefinition definition;
  private final Source source;
  private final HubSpotSearch search;
  private final URI sourceUrl;
  private final Duration timeout;
  private final int maxReceiveCount;
  private final String ingestQueueUrl;
  private final String pollQueueUrl;
  private final String deadLetterQueueUrl;
  private final QueueSender queues;
  private final TargetCredentials credentials;
  private final HttpClient http;
  private final EmfMetrics metrics;

  /** The constructor Lambda calls: everything from the function's environment. */
  public PollHandler() {
    this(Settings.fromEnvironment());
  }

  private PollHandler(Settings settings) {
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
   * @throws InvalidDefinitionException when the integration is not a scheduled one with a source
   * @throws dev.sluice.settings.InvalidSettingsException when a queue URL is missing
   */
  public PollHandler(
      Settings settings,
      DefinitionCatalog catalog,
      QueueSender queues,
      SecretStore secrets,
      Clock clock) {
    this.definition = catalog.load(settings.integration());
    this.integration = definition.name();
    if (!definition.isScheduled() || definition.source() == null) {
      throw new InvalidDefinitionException(
          integration + ": the poll function needs trigger.type schedule and a source");
    }
    this.source = definition.source();
    if (!Source.HUBSPOT_CRM_SEARCH.equals(source.type())) {
      throw new InvalidDefinitionException(
          integration
              + ": source.type '"
              + source.type()
              + "' is not supported; use "
              + Source.HUBSPOT_CRM_SEARCH);
    }

    this.search = new HubSpotSearch(source);
    this.sourceUrl = URI.create(source.url());
    this.timeout = Duration.ofSeconds(source.timeoutSecondsOrDefault());
    this.maxReceiveCount = definition.queues().maxReceiveCountOrDefault();
    this.ingestQueueUrl = Settings.required(settings.ingestQueueUrl(), Settings.INGEST_QUEUE_URL);
    this.pollQueueUrl = Settings.required(settings.pollQueueUrl(), Settings.POLL_QUEUE_URL);
    this.deadLetterQueueUrl =
        Settings.required(settings.deadLetterQueueUrl(), Settings.DEAD_LETTER_QUEUE_URL);
    this.queues = queues;
    this.metrics = new EmfMetrics(clock);
    // HTTP/1.1 only: the JDK client's h2c upgrade on cleartext POSTs breaks some servers' bodies.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    this.credentials =
        TargetCredentials.from(integration, "source.auth", source.auth(), secrets, http, clock);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode event = Json.mapper().readTree(input);

    if (event != null && event.has("Records")) {
      Json.mapper().writeValue(output, handle(Json.mapper().treeToValue(event, SqsEvent.class)));
    } else {
      ScheduledEvent scheduled = Json.mapper().treeToValue(event, ScheduledEvent.class);
      Json.mapper().writeValue(output, Map.of("pageTask", schedule(scheduled)));
    }
  }

  /**
   * Starts the window of a scheduled run: puts its first page task on the poll queue.
   *
   * @return the id SQS gave the page task
   * @throws IllegalArgumentException when the event carries no scheduled time
   * @throws dev.sluice.queue.QueueWriteException when SQS did not accept it (the invocation fails,
   *     and the schedule's retry policy tries again)
   */
  public String schedule(ScheduledEvent event) {
    PollWindow window =
        PollWindow.scheduled(
            event.scheduledTime(),
            definition.trigger().window(integration),
            definition.trigger().overlapOrDefault());
    Envelope task = PageTasks.first(integration, window);

    try (LogContext ignored = LogContext.open(task)) {
      String id = queues.send(pollQueueUrl, task, Map.of());
      LOG.info("window {} started", window);
      return id;
    }
  }

  /** Works through a batch of page tasks and names the ones SQS should deliver again. */
  public SqsBatchResponse handle(SqsEvent event) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String metric :
        List.of(PAGES_FETCHED, RECORDS_ENQUEUED, RETRIED, DEAD_LETTERED, AUTH_FAILURES)) {
      counts.put(metric, 0L);
    }
    List<String> failures = new ArrayList<>();

    try {
      for (SqsEvent.Message message : event.records()) {
        if (!process(message, counts)) {
          failures.add(message.messageId());
        }
      }
    } finally {
      if (!event.records().isEmpty()) {
        metrics.publish(integration, counts);
      }
    }
    return SqsBatchResponse.failing(failures);
  }

  /** Handles one page task; true when it may be deleted from the queue. */
  private boolean process(SqsEvent.Message message, Map<String, Long> counts) {
    Envelope envelope;
    PageTask task;
    try {
      envelope = EnvelopeCodec.read(message.body());
      task = Json.mapper().treeToValue(envelope.payload(), PageTask.class);
      if (task == null || task.from() == null || task.to() == null) {
        throw new MalformedEnvelopeException("payload is not a page task");
      }
    } catch (MalformedEnvelopeException | IOException | IllegalArgumentException e) {
      try (LogContext ignored = LogContext.open(integration, null, message.messageId())) {
        return deadLetterRaw(message, "not a page task", counts);
      }
    }

    try (LogContext ignored = LogContext.open(envelope)) {
      return fetchAndEnqueue(envelope, task, message.approximateReceiveCount(), counts);
    } catch (RuntimeException e) {
      // Only the type: an unexpected exception's message could quote the payload.
      LOG.warn("page task failed unexpectedly ({}); SQS will redeliver", e.getClass().getName());
      return false;
    }
  }

  private boolean fetchAndEnqueue(
      Envelope envelope, PageTask task, int receiveCount, Map<String, Long> counts) {
    Fetch fetch = fetch(task);
    if (fetch.page == null) {
      if (fetch.authFailure) {
        counts.merge(AUTH_FAILURES, 1L, Long::sum);
        LOG.warn("source refused the credentials: {}", fetch.reason);
      }
      return settleFailure(envelope, task, fetch, receiveCount, counts);
    }
    counts.merge(PAGES_FETCHED, 1L, Long::sum);
    HubSpotSearch.Page page = fetch.page;
    if (task.page() == 1 && page.total() > HubSpotSearch.MAX_RESULTS) {
      LOG.warn(
          "window {} matches {} records; the search pages through {} at most: shorten"
              + " trigger.schedule",
          task.window(),
          page.total(),
          HubSpotSearch.MAX_RESULTS);
    }

    // Records first, then the next task: if anything fails, this task comes back and redoes both.
    Map<String, Envelope> records = new LinkedHashMap<>();
    for (JsonNode record : page.results()) {
      String sourceEventId = HubSpotSearch.sourceEventId(record);
      Envelope out =
          new Envelope(
              Envelope.SCHEMA_VERSION,
              integration,
              UUID.randomUUID().toString(),
              envelope.correlationId(),
              sourceEventId,
              IdempotencyKeys.of(integration, sourceEventId),
              1,
              envelope.triggerTime(),
              record);
      records.put(out.messageId(), out);
    }
    Map<String, String> refused = queues.sendBatch(ingestQueueUrl, records, Map.of());
    if (!refused.isEmpty()) {
      LOG.warn(
          "page {}: {} of {} records not accepted by the ingest queue ({}); SQS will redeliver",
          task.page(),
          refused.size(),
          records.size(),
          refused.values().iterator().next());
      return false;
    }
    counts.merge(RECORDS_ENQUEUED, (long) records.size(), Long::sum);

    if (page.after().isPresent()) {
      Envelope next =
          PageTasks.envelope(integration, envelope.correlationId(), task.next(page.after().get()));
      try {
        queues.send(pollQueueUrl, next, Map.of());
      } catch (RuntimeException e) {
        LOG.warn(
            "page {}: next page task not queued ({}); SQS will redeliver",
            task.page(),
            e.getMessage());
        return false;
      }
    }
    LOG.info(
        "page {} of window {}: {} records enqueued{}",
        task.page(),
        task.window(),
        records.size(),
        page.after().isPresent() ? ", next page queued" : ", last page");
    return true;
  }

  private boolean settleFailure(
      Envelope envelope, PageTask task, Fetch fetch, int receiveCount, Map<String, Long> counts) {
    if (fetch.permanent) {
      return deadLetter(envelope, fetch.reason, counts);
    }
    String attempt = " on attempt " + receiveCount + " of " + maxReceiveCount;
    if (receiveCount >= maxReceiveCount) {
      return deadLetter(envelope, fetch.reason + attempt, counts);
    }
    counts.merge(RETRIED, 1L, Long::sum);
    LOG.info("page {} will be retried: {}{}", task.page(), fetch.reason, attempt);
    return false;
  }

  /** Fetches one page, reading the credentials again once after a 401 or 403. */
  private Fetch fetch(PageTask task) {
    String body = search.requestBody(task);
    try {
      HttpResponse<String> response = send(body);
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        // The keeper may have rotated the token since this instance cached the secret.
        LOG.info("source answered {}; reading the credentials again", response.statusCode());
        credentials.invalidate();
        response = send(body);
      }
      return classify(response);
    } catch (HttpTimeoutException e) {
      return Fetch.retry("source did not answer within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      return Fetch.retry("source could not be reached (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Fetch.retry("fetch interrupted");
    } catch (RefreshTokenRefusedException e) {
      // Retrying cannot bring the token back: park the window now, replay it once re-authorized.
      return new Fetch(null, e.getMessage(), true, true);
    } catch (CredentialsException e) {
      return e.rejected() ? Fetch.auth(e.getMessage()) : Fetch.retry(e.getMessage());
    } catch (SecretNotFoundException e) {
      return Fetch.auth(e.getMessage());
    }
  }

  private HttpResponse<String> send(String body) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(sourceUrl)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    credentials.headers().forEach(request::setHeader);
    request.setHeader("Content-Type", "application/json");
    request.setHeader("Accept", "application/json");

    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static Fetch classify(HttpResponse<String> response) {
    int status = response.statusCode();
    String answered = "source answered " + status;
    if (status / 100 == 2) {
      try {
        return Fetch.ok(HubSpotSearch.page(response.body()));
      } catch (IllegalArgumentException e) {
        return Fetch.permanent(answered + " but " + e.getMessage());
      }
    }
    if (status == 401 || status == 403) {
      return Fetch.auth(answered + " after the credentials were read again");
    }
    // HubSpot's 429s carry no Retry-After; the visibility timeout paces the retry.
    if (status == 429 || status == 408 || status >= 500) {
      return Fetch.retry(answered);
    }
    return Fetch.permanent(answered + " (the search request was refused: check source)");
  }

  private boolean deadLetter(Envelope envelope, String reason, Map<String, Long> counts) {
    try {
      queues.send(deadLetterQueueUrl, envelope, attributes(reason));
    } catch (RuntimeException e) {
      LOG.warn("could not dead-letter ({}): {}; SQS will redeliver", reason, e.getMessage());
      return false;
    }
    counts.merge(DEAD_LETTERED, 1L, Long::sum);
    LOG.info("page task dead-lettered: {}", reason);
    return true;
  }

  private boolean deadLetterRaw(SqsEvent.Message message, String reason, Map<String, Long> counts) {
    Map<String, String> attributes = new LinkedHashMap<>(attributes(reason));
    attributes.put(MessageAttributes.INTEGRATION, integration);
    try {
      queues.sendRaw(deadLetterQueueUrl, message.body(), attributes);
    } catch (RuntimeException e) {
      LOG.warn("could not dead-letter an unreadable page task: {}", e.getMessage());
      return false;
    }
    counts.merge(DEAD_LETTERED, 1L, Long::sum);
    LOG.info("dead-lettered: {}", reason);
    return true;
  }

  private static Map<String, String> attributes(String reason) {
    return Map.of(MessageAttributes.REASON, reason, MessageAttributes.STAGE, STAGE);
  }

  /** The result of one fetch: a page, or why not and whether retrying can help. */
  private static final class Fetch {
    private final HubSpotSearch.Page page;
    private final String reason;
    private final boolean permanent;
    private final boolean authFailure;

    private Fetch(HubSpotSearch.Page page, String reason, boolean permanent, boolean authFailure) {
      this.page = page;
      this.reason = reason;
      this.permanent = permanent;
      this.authFailure = authFailure;
    }

    static Fetch ok(HubSpotSearch.Page page) {
      return new Fetch(page, null, false, false);
    }

    static Fetch retry(String reason) {
      return new Fetch(null, reason, false, false);
    }

    static Fetch permanent(String reason) {
      return new Fetch(null, reason, true, false);
    }

    static Fetch auth(String reason) {
      return new Fetch(null, reason, false, true);
    }
  }
}
