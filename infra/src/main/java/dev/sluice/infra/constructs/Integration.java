package dev.sluice.infra.constructs;

import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.IntegrationDefinition.Trigger;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.settings.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * One integration as it runs in AWS: its start (a webhook ingress for {@code trigger.type:
 * webhook}, a scheduled poller for {@code schedule}), the transform and deliver steps, the queues
 * between them with their dead-letter queues, the quarantine queue, and alarms to the on-call topic
 * when a record stops at a dead end. Everything comes from the definition.
 */
public final class Integration extends Construct {

  /** Handler classes in the deployable jar, named as strings: infra does not link handlers. */
  static final String INGRESS_HANDLER = "dev.sluice.ingress.IngressHandler::handleRequest";

  static final String TRANSFORM_HANDLER = "dev.sluice.transform.TransformHandler::handleRequest";
  static final String DELIVER_HANDLER = "dev.sluice.deliver.DeliverHandler::handleRequest";

  /** Ingress verifies, size-checks and enqueues one webhook; the SaaS waits for the answer. */
  public static final Duration INGRESS_TIMEOUT = Duration.seconds(10);

  /** Mapping and checking a batch is CPU work on records of at most 256 KiB each. */
  public static final Duration TRANSFORM_TIMEOUT = Duration.seconds(30);

  /** Lambda limit on a function timeout. */
  static final long MAX_FUNCTION_TIMEOUT_SECONDS = 900;

  /** Batches larger than ten need a batching window of at least one second (Lambda rule). */
  static final int LARGEST_BATCH_WITHOUT_WINDOW = 10;

  private final IntegrationDefinition definition;
  private final WebhookIngress ingress;
  private final ScheduledPoller poller;
  private final QueueConnectedStep transform;
  private final QueueConnectedStep deliver;
  private final DeadLetteredQueue ingestQueue;
  private final DeadLetteredQueue deliverQueue;
  private final QuarantineQueue quarantineQueue;
  private final List<Alarm> alarms = new ArrayList<>();

  /**
   * What the integration is built from.
   *
   * @param definition the integration definition
   * @param key the customer managed key every queue is encrypted with
   * @param onCall the topic alarms notify
   * @param jar the deployable jar
   */
  public record Props(IntegrationDefinition definition, IKey key, ITopic onCall, Path jar) {}

  public Integration(Construct scope, String id, Props props) {
    super(scope, id);

    this.definition = props.definition();
    String name = definition.name();
    IntegrationDefinition.Queues settings = definition.queues();
    Duration retention = retention(definition);
    int batchSize = settings.batchSizeOrDefault();
    int concurrency = settings.reservedConcurrencyOrDefault();
    Duration batchingWindow = Duration.seconds(batchSize > LARGEST_BATCH_WITHOUT_WINDOW ? 1 : 0);
    Duration deliverTimeout = deliverTimeout(definition);

    // Each consumer's queue gets exactly the visibility timeout Lambda asks for.
    this.ingestQueue =
        new DeadLetteredQueue(
            this,
            "IngestQueue",
            new DeadLetteredQueue.Props(
                props.key(),
                retention,
                QueueConnectedStep.minimumVisibility(TRANSFORM_TIMEOUT, batchingWindow),
                settings.maxReceiveCountOrDefault()));
    this.deliverQueue =
        new DeadLetteredQueue(
            this,
            "DeliverQueue",
            new DeadLetteredQueue.Props(
                props.key(),
                retention,
                QueueConnectedStep.minimumVisibility(deliverTimeout, batchingWindow),
                settings.maxReceiveCountOrDefault()));
    this.quarantineQueue = new QuarantineQueue(this, "QuarantineQueue", props.key(), retention);

    String type = definition.trigger() == null ? null : definition.trigger().type();
    if (Trigger.WEBHOOK.equals(type)) {
      this.poller = null;
      this.ingress =
          new WebhookIngress(
              this,
              "WebhookIngress",
              new WebhookIngress.Props(
                  name,
                  new SluiceFunction.Props(
                      name + " ingress: verifies webhooks and queues them",
                      INGRESS_HANDLER,
                      props.jar(),
                      INGRESS_TIMEOUT,
                      concurrency,
                      Map.of(
                          Settings.INTEGRATION,
                          name,
                          Settings.INGEST_QUEUE_URL,
                          ingestQueue.queue().getQueueUrl()))));
      ingress.function().allowSendMessages(ingestQueue.queue(), props.key());
      ingress.function().allowReadSecret(webhookSecret(definition));
    } else if (Trigger.SCHEDULE.equals(type)) {
      this.ingress = null;
      this.poller =
          new ScheduledPoller(
              this,
              "ScheduledPoller",
              new ScheduledPoller.Props(
                  definition, props.key(), props.jar(), retention, ingestQueue.queue()));
    } else {
      throw new InvalidDefinitionException(
          name
              + ": trigger.type must be "
              + Trigger.WEBHOOK
              + " or "
              + Trigger.SCHEDULE
              + ", not "
              + type);
    }

    this.transform =
        new QueueConnectedStep(
            this,
            "TransformStep",
            new QueueConnectedStep.Props(
                new SluiceFunction.Props(
                    name + " transform: maps and checks records",
                    TRANSFORM_HANDLER,
                    props.jar(),
                    TRANSFORM_TIMEOUT,
                    concurrency,
                    Map.of(
                        Settings.INTEGRATION, name,
                        Settings.DELIVER_QUEUE_URL, deliverQueue.queue().getQueueUrl(),
                        Settings.QUARANTINE_QUEUE_URL, quarantineQueue.queue().getQueueUrl())),
                ingestQueue,
                batchSize,
                batchingWindow));
    transform.function().allowSendMessages(deliverQueue.queue(), props.key());
    transform.function().allowSendMessages(quarantineQueue.queue(), props.key());

    // Deliver writes a record that can never be delivered to the deliver queue's own DLQ, with
    // the reason, instead of letting the redrive move it there without one.
    this.deliver =
        new QueueConnectedStep(
            this,
            "DeliverStep",
            new QueueConnectedStep.Props(
                new SluiceFunction.Props(
                    name + " deliver: calls the target API",
                    DELIVER_HANDLER,
                    props.jar(),
                    deliverTimeout,
                    concurrency,
                    Map.of(
                        Settings.INTEGRATION,
                        name,
                        Settings.DEAD_LETTER_QUEUE_URL,
                        deliverQueue.deadLetterQueue().getQueueUrl())),
                deliverQueue,
                batchSize,
                batchingWindow));
    deliver.function().allowSendMessages(deliverQueue.deadLetterQueue(), props.key());
    targetSecret(definition).ifPresent(deliver.function()::allowReadSecret);

    if (poller != null) {
      alarmOnRecordsIn(
          poller.scheduleDeadLetterQueue(),
          "ScheduleDeadLetters",
          "a scheduled run never started; replay its window",
          props.onCall());
      alarmOnRecordsIn(
          poller.pageTaskQueue().deadLetterQueue(),
          "PageTaskDeadLetters",
          "the source refused a page or kept failing",
          props.onCall());
    }
    alarmOnRecordsIn(
        ingestQueue.deadLetterQueue(),
        "IngestDeadLetters",
        "the transform step kept failing",
        props.onCall());
    alarmOnRecordsIn(
        quarantineQueue.queue(),
        "Quarantined",
        "records failed the target's checks",
        props.onCall());
    alarmOnRecordsIn(
        deliverQueue.deadLetterQueue(),
        "DeliverDeadLetters",
        "the target refused records or kept failing",
        props.onCall());
  }

  /**
   * The deliver timeout: every record of a batch may take one target call and one token call, each
   * bounded by the target timeout, plus a margin for the queue writes; at most Lambda's 15 minutes.
   */
  static Duration deliverTimeout(IntegrationDefinition definition) {
    long perRecord = 2L * definition.target().timeoutSecondsOrDefault() + 1;
    long seconds = definition.queues().batchSizeOrDefault() * perRecord + 10;
    return Duration.seconds(Math.min(seconds, MAX_FUNCTION_TIMEOUT_SECONDS));
  }

  private static Duration retention(IntegrationDefinition definition) {
    int hours = definition.queues().retentionHoursOrDefault();
    // SQS keeps messages between 60 seconds and 14 days.
    if (hours < 1 || hours > 14 * 24) {
      throw new InvalidDefinitionException(
          definition.name() + ": queues.retentionHours must be between 1 and 336, not " + hours);
    }
    return Duration.hours(hours);
  }

  private ISecret webhookSecret(IntegrationDefinition definition) {
    if (definition.trigger() == null || definition.trigger().secret() == null) {
      throw new InvalidDefinitionException(
          definition.name() + ": trigger.secret must name the webhook signing secret");
    }
    return secret("WebhookSigningSecret", definition.trigger().secret());
  }

  private Optional<ISecret> targetSecret(IntegrationDefinition definition) {
    if (definition.target() == null || definition.target().url() == null) {
      throw new InvalidDefinitionException(definition.name() + ": target.url is missing");
    }
    if (definition.target().auth() == null || definition.target().auth().secret() == null) {
      return Optional.empty();
    }
    return Optional.of(secret("TargetCredentialsSecret", definition.target().auth().secret()));
  }

  private ISecret secret(String id, String nameOrArn) {
    return secret(this, id, nameOrArn);
  }

  /** A secret referenced by its name or ARN; its value never passes through the CDK app. */
  static ISecret secret(Construct scope, String id, String nameOrArn) {
    return nameOrArn.startsWith("arn:")
        ? Secret.fromSecretCompleteArn(scope, id, nameOrArn)
        : Secret.fromSecretNameV2(scope, id, nameOrArn);
  }

  private void alarmOnRecordsIn(IQueue queue, String id, String likelyCause, ITopic onCall) {
    IntegrationDefinition.Governance governance = definition.governance();
    Alarm alarm =
        Alarm.Builder.create(this, id + "Alarm")
            .alarmDescription(
                definition.name()
                    + ": records are waiting in "
                    + id
                    + " ("
                    + likelyCause
                    + "). Owner "
                    + governance.owner()
                    + ", maintainer "
                    + governance.maintainer()
                    + ", runbook "
                    + governance.runbook())
            .metric(
                queue.metricApproximateNumberOfMessagesVisible(
                    MetricOptions.builder()
                        .period(Duration.minutes(5))
                        .statistic("Maximum")
                        .build()))
            .threshold(0)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
            .evaluationPeriods(1)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    alarm.addAlarmAction(new SnsAction(onCall));
    alarms.add(alarm);
  }

  public IntegrationDefinition definition() {
    return definition;
  }

  /** The webhook ingress of a {@code webhook} integration. */
  public Optional<WebhookIngress> ingress() {
    return Optional.ofNullable(ingress);
  }

  /** The scheduled poller of a {@code schedule} integration. */
  public Optional<ScheduledPoller> poller() {
    return Optional.ofNullable(poller);
  }

  public QueueConnectedStep transform() {
    return transform;
  }

  public QueueConnectedStep deliver() {
    return deliver;
  }

  public DeadLetteredQueue ingestQueue() {
    return ingestQueue;
  }

  public DeadLetteredQueue deliverQueue() {
    return deliverQueue;
  }

  public QuarantineQueue quarantineQueue() {
    return quarantineQueue;
  }

  public List<Alarm> alarms() {
    return List.copyOf(alarms);
  }
}
