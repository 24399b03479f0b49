package dev.sluice.infra;

import static dev.sluice.infra.TemplateResources.ofType;
import static dev.sluice.infra.TemplateResources.referencedId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.infra.constructs.ScheduledPoller;
import dev.sluice.infra.constructs.SluiceFunction;
import dev.sluice.infra.stacks.IntegrationStack;
import dev.sluice.settings.Settings;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The rules every integration stack must follow, checked on the synthesized templates. */
class IntegrationStackTest {

  private static final SynthesizedApp APP = SynthesizedApp.get();

  @Test
  void definitions_eachGetTheirOwnStack() {
    assertThat(APP.definitions()).isNotEmpty();
    assertThat(APP.stacks.integrations())
        .extracting(IntegrationStack::getStackName)
        .containsExactlyElementsOf(
            APP.definitions().stream().map(d -> SluiceApp.stackName(d.name())).toList());
    assertThat(APP.templateFiles()).hasSize(APP.definitions().size() + 1);
  }

  @Test
  void queues_areEncryptedWithTheSharedCustomerManagedKey() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      Map<String, JsonNode> queues = ofType(APP.json(stack), "AWS::SQS::Queue");

      // ingest, deliver, their DLQs, quarantine; a poller adds page tasks, its DLQ, schedule DLQ.
      assertThat(queues).hasSize(scheduled(stack) ? 8 : 5);
      queues.forEach(
          (id, queue) ->
              assertThat(queue.at("/Properties/KmsMasterKeyId/Fn::ImportValue").asText())
                  .as(id)
                  .contains("QueueEncryptionKey"));
    }
  }

  @Test
  void queues_everyQueueRedrivesToItsOwnDeadLetterQueueOrIsAnEndOfTheLine() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      Map<String, JsonNode> queues = ofType(APP.json(stack), "AWS::SQS::Queue");
      Set<String> deadLetterTargets = new HashSet<>();
      queues.values().stream()
          .map(queue -> queue.at("/Properties/RedrivePolicy"))
          .filter(policy -> !policy.isMissingNode())
          .forEach(
              policy -> deadLetterTargets.add(referencedId(policy.get("deadLetterTargetArn"))));
      Set<String> terminal = new HashSet<>();
      terminal.add(
          logicalId(
              stack, stack.integration().quarantineQueue().queue().getNode().getDefaultChild()));
      stack
          .integration()
          .poller()
          .ifPresent(
              poller ->
                  terminal.add(
                      logicalId(
                          stack, poller.scheduleDeadLetterQueue().getNode().getDefaultChild())));

      // Each consumed queue has a distinct DLQ; the quarantine queue and the schedules' DLQ are
      // terminal like a DLQ.
      assertThat(deadLetterTargets)
          .hasSize(scheduled(stack) ? 3 : 2)
          .allSatisfy(id -> assertThat(queues).containsKey(id));
      queues.forEach(
          (id, queue) ->
              assertThat(
                      queue.at("/Properties/RedrivePolicy").isObject()
                          || deadLetterTargets.contains(id)
                          || terminal.contains(id))
                  .as(id + " has a redrive policy or is a dead end")
                  .isTrue());
    }
  }

  @Test
  void queues_keepRecordsNoLongerThanTheDefinitionAllows() {
    for (IntegrationDefinition definition : APP.definitions()) {
      IntegrationStack stack = APP.integrationStack(definition.name());
      int seconds = definition.queues().retentionHoursOrDefault() * 3600;

      ofType(APP.json(stack), "AWS::SQS::Queue")
          .forEach(
              (id, queue) ->
                  assertThat(queue.at("/Properties/MessageRetentionPeriod").asInt())
                      .as(id)
                      .isEqualTo(seconds));
    }
  }

  @Test
  void queues_visibilityIsAtLeastSixTimesTheConsumerTimeoutPlusBatchingWindow() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      JsonNode template = APP.json(stack);
      Map<String, JsonNode> mappings = ofType(template, "AWS::Lambda::EventSourceMapping");

      assertThat(mappings).hasSize(scheduled(stack) ? 3 : 2);
      mappings.forEach(
          (id, mapping) -> {
            JsonNode queue =
                resource(template, referencedId(mapping.at("/Properties/EventSourceArn")));
            JsonNode function = functionBehindAlias(template, aliasOf(template, mapping));
            int timeout = function.at("/Properties/Timeout").asInt();
            int window = mapping.at("/Properties/MaximumBatchingWindowInSeconds").asInt(0);

            assertThat(queue.at("/Properties/VisibilityTimeout").asInt())
                .as(id)
                .isGreaterThanOrEqualTo(6 * timeout + window);
          });
    }
  }

  @Test
  void eventSources_reportBatchItemFailuresAndInvokeTheAlias() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      JsonNode template = APP.json(stack);

      ofType(template, "AWS::Lambda::EventSourceMapping")
          .forEach(
              (id, mapping) -> {
                assertThat(mapping.at("/Properties/FunctionResponseTypes").toString())
                    .as(id)
                    .isEqualTo("[\"ReportBatchItemFailures\"]");
                assertThat(aliasOf(template, mapping)).as(id).isNotNull();
                assertThat(mapping.at("/Properties/FunctionName").toString())
                    .endsWith(":" + SluiceFunction.ALIAS_NAME + "\"]]}");
              });
    }
  }

  @Test
  void functions_runOnArm64With512MbAndTheNewestJavaWithSnapStart() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      Map<String, JsonNode> functions = ofType(APP.json(stack), "AWS::Lambda::Function");

      // ingress or poll, transform, deliver; and the token keeper where refresh tokens are used.
      int keepers =
          stack.integration().poller().flatMap(ScheduledPoller::tokenKeeper).isPresent() ? 1 : 0;
      assertThat(functions).hasSize(3 + keepers);
      functions.forEach(
          (id, function) -> {
            JsonNode props = function.get("Properties");
            assertThat(props.at("/Architectures").toString()).as(id).isEqualTo("[\"arm64\"]");
            assertThat(props.at("/MemorySize").asInt()).as(id).isEqualTo(512);
            assertThat(props.at("/Runtime").asText()).as(id).isEqualTo("java25");
            assertThat(props.at("/SnapStart/ApplyOn").asText())
                .as(id)
                .isEqualTo("PublishedVersions");
          });
    }
  }

  @Test
  void functions_eachHaveAPublishedVersionBehindTheLiveAlias() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      JsonNode template = APP.json(stack);
      Set<String> functions = ofType(template, "AWS::Lambda::Function").keySet();
      Set<String> aliased = new HashSet<>();

      ofType(template, "AWS::Lambda::Alias")
          .values()
          .forEach(
              alias -> {
                assertThat(alias.at("/Properties/Name").asText()).isEqualTo("live");
                JsonNode version =
                    resource(template, referencedId(alias.at("/Properties/FunctionVersion")));
                assertThat(version.get("Type").asText()).isEqualTo("AWS::Lambda::Version");
                aliased.add(referencedId(version.at("/Properties/FunctionName")));
              });
      assertThat(aliased).isEqualTo(functions);
    }
  }

  @Test
  void functions_haveTheReservedConcurrencyOfTheDefinition() {
    for (IntegrationDefinition definition : APP.definitions()) {
      IntegrationStack stack = APP.integrationStack(definition.name());
      int concurrency = definition.queues().reservedConcurrencyOrDefault();
      String keeper =
          stack
              .integration()
              .poller()
              .flatMap(ScheduledPoller::tokenKeeper)
              .map(k -> logicalId(stack, k.function().getNode().getDefaultChild()))
              .orElse(null);

      // The token keeper runs alone (one writer); every other function as the definition says.
      ofType(APP.json(stack), "AWS::Lambda::Function")
          .forEach(
              (id, function) ->
                  assertThat(function.at("/Properties/ReservedConcurrentExecutions").asInt())
                      .as(id)
                      .isEqualTo(id.equals(keeper) ? 1 : concurrency));
      APP.template(stack)
          .allResourcesProperties(
              "AWS::Lambda::EventSourceMapping",
              Map.of("ScalingConfig", Map.of("MaximumConcurrency", concurrency)));
    }
  }

  @Test
  void functions_logToTheirOwnLogGroupWithARetention() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      JsonNode template = APP.json(stack);
      Set<String> used = new HashSet<>();

      ofType(template, "AWS::Lambda::Function")
          .forEach(
              (id, function) -> {
                String logGroupId = referencedId(function.at("/Properties/LoggingConfig/LogGroup"));
                JsonNode logGroup = resource(template, logGroupId);
                assertThat(logGroup.get("Type").asText()).as(id).isEqualTo("AWS::Logs::LogGroup");
                assertThat(logGroup.at("/Properties/RetentionInDays").asInt()).as(id).isPositive();
                assertThat(used.add(logGroupId)).as(id + " has a log group of its own").isTrue();
              });
      ofType(template, "AWS::Logs::LogGroup")
          .forEach(
              (id, group) ->
                  assertThat(group.at("/Properties/RetentionInDays").asInt()).as(id).isPositive());
      // No logRetention custom resource (a Node function of its own).
      APP.template(stack).resourceCountIs("Custom::LogRetention", 0);
    }
  }

  @Test
  void functions_environmentHoldsOnlyTheIntegrationNameAndQueueUrls() {
    Set<String> allowed =
        Set.of(
            Settings.INTEGRATION,
            Settings.INGEST_QUEUE_URL,
            Settings.POLL_QUEUE_URL,
            Settings.DELIVER_QUEUE_URL,
            Settings.QUARANTINE_QUEUE_URL,
            Settings.DEAD_LETTER_QUEUE_URL);
    for (IntegrationDefinition definition : APP.definitions()) {
      JsonNode template = APP.json(APP.integrationStack(definition.name()));

      ofType(template, "AWS::Lambda::Function")
          .forEach(
              (id, function) ->
                  function
                      .at("/Properties/Environment/Variables")
                      .fields()
                      .forEachRemaining(
                          variable -> {
                            assertThat(allowed).as(id).contains(variable.getKey());
                            JsonNode value = variable.getValue();
                            if (variable.getKey().equals(Settings.INTEGRATION)) {
                              assertThat(value.asText()).isEqualTo(definition.name());
                            } else {
                              // A queue URL is the Ref of a queue in the same stack.
                              JsonNode queue = resource(template, referencedId(value));
                              assertThat(queue.get("Type").asText()).isEqualTo("AWS::SQS::Queue");
                            }
                          }));
    }
  }

  @Test
  void functions_codeIsTheDeployableJarItself() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      ofType(APP.json(stack), "AWS::Lambda::Function")
          .forEach(
              (id, function) ->
                  assertThat(function.at("/Properties/Code/S3Key").asText())
                      .as(id)
                      .endsWith(".jar"));
    }
    String[] assets = APP.outdir.toFile().list((dir, name) -> name.matches("asset\\..*\\.jar"));
    assertThat(assets).hasSize(1);
    assertThat(APP.outdir.resolve(assets[0])).hasSameBinaryContentAs(APP.layout.lambdaJar());
  }

  @Test
  void ingress_isAThrottledPostRouteForTheIntegration() {
    for (IntegrationDefinition definition : webhookDefinitions()) {
      IntegrationStack stack = APP.integrationStack(definition.name());

      APP.template(stack)
          .hasResourceProperties(
              "AWS::ApiGatewayV2::Route",
              Map.of("RouteKey", "POST /webhooks/" + definition.name()));
      APP.template(stack)
          .hasResourceProperties(
              "AWS::ApiGatewayV2::Stage",
              Map.of(
                  "StageName", "$default",
                  "DefaultRouteSettings",
                      Map.of(
                          "ThrottlingRateLimit", Match.anyValue(),
                          "ThrottlingBurstLimit", Match.anyValue()),
                  "AccessLogSettings", Match.objectLike(Map.of())));
      APP.template(stack).resourceCountIs("AWS::ApiGatewayV2::Route", 1);
    }
  }

  @Test
  void secrets_areReferencedByTheNamesInTheDefinition() {
    for (IntegrationDefinition definition : APP.definitions()) {
      String template = APP.json(APP.integrationStack(definition.name())).toString();

      String startSecret =
          definition.isScheduled()
              ? definition.source().auth().secret()
              : definition.trigger().secret();
      assertThat(template).contains(":secret:" + startSecret + "-??????");
      assertThat(template).contains(":secret:" + definition.target().auth().secret() + "-??????");
      APP.template(APP.integrationStack(definition.name()))
          .resourceCountIs("AWS::SecretsManager::Secret", 0);
    }
  }

  @Test
  void alarms_notifyTheOnCallTopicAndNameTheOwnerAndRunbook() {
    for (IntegrationDefinition definition : APP.definitions()) {
      Map<String, JsonNode> alarms =
          ofType(APP.json(APP.integrationStack(definition.name())), "AWS::CloudWatch::Alarm");

      // Each dead end: ingest and deliver DLQs, quarantine; page-task and schedule DLQs.
      assertThat(alarms).hasSize(definition.isScheduled() ? 5 : 3);
      alarms.forEach(
          (id, alarm) -> {
            assertThat(alarm.at("/Properties/AlarmActions/0/Fn::ImportValue").asText())
                .contains("OnCallTopic");
            assertThat(alarm.at("/Properties/AlarmDescription").asText())
                .contains(definition.governance().owner(), definition.governance().runbook());
          });
    }
  }

  static boolean scheduled(IntegrationStack stack) {
    return stack.integration().poller().isPresent();
  }

  private static List<IntegrationDefinition> webhookDefinitions() {
    return APP.definitions().stream().filter(d -> !d.isScheduled()).toList();
  }

  static String logicalId(IntegrationStack stack, Object defaultChild) {
    return stack.getLogicalId((software.amazon.awscdk.CfnElement) defaultChild);
  }

  static JsonNode resource(JsonNode template, String logicalId) {
    JsonNode resource = template.path("Resources").path(logicalId);
    assertThat(resource.isObject()).as("resource " + logicalId).isTrue();
    return resource;
  }

  /** The alias an event source mapping invokes (its FunctionName refers to the alias ARN). */
  private static String aliasOf(JsonNode template, JsonNode mapping) {
    List<String> refs = mapping.at("/Properties/FunctionName").findValuesAsText("Ref");
    return refs.stream()
        .filter(
            ref ->
                template
                    .path("Resources")
                    .path(ref)
                    .path("Type")
                    .asText()
                    .equals("AWS::Lambda::Alias"))
        .findFirst()
        .orElse(null);
  }

  private static JsonNode functionBehindAlias(JsonNode template, String aliasId) {
    JsonNode alias = resource(template, aliasId);
    return resource(template, referencedId(alias.at("/Properties/FunctionName")));
  }
}
