package dev.sluice.infra.constructs;

import dev.sluice.auth.credentials.TargetCredentials;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.IntegrationDefinition.Source;
import dev.sluice.definition.IntegrationDefinition.TargetAuth;
import dev.sluice.definition.IntegrationDefinition.Trigger;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.settings.Settings;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.CfnEventInvokeConfig;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The start of a scheduled integration: an EventBridge Scheduler schedule that invokes the poll
 * function's alias with the scheduled time, the page-task queue the poll function consumes and
 * refills one page at a time, and, when the definition uses rotating refresh tokens, the token
 * keeper on a schedule of its own as the one writer of those secrets.
 *
 * <p>A scheduled invocation that never succeeds, because Scheduler could not deliver it or because
 * the function kept failing after its asynchronous retries, ends in the schedule dead-letter queue
 * with the scheduled event, from where the window can be replayed. See "Configuring a schedule's
 * dead-letter queue",
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html, and
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html.
 */
public final class ScheduledPoller extends Construct {

  /** Handler classes in the deployable jar, named as strings: infra does not link handlers. */
  static final String POLL_HANDLER = "dev.sluice.poll.PollHandler::handleRequest";

  static final String TOKEN_KEEPER_HANDLER =
      "dev.sluice.auth.tokens.TokenKeeperHandler::handleRequest";

  /**
   * How often the token keeper runs. It refreshes a token once half its lifetime has passed, so
   * with access tokens living 30 minutes or more a five-minute rate refreshes each one in time.
   */
  public static final String TOKEN_KEEPER_SCHEDULE = "rate(5 minutes)";

  /** The interval of {@link #TOKEN_KEEPER_SCHEDULE}. */
  static final Duration TOKEN_KEEPER_INTERVAL = Duration.minutes(5);

  /** One token call per refresh-token block, each bounded by the HTTP client's own timeouts. */
  public static final Duration TOKEN_KEEPER_TIMEOUT = Duration.seconds(60);

  /** One keeper at a time, so two runs can never refresh the same token (single writer). */
  static final int TOKEN_KEEPER_CONCURRENCY = 1;

  /**
   * Page tasks are handled one per invocation: a window's pages follow each other (each task queues
   * the next), so a batch would only lengthen the timeout the queue must cover.
   */
  static final int PAGE_TASK_BATCH_SIZE = 1;

  /** Scheduler's flexible time window mode that invokes at the exact scheduled time. */
  static final String FLEXIBLE_WINDOW_OFF = "OFF";

  /** Bounds of MaximumEventAgeInSeconds: Scheduler 60 s to 1 day, async invocation to 6 h. */
  static final long MIN_EVENT_AGE_SECONDS = 60;

  static final long MAX_SCHEDULER_EVENT_AGE_SECONDS = 86_400;
  static final long MAX_ASYNC_EVENT_AGE_SECONDS = 21_600;

  private final SluiceFunction function;
  private final DeadLetteredQueue pageTaskQueue;
  private final Queue scheduleDeadLetterQueue;
  private final Role schedulerRole;
  private final CfnSchedule schedule;
  private final CfnEventInvokeConfig asyncInvokeConfig;
  private final SluiceFunction tokenKeeper;
  private final CfnSchedule tokenKeeperSchedule;
  private final Role tokenKeeperSchedulerRole;

  /**
   * What the poller is built from.
   *
   * @param definition a definition with a schedule trigger and a source
   * @param key the customer managed key every queue is encrypted with
   * @param jar the deployable jar
   * @param retention how long a record or task may wait in a queue
   * @param ingestQueue where the poll function puts the records it fetched
   */
  public record Props(
      IntegrationDefinition definition,
      IKey key,
      Path jar,
      Duration retention,
      IQueue ingestQueue) {}

  public ScheduledPoller(Construct scope, String id, Props props) {
    super(scope, id);

    IntegrationDefinition definition = props.definition();
    String name = definition.name();
    Trigger trigger = checkedTrigger(definition);
    Source source = definition.source();
    IKey key = props.key();
    Duration timeout = pollTimeout(definition);
    Duration window = Duration.seconds(trigger.window(name).toSeconds());

    this.pageTaskQueue =
        new DeadLetteredQueue(
            this,
            "PageTaskQueue",
            new DeadLetteredQueue.Props(
                key,
                props.retention(),
                QueueConnectedStep.minimumVisibility(timeout, Duration.seconds(0)),
                definition.queues().maxReceiveCountOrDefault()));

    this.scheduleDeadLetterQueue =
        DeadLetteredQueue.encrypted(
                Queue.Builder.create(this, "ScheduleDeadLetterQueue"), key, props.retention())
            .build();
    NagSuppressions.addResourceSuppressions(
        scheduleDeadLetterQueue,
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason(
                    "This queue is the dead-letter queue of the schedules and the on-failure"
                        + " destination of their asynchronous invocations, an end of the line"
                        + " that no function consumes; SQS cannot see it as a DLQ because no"
                        + " queue redrives to it.")
                .build()));

    Map<String, String> environment = new LinkedHashMap<>();
    environment.put(Settings.INTEGRATION, name);
    environment.put(Settings.INGEST_QUEUE_URL, props.ingestQueue().getQueueUrl());
    environment.put(Settings.POLL_QUEUE_URL, pageTaskQueue.queue().getQueueUrl());
    environment.put(Settings.DEAD_LETTER_QUEUE_URL, pageTaskQueue.deadLetterQueue().getQueueUrl());
    QueueConnectedStep step =
        new QueueConnectedStep(
            this,
            "PollStep",
            new QueueConnectedStep.Props(
                new SluiceFunction.Props(
                    name + " poll: starts windows and fetches one page per task",
                    POLL_HANDLER,
                    props.jar(),
                    timeout,
                    definition.queues().reservedConcurrencyOrDefault(),
                    environment),
                pageTaskQueue,
                PAGE_TASK_BATCH_SIZE,
                Duration.seconds(0)));
    this.function = step.function();
    // The next page task, the records, and a task that can never succeed (with its reason).
    function.allowSendMessages(pageTaskQueue.queue(), key);
    function.allowSendMessages(props.ingestQueue(), key);
    function.allowSendMessages(pageTaskQueue.deadLetterQueue(), key);
    // Lambda sends the on-failure record of an asynchronous invocation with the function's role.
    function.allowSendMessages(scheduleDeadLetterQueue, key);
    if (source.auth() != null && source.auth().secret() != null) {
      function.allowReadSecret(Integration.secret(this, "SourceSecret", source.auth().secret()));
    }

    this.asyncInvokeConfig =
        asyncInvokeConfig(
            "PollAsyncInvokeConfig", function, trigger.retryAttemptsOrDefault(), window);
    this.schedulerRole = schedulerRole("SchedulerRole", function, key);
    this.schedule =
        schedule(
            "Schedule",
            name + ": starts a poll window",
            trigger.scheduleExpression(name).text(),
            timezone(trigger),
            trigger.retryAttemptsOrDefault(),
            window,
            function,
            schedulerRole);

    Map<String, TargetAuth> refreshTokens = refreshTokenBlocks(definition);
    if (refreshTokens.isEmpty()) {
      this.tokenKeeper = null;
      this.tokenKeeperSchedule = null;
      this.tokenKeeperSchedulerRole = null;
      return;
    }
    this.tokenKeeper =
        new SluiceFunction(
            this,
            "TokenKeeper",
            new SluiceFunction.Props(
                name + " token keeper: the one writer of the refresh-token secrets",
                TOKEN_KEEPER_HANDLER,
                props.jar(),
                TOKEN_KEEPER_TIMEOUT,
                TOKEN_KEEPER_CONCURRENCY,
                Map.of(Settings.INTEGRATION, name)));
    List<String> ids = new ArrayList<>(refreshTokens.keySet());
    for (int i = 0; i < ids.size(); i++) {
      String secret = refreshTokens.get(ids.get(i)).secret();
      tokenKeeper.allowReadAndWriteSecret(
          Integration.secret(this, "RefreshTokenSecret" + i, secret));
    }
    tokenKeeper.allowSendMessages(scheduleDeadLetterQueue, key);
    // No asynchronous retries: the next run is five minutes away, long before a token expires.
    Duration keeperInterval = TOKEN_KEEPER_INTERVAL;
    asyncInvokeConfig("TokenKeeperAsyncInvokeConfig", tokenKeeper, 0, keeperInterval);
    this.tokenKeeperSchedulerRole = schedulerRole("TokenKeeperSchedulerRole", tokenKeeper, key);
    this.tokenKeeperSchedule =
        schedule(
            "TokenKeeperSchedule",
            name + ": refreshes rotating refresh tokens before they expire",
            TOKEN_KEEPER_SCHEDULE,
            "UTC",
            trigger.retryAttemptsOrDefault(),
            keeperInterval,
            tokenKeeper,
            tokenKeeperSchedulerRole);
  }

  /**
   * The poll timeout: one page may take two source calls (the second after re-reading the
   * credentials on a 401) and one token call, each bounded by the source timeout, plus a margin for
   * the queue writes; at most Lambda's 15 minutes.
   */
  static Duration pollTimeout(IntegrationDefinition definition) {
    long seconds = 3L * definition.source().timeoutSecondsOrDefault() + 10;
    return Duration.seconds(Math.min(seconds, Integration.MAX_FUNCTION_TIMEOUT_SECONDS));
  }

  /**
   * The trigger, checked again here so that a definition built in code fails synth as a loaded one
   * fails at load: Scheduler refuses a cron expression that sets both day-of-month and day-of-week.
   */
  private static Trigger checkedTrigger(IntegrationDefinition definition) {
    if (!definition.isScheduled()) {
      throw new InvalidDefinitionException(
          definition.name() + ": a scheduled poller needs trigger.type " + Trigger.SCHEDULE);
    }
    definition.trigger().validateSchedule(definition.name());
    if (definition.source() == null || definition.source().url() == null) {
      throw new InvalidDefinitionException(
          definition.name() + ": a schedule trigger needs source.url (the API records come from)");
    }
    return definition.trigger();
  }

  /** Scheduler's time zone: an IANA name; {@code UTC} rather than Java's {@code Z}. */
  private static String timezone(Trigger trigger) {
    ZoneId zone = trigger.timezoneOrDefault();
    return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
  }

  /** The auth blocks whose refresh tokens the keeper refreshes, by their path. */
  static Map<String, TargetAuth> refreshTokenBlocks(IntegrationDefinition definition) {
    Map<String, TargetAuth> blocks = new LinkedHashMap<>();
    if (definition.source() != null && isRefreshToken(definition.source().auth())) {
      blocks.put("source.auth", definition.source().auth());
    }
    if (definition.target() != null && isRefreshToken(definition.target().auth())) {
      blocks.put("target.auth", definition.target().auth());
    }
    return blocks;
  }

  private static boolean isRefreshToken(TargetAuth auth) {
    return auth != null
        && auth.secret() != null
        && TargetCredentials.OAUTH2_REFRESH_TOKEN.equals(auth.type());
  }

  /**
   * Retries and the on-failure destination of the alias's asynchronous invocations, the way
   * Scheduler invokes Lambda. Set explicitly: Lambda's default is two retries and no destination,
   * which drops a failed window silently:
   * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
   */
  private CfnEventInvokeConfig asyncInvokeConfig(
      String id, SluiceFunction target, int retryAttempts, Duration maxAge) {
    CfnEventInvokeConfig config =
        CfnEventInvokeConfig.Builder.create(this, id)
            .functionName(target.function().getFunctionName())
            .qualifier(SluiceFunction.ALIAS_NAME)
            .maximumRetryAttempts(retryAttempts)
            .maximumEventAgeInSeconds(eventAge(maxAge, MAX_ASYNC_EVENT_AGE_SECONDS))
            .destinationConfig(
                CfnEventInvokeConfig.DestinationConfigProperty.builder()
                    .onFailure(
                        CfnEventInvokeConfig.OnFailureProperty.builder()
                            .destination(scheduleDeadLetterQueue.getQueueArn())
                            .build())
                    .build())
            .build();
    // The qualifier names the alias, which must exist first; the role must allow the destination.
    config.getNode().addDependency(target.alias());
    config.getNode().addDependency(target.role());
    return config;
  }

  /**
   * The role a schedule assumes: it may invoke exactly this alias and write its dead-letter queue
   * (Scheduler sends dead-letter events with the schedule's role). The trust is limited to
   * schedules of this account against the confused deputy problem:
   * https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role
   */
  private Role schedulerRole(String id, SluiceFunction target, IKey key) {
    Role role =
        Role.Builder.create(this, id)
            .assumedBy(
                new ServicePrincipal("scheduler.amazonaws.com")
                    .withConditions(
                        Map.of(
                            "StringEquals",
                            Map.of("aws:SourceAccount", Stack.of(this).getAccount()))))
            .description("Lets a Sluice schedule invoke " + target.getNode().getPath())
            .build();
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("lambda:InvokeFunction"))
            .resources(List.of(target.alias().getFunctionArn()))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("sqs:SendMessage"))
            .resources(List.of(scheduleDeadLetterQueue.getQueueArn()))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
            .resources(List.of(key.getKeyArn()))
            .build());
    return role;
  }

  /**
   * A schedule on the function's alias. Flexible time window off: the poll window is derived from
   * the scheduled time, and a shifted start would only delay it. The input carries the scheduled
   * time through Scheduler's context attributes, in the shape the poll function reads:
   * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
   */
  private CfnSchedule schedule(
      String id,
      String description,
      String expression,
      String timezone,
      int retryAttempts,
      Duration maxAge,
      SluiceFunction target,
      Role role) {
    String input =
        "{\"id\":\"<aws.scheduler.execution-id>\",\"source\":\"aws.scheduler\","
            + "\"detail-type\":\"Scheduled Event\","
            + "\"detail\":{\"scheduledTime\":\"<aws.scheduler.scheduled-time>\","
            + "\"scheduleArn\":\"<aws.scheduler.schedule-arn>\"}}";
    CfnSchedule created =
        CfnSchedule.Builder.create(this, id)
            .description(description)
            .scheduleExpression(expression)
            .scheduleExpressionTimezone(timezone)
            .flexibleTimeWindow(
                CfnSchedule.FlexibleTimeWindowProperty.builder().mode(FLEXIBLE_WINDOW_OFF).build())
            .state("ENABLED")
            .target(
                CfnSchedule.TargetProperty.builder()
                    .arn(target.alias().getFunctionArn())
                    .roleArn(role.getRoleArn())
                    .input(input)
                    .retryPolicy(
                        CfnSchedule.RetryPolicyProperty.builder()
                            .maximumRetryAttempts(retryAttempts)
                            .maximumEventAgeInSeconds(
                                eventAge(maxAge, MAX_SCHEDULER_EVENT_AGE_SECONDS))
                            .build())
                    .deadLetterConfig(
                        CfnSchedule.DeadLetterConfigProperty.builder()
                            .arn(scheduleDeadLetterQueue.getQueueArn())
                            .build())
                    .build())
            .build();
    // Scheduler checks the role when the schedule is created; its policy must be in place first.
    created.getNode().addDependency(role);
    return created;
  }

  /**
   * How long an undelivered start is retried: one interval. The window comes from the scheduled
   * time, so a late start still polls the right window; after an interval the failure belongs in
   * the dead-letter queue, where it is seen and replayed.
   */
  private static long eventAge(Duration interval, long max) {
    return Math.max(MIN_EVENT_AGE_SECONDS, Math.min(interval.toSeconds().longValue(), max));
  }

  public SluiceFunction function() {
    return function;
  }

  public DeadLetteredQueue pageTaskQueue() {
    return pageTaskQueue;
  }

  public Queue scheduleDeadLetterQueue() {
    return scheduleDeadLetterQueue;
  }

  public Role schedulerRole() {
    return schedulerRole;
  }

  public CfnSchedule schedule() {
    return schedule;
  }

  public CfnEventInvokeConfig asyncInvokeConfig() {
    return asyncInvokeConfig;
  }

  /** The token keeper, when the definition uses rotating refresh tokens. */
  public Optional<SluiceFunction> tokenKeeper() {
    return Optional.ofNullable(tokenKeeper);
  }

  public Optional<CfnSchedule> tokenKeeperSchedule() {
    return Optional.ofNullable(tokenKeeperSchedule);
  }

  public Optional<Role> tokenKeeperSchedulerRole() {
    return Optional.ofNullable(tokenKeeperSchedulerRole);
  }
}
