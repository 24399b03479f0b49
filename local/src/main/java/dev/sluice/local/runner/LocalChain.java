package dev.sluice.local.runner;

import dev.sluice.auth.secrets.SecretStore;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.deliver.DeliverHandler;
import dev.sluice.ingress.IngressHandler;
import dev.sluice.queue.QueueSender;
import dev.sluice.settings.Settings;
import dev.sluice.transform.TransformHandler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One integration's whole chain on a local machine: its queues, the three handlers built with the
 * same settings variables they read in Lambda, and an event source mapping per consumer.
 */
public final class LocalChain implements AutoCloseable {

  private final IntegrationDefinition definition;
  private final IntegrationQueues queues;
  private final IngressHandler ingress;
  private final EventSourceMapping transform;
  private final EventSourceMapping deliver;

  private LocalChain(
      IntegrationDefinition definition,
      IntegrationQueues queues,
      IngressHandler ingress,
      EventSourceMapping transform,
      EventSourceMapping deliver) {
    this.definition = definition;
    this.queues = queues;
    this.ingress = ingress;
    this.transform = transform;
    this.deliver = deliver;
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
      SecretStore secrets,
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
      SecretStore secrets,
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
    IngressHandler ingress = new IngressHandler(settings, catalog, sender, secrets, clock);
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
    return new LocalChain(definition, queues, ingress, transform, deliver);
  }

  public IntegrationDefinition definition() {
    return definition;
  }

  public IntegrationQueues queues() {
    return queues;
  }

  /** The ingress handler, for the local webhook endpoint. */
  public IngressHandler ingress() {
    return ingress;
  }

  @Override
  public void close() {
    transform.close();
    deliver.close();
  }
}
