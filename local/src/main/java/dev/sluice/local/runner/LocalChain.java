package dev.sluice.local.runner;

import dev.sluice.auth.secrets.WritableSecretStore;
import dev.sluice.auth.tokens.TokenKeeper;
import dev.sluice.auth.tokens.TokenKeeperHandler;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.deliver.DeliverHandler;
import dev.sluice.ingress.IngressHandler;
import dev.sluice.json.Json;
import dev.sluice.poll.PageTasks;
import dev.sluice.poll.PollHandler;
import dev.sluice.poll.PollWindow;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import dev.sluice.transform.TransformHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One integration's whole chain on a local machine: its queues, the handlers built with the same
 * settings variables they read in Lambda, and an event source mapping per consumer. A webhook
 * integration has the ingress handler; a scheduled one has the poll handler on its poll queue and,
 * when it uses refresh tokens, the token keeper.
 */
public final class LocalChain implements AutoCloseable {

  private final IntegrationDefinition definition;
  private final IntegrationQueues queues;
  private final QueueSender sender;
  private final IngressHandler ingress;
  private final PollHandler poll;
  private final TokenKeeperHandler keeper;
  private final EventSourceMapping[] mappings;

  private LocalChain(
      IntegrationDefinition definition,
      IntegrationQueues queues,
      QueueSender sender,
      IngressHandler ingress,
      PollHandler poll,
      TokenKeeperHandler keeper,
      EventSourceMapping... mappings) {
    this.definition = definition;
    this.queues = queues;
    this.sender = sender;
    this.ingress = ingress;
    this.poll = poll;
    this.keeper = keeper;
    this.mappings = mappings;
  }

  /**
   * Creates the integration's queues and starts its consumers.
   *
   * @param endpoint the SQS endpoint the handlers talk to
   * @param visibilityTimeout how long a failed record stays invisible before it is retried
   */
  public static LocalChain start(
      SqsClient sqs,
      URI endpoint,
      DefinitionCatalog catalog,
      WritableSecretStore secrets,
      String integration,
      Duration visibilityTimeout) {
    return start(sqs, endpoint, catalog, secrets, integration, integration, visibilityTimeout);
  }

  /**
   * Creates the integration's queues, named with {@code queuePrefix}, and starts its consumers.
   *
   * @param endpoint the SQS endpoint the handlers talk to
   * @param visibilityTimeout how long a failed record stays invisible before it is retried
   */
  public static LocalChain start(
      SqsClient sqs,
      URI endpoint,
      DefinitionCatalog catalog,
      WritableSecretStore secrets,
      String integration,
      String queuePrefix,
      Duration visibilityTimeout) {
    IntegrationDefinition definition = catalog.load(integration);
    IntegrationQueues queues =
        IntegrationQueues.create(sqs, definition, queuePrefix, visibilityTimeout);

    Map<String, String> env = new HashMap<>();
    env.put(Settings.INTEGRATION, integration);
    env.put(Settings.INGEST_QUEUE_URL, queues.ingest());
    env.put(Settings.DELIVER_QUEUE_URL, queues.deliver());
    env.put(Settings.QUARANTINE_QUEUE_URL, queues.quarantine());
    env.put(Settings.DEAD_LETTER_QUEUE_URL, queues.deliverDeadLetter());
    env.put(Settings.AWS_ENDPOINT_URL, endpoint.toString());
    Settings settings = Settings.from(env);

    QueueSender sender = new QueueSender(sqs);
    Clock clock = Clock.systemUTC();
    int batchSize = definition.queues().batchSizeOrDefault();
    EventSourceMapping transform =
        new EventSourceMapping(
            sqs,
            queues.ingest(),
            integration + "-transform",
            new TransformHandler(settings, catalog, sender),
            batchSize);
    EventSourceMapping deliver =
        new EventSourceMapping(
            sqs,
            queues.deliver(),
            integration + "-deliver",
            new DeliverHandler(settings, catalog, sender, secrets, clock),
            batchSize);
    if (!definition.isScheduled()) {
      IngressHandler ingress = new IngressHandler(settings, catalog, sender, secrets, clock);
      return new LocalChain(definition, queues, sender, ingress, null, null, transform, deliver);
    }

    // The poll function has its own dead-letter queue, as it has in AWS.
    Map<String, String> pollEnv = new HashMap<>(env);
    pollEnv.put(Settings.POLL_QUEUE_URL, queues.poll());
    pollEnv.put(Settings.DEAD_LETTER_QUEUE_URL, queues.pollDeadLetter());
    PollHandler poll = new PollHandler(Settings.from(pollEnv), catalog, sender, secrets, clock);
    EventSourceMapping pages =
        new EventSourceMapping(sqs, queues.poll(), integration + "-poll", poll, batchSize);
    TokenKeeperHandler keeper =
        new TokenKeeperHandler(
            settings,
            catalog,
            secrets,
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
            clock);
    return new LocalChain(
        definition, queues, sender, null, poll, keeper, pages, transform, deliver);
  }

  public IntegrationDefinition definition() {
    return definition;
  }

  public IntegrationQueues queues() {
    return queues;
  }

  /**
   * The ingress handler, for the local webhook endpoint.
   *
   * @throws IllegalStateException for a scheduled integration
   */
  public IngressHandler ingress() {
    if (ingress == null) {
      throw new IllegalStateException(definition.name() + " is scheduled: it has no webhooks");
    }
    return ingress;
  }

  /**
   * Fires the schedule once: invokes the poll function with the event EventBridge Scheduler sends
   * ({@code detail} as a string), as the scheduled time {@code at}.
   */
  public void schedule(Instant at) {
    requireScheduled();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Scheduled Event");
    event.put("source", "aws.scheduler");
    event.put("account", "000000000000");
    event.put("time", at.toString());
    event.put("region", "us-east-1");
    event.put(
        "resources", new String[] {"arn:aws:scheduler:::schedule/default/" + definition.name()});
    event.put("detail", "{}");

    try {
      byte[] json = Json.mapper().writeValueAsBytes(event);
      poll.handleRequest(
          new ByteArrayInputStream(json),
          new ByteArrayOutputStream(),
          new LocalLambdaContext(definition.name() + "-poll", Duration.ofMinutes(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Puts the first page task of an old window on the poll queue, as {@code sluice backfill} does.
   *
   * @return the id SQS gave the task
   */
  public String backfill(PollWindow window) {
    requireScheduled();
    return sender.send(queues.poll(), PageTasks.first(definition.name(), window), Map.of());
  }

  /** Runs the token keeper once, as its schedule would. */
  public Map<String, TokenKeeper.Result> refreshTokens() {
    requireScheduled();
    return keeper.run();
  }

  private void requireScheduled() {
    if (poll == null) {
      throw new IllegalStateException(definition.name() + " is not a scheduled integration");
    }
  }

  @Override
  public void close() {
    for (EventSourceMapping mapping : mappings) {
      mapping.close();
    }
  }
}
