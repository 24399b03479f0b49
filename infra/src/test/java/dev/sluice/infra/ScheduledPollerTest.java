package dev.sluice.infra;

import static dev.sluice.infra.IntegrationStackTest.logicalId;
import static dev.sluice.infra.TemplateResources.ofType;
import static dev.sluice.infra.TemplateResources.referencedId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.IntegrationDefinition.Trigger;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.events.ScheduledEvent;
import dev.sluice.infra.constructs.Integration;
import dev.sluice.infra.constructs.ScheduledPoller;
import dev.sluice.infra.constructs.SluiceFunction;
import dev.sluice.infra.stacks.IntegrationStack;
import dev.sluice.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;

/**
 * The start of a scheduled integration, on the synthesized stack of the test definition {@code
 * scheduled-contacts-sync} (cron in Europe/Berlin, one retry, a refresh-token source).
 */
class ScheduledPollerTest {

  private static final SynthesizedApp APP = SynthesizedApp.get();
  private static final String NAME = "scheduled-contacts-sync";

  private final IntegrationStack stack = APP.integrationStack(NAME);
  private final ScheduledPoller poller = stack.integration().poller().orElseThrow();
  private final JsonNode template = APP.json(stack);

  @Test
  void integration_picksTheStartFromTheTriggerType() {
    assertThat(stack.integration().ingress()).isEmpty();
    APP.template(stack).resourceCountIs("AWS::ApiGatewayV2::Api", 0);
    APP.template(stack).resourceCountIs("AWS::Scheduler::Schedule", 2);
    for (IntegrationStack webhook : APP.webhookStacks()) {
      assertThat(webhook.integration().poller()).isEmpty();
      APP.template(webhook).resourceCountIs("AWS::Scheduler::Schedule", 0);
    }
  }

  @Test
  void schedule_runsTheDefinitionsCronInItsTimeZoneOnTheDotWithRetriesAndADeadLetterQueue() {
    APP.template(stack)
        .hasResourceProperties(
            "AWS::Scheduler::Schedule",
            Map.of(
                "ScheduleExpression", "cron(0/15 7-19 ? * MON-FRI *)",
                "ScheduleExpressionTimezone", "Europe/Berlin",
                "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                "State", "ENABLED",
                "Target",
                    Match.objectLike(
                        Map.of(
                            "Arn", Map.of("Ref", id(poller.function().alias())),
                            "RoleArn",
                                Map.of("Fn::GetAtt", List.of(id(poller.schedulerRole()), "Arn")),
                            // One retry from the definition; retried for one 15-minute window.
                            "RetryPolicy",
                                Map.of("MaximumRetryAttempts", 1, "MaximumEventAgeInSeconds", 900),
                            "DeadLetterConfig",
                                Map.of("Arn", arnOf(id(poller.scheduleDeadLetterQueue())))))));
  }

  @Test
  void schedule_inputCarriesTheScheduledTimeInAShapeThePollFunctionReads() throws Exception {
    JsonNode schedule = template.at("/Resources/" + logicalId(stack, poller.schedule()));
    String input = schedule.at("/Properties/Target/Input").asText();

    // What Scheduler sends once it has replaced its context attributes.
    String sent =
        input
            .replace("<aws.scheduler.scheduled-time>", "2026-03-29T00:15:00Z")
            .replace("<aws.scheduler.execution-id>", "d32c5kddcf5bb8c3")
            .replace("<aws.scheduler.schedule-arn>", "arn:aws:scheduler:::schedule/default/x");
    ScheduledEvent event = Json.mapper().readValue(sent, ScheduledEvent.class);

    assertThat(event.scheduledTime()).isEqualTo(Instant.parse("2026-03-29T00:15:00Z"));
    assertThat(event.source()).isEqualTo("aws.scheduler");
  }

  @Test
  void asyncInvocation_retriesAsTheDefinitionSaysAndEndsInTheScheduleDeadLetterQueue() {
    APP.template(stack)
        .hasResourceProperties(
            "AWS::Lambda::EventInvokeConfig",
            Map.of(
                "FunctionName",
                Map.of("Ref", id(poller.function().function())),
                "Qualifier",
                SluiceFunction.ALIAS_NAME,
                "MaximumRetryAttempts",
                1,
                "MaximumEventAgeInSeconds",
                900,
                "DestinationConfig",
                Map.of(
                    "OnFailure",
                    Map.of("Destination", arnOf(id(poller.scheduleDeadLetterQueue()))))));
    JsonNode config = template.at("/Resources/" + logicalId(stack, poller.asyncInvokeConfig()));
    assertThat(config.path("DependsOn").toString()).contains(id(poller.function().alias()));
  }

  @Test
  void pageTasks_areConsumedByThePollAliasOneAtATimeWithBatchItemFailures() {
    String queue = id(poller.pageTaskQueue().queue());
    List<JsonNode> mappings =
        ofType(template, "AWS::Lambda::EventSourceMapping").values().stream()
            .filter(m -> queue.equals(referencedId(m.at("/Properties/EventSourceArn"))))
            .toList();

    assertThat(mappings).hasSize(1);
    JsonNode mapping = mappings.get(0);
    assertThat(mapping.at("/Properties/FunctionResponseTypes").toString())
        .isEqualTo("[\"ReportBatchItemFailures\"]");
    assertThat(mapping.at("/Properties/BatchSize").asInt()).isEqualTo(1);
    assertThat(mapping.at("/Properties/FunctionName").findValuesAsText("Ref"))
        .contains(id(poller.function().alias()));
    // The page-task queue redrives to its own DLQ, where the poll function also puts refusals.
    assertThat(
            referencedId(
                template.at(
                    "/Resources/" + queue + "/Properties/RedrivePolicy/deadLetterTargetArn")))
        .isEqualTo(id(poller.pageTaskQueue().deadLetterQueue()));
  }

  @Test
  void tokenKeeper_runsAloneOnItsOwnScheduleWithoutAsyncRetries() {
    SluiceFunction keeper = poller.tokenKeeper().orElseThrow();

    assertThat(
            template
                .at("/Resources/" + id(keeper.function()) + "/Properties/Environment/Variables")
                .size())
        .isEqualTo(1);
    assertThat(
            template
                .at(
                    "/Resources/"
                        + id(keeper.function())
                        + "/Properties/ReservedConcurrentExecutions")
                .asInt())
        .isEqualTo(1);
    APP.template(stack)
        .hasResourceProperties(
            "AWS::Scheduler::Schedule",
            Map.of(
                "ScheduleExpression",
                ScheduledPoller.TOKEN_KEEPER_SCHEDULE,
                "ScheduleExpressionTimezone",
                "UTC",
                "FlexibleTimeWindow",
                Map.of("Mode", "OFF"),
                "Target",
                Match.objectLike(
                    Map.of(
                        "Arn", Map.of("Ref", id(keeper.alias())),
                        "DeadLetterConfig",
                            Map.of("Arn", arnOf(id(poller.scheduleDeadLetterQueue())))))));
    APP.template(stack)
        .hasResourceProperties(
            "AWS::Lambda::EventInvokeConfig",
            Map.of(
                "FunctionName",
                Map.of("Ref", id(keeper.function())),
                "Qualifier",
                SluiceFunction.ALIAS_NAME,
                "MaximumRetryAttempts",
                0));
  }

  @Test
  void cron_settingDayOfMonthAndDayOfWeek_failsSynthSayingWhy() {
    IntegrationDefinition both = scheduled("cron(0 8 1 * MON *)");

    assertThatThrownBy(() -> build(both))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("day-of-month")
        .hasMessageContaining("day-of-week");
  }

  @Test
  void trigger_ofAnUnknownType_failsSynthNamingTheTypes() {
    IntegrationDefinition definition = scheduled("rate(15 minutes)");
    IntegrationDefinition pushed =
        new IntegrationDefinition(
            definition.name(),
            definition.description(),
            definition.governance(),
            new Trigger("queue", null, null, null, null),
            definition.source(),
            definition.transform(),
            definition.target(),
            definition.queues());

    assertThatThrownBy(() -> build(pushed))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("trigger.type must be webhook or schedule");
  }

  /** The test definition with another schedule, as a definition built in code would be. */
  private static IntegrationDefinition scheduled(String expression) {
    IntegrationDefinition loaded =
        APP.definitions().stream().filter(d -> d.name().equals(NAME)).findFirst().orElseThrow();
    Trigger t = loaded.trigger();
    return new IntegrationDefinition(
        loaded.name(),
        loaded.description(),
        loaded.governance(),
        new Trigger(
            t.type(),
            null,
            null,
            null,
            null,
            expression,
            t.timezone(),
            t.windowMinutes(),
            t.overlapMinutes(),
            t.retryAttempts()),
        loaded.source(),
        loaded.transform(),
        loaded.target(),
        loaded.queues());
  }

  private static void build(IntegrationDefinition definition) {
    Stack scratch = new Stack(new App(), "Scratch");
    new Integration(
        scratch,
        "Integration",
        new Integration.Props(
            definition,
            new Key(scratch, "Key"),
            new Topic(scratch, "OnCall"),
            Path.of("unused.jar")));
  }

  private String id(software.constructs.IConstruct construct) {
    Object child = construct.getNode().getDefaultChild();
    return logicalId(stack, child == null ? construct : child);
  }

  private static Map<String, Object> arnOf(String logicalId) {
    return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
  }
}
