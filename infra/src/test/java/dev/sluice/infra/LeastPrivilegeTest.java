package dev.sluice.infra;

import static dev.sluice.infra.TemplateResources.all;
import static dev.sluice.infra.TemplateResources.ofType;
import static dev.sluice.infra.TemplateResources.referencedId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.credentials.TargetCredentials;
import dev.sluice.infra.constructs.Integration;
import dev.sluice.infra.constructs.ScheduledPoller;
import dev.sluice.infra.constructs.SluiceFunction;
import dev.sluice.infra.stacks.IntegrationStack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.services.iam.Role;

/**
 * An independent walk over every IAM policy in every synthesized template: no wildcard resources
 * outside the allowed actions, no wildcard actions, and each role reaching only its own queues,
 * secret, key and log group.
 */
class LeastPrivilegeTest {

  private static final SynthesizedApp APP = SynthesizedApp.get();

  /**
   * Actions allowed on {@code Resource: "*"}: those without resource-level permissions. Sluice
   * needs none (metrics are EMF log lines, not PutMetricData calls), so the list is empty; an entry
   * here must also carry a condition.
   */
  private static final Set<String> ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS = Set.of();

  /** One Allow statement of an identity policy, with the role(s) it is attached to. */
  record Grant(String stack, String policy, List<String> roles, JsonNode statement) {

    List<String> actions() {
      return values(statement.get("Action"));
    }

    List<JsonNode> resources() {
      JsonNode resource = statement.get("Resource");
      List<JsonNode> list = new ArrayList<>();
      if (resource.isArray()) {
        resource.forEach(list::add);
      } else {
        list.add(resource);
      }
      return list;
    }
  }

  @Test
  void policies_haveNoWildcardResourceOutsideTheAllowedActions() {
    for (Grant grant : allGrants()) {
      for (JsonNode resource : grant.resources()) {
        if (resource.isTextual() && resource.asText().equals("*")) {
          assertThat(ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS)
              .as(grant.policy() + " uses Resource * for " + grant.actions())
              .containsAll(grant.actions());
          assertThat(grant.statement().has("Condition")).as(grant.policy()).isTrue();
        }
        if (resource.isTextual()) {
          assertThat(resource.asText()).as(grant.policy()).doesNotContain("*");
        }
      }
    }
  }

  @Test
  void policies_nameEveryActionExactly() {
    for (Grant grant : allGrants()) {
      assertThat(grant.actions())
          .as(grant.policy())
          .allSatisfy(a -> assertThat(a).doesNotContain("*"));
      assertThat(grant.statement().get("Effect").asText()).isEqualTo("Allow");
      assertThat(grant.statement().has("NotAction")).isFalse();
      assertThat(grant.statement().has("NotResource")).isFalse();
    }
  }

  @Test
  void roles_haveNoManagedOrInlinePoliciesBesideTheirOwn() {
    for (JsonNode template : APP.templates.values()) {
      ofType(template, "AWS::IAM::Role")
          .forEach(
              (id, role) -> {
                assertThat(role.at("/Properties/ManagedPolicyArns").isMissingNode())
                    .as(id)
                    .isTrue();
                assertThat(role.at("/Properties/Policies").isMissingNode()).as(id).isTrue();
              });
      assertThat(ofType(template, "AWS::IAM::ManagedPolicy")).isEmpty();
    }
  }

  @Test
  void ingress_mayOnlySendToTheIngestQueueAndReadTheWebhookSecret() {
    for (IntegrationStack stack : APP.webhookStacks()) {
      Integration integration = stack.integration();
      SluiceFunction ingress = integration.ingress().orElseThrow().function();

      assertThat(queueAccess(stack, ingress))
          .containsExactlyInAnyOrder(
              "sqs:SendMessage " + id(stack, integration.ingestQueue().queue()));
      assertThat(keyActions(stack, ingress))
          .containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
      assertThat(secrets(stack, ingress))
          .containsExactly(integration.definition().trigger().secret() + "-??????");
    }
  }

  @Test
  void transform_mayConsumeIngestAndSendOnlyToDeliverAndQuarantine() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      Integration integration = stack.integration();
      SluiceFunction transform = integration.transform().function();
      String ingest = id(stack, integration.ingestQueue().queue());

      assertThat(queueAccess(stack, transform))
          .containsExactlyInAnyOrder(
              "sqs:ReceiveMessage " + ingest,
              "sqs:ChangeMessageVisibility " + ingest,
              "sqs:GetQueueUrl " + ingest,
              "sqs:DeleteMessage " + ingest,
              "sqs:GetQueueAttributes " + ingest,
              "sqs:SendMessage " + id(stack, integration.deliverQueue().queue()),
              "sqs:SendMessage " + id(stack, integration.quarantineQueue().queue()));
      assertThat(keyActions(stack, transform))
          .containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
      assertThat(secrets(stack, transform)).isEmpty();
    }
  }

  @Test
  void deliver_mayConsumeDeliverSendToItsDeadLetterQueueAndReadTheTargetSecret() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      Integration integration = stack.integration();
      SluiceFunction deliver = integration.deliver().function();
      String queue = id(stack, integration.deliverQueue().queue());

      assertThat(queueAccess(stack, deliver))
          .containsExactlyInAnyOrder(
              "sqs:ReceiveMessage " + queue,
              "sqs:ChangeMessageVisibility " + queue,
              "sqs:GetQueueUrl " + queue,
              "sqs:DeleteMessage " + queue,
              "sqs:GetQueueAttributes " + queue,
              "sqs:SendMessage " + id(stack, integration.deliverQueue().deadLetterQueue()));
      assertThat(keyActions(stack, deliver))
          .containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
      assertThat(secrets(stack, deliver))
          .containsExactly(integration.definition().target().auth().secret() + "-??????");
    }
  }

  @Test
  void poll_mayConsumeItsPageTasksSendToThemAndToIngestAndReadOnlyTheSourceSecret() {
    assertThat(APP.scheduledStacks()).isNotEmpty();
    for (IntegrationStack stack : APP.scheduledStacks()) {
      Integration integration = stack.integration();
      ScheduledPoller poller = integration.poller().orElseThrow();
      String pageTasks = id(stack, poller.pageTaskQueue().queue());

      assertThat(queueAccess(stack, poller.function()))
          .containsExactlyInAnyOrder(
              "sqs:ReceiveMessage " + pageTasks,
              "sqs:ChangeMessageVisibility " + pageTasks,
              "sqs:GetQueueUrl " + pageTasks,
              "sqs:DeleteMessage " + pageTasks,
              "sqs:GetQueueAttributes " + pageTasks,
              "sqs:SendMessage " + pageTasks,
              "sqs:SendMessage " + id(stack, integration.ingestQueue().queue()),
              // A page task that can never succeed, with its reason.
              "sqs:SendMessage " + id(stack, poller.pageTaskQueue().deadLetterQueue()),
              // The on-failure destination of the scheduled (asynchronous) invocations.
              "sqs:SendMessage " + id(stack, poller.scheduleDeadLetterQueue()));
      assertThat(keyActions(stack, poller.function()))
          .containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
      assertThat(secrets(stack, poller.function()))
          .containsExactly(integration.definition().source().auth().secret() + "-??????");
    }
  }

  @Test
  void tokenKeeper_aloneMayPutNewVersionsOfTheRefreshTokenSecret() {
    List<String> writers = new ArrayList<>();
    for (IntegrationStack stack : APP.stacks.integrations()) {
      Set<String> keeperRoles = new TreeSet<>();
      stack
          .integration()
          .poller()
          .flatMap(ScheduledPoller::tokenKeeper)
          .ifPresent(keeper -> keeperRoles.add(id(stack, keeper.role())));
      for (Grant grant : grants(stack.getStackName(), APP.json(stack))) {
        if (grant.actions().contains("secretsmanager:PutSecretValue")) {
          assertThat(keeperRoles).as(grant.policy()).containsAll(grant.roles());
          assertThat(grant.actions())
              .containsExactlyInAnyOrder(
                  "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue");
          for (JsonNode resource : grant.resources()) {
            writers.add(secretName(resource));
          }
        }
      }
    }

    // Exactly the secrets of refresh-token auth blocks, each written by its keeper alone.
    List<String> refreshTokenSecrets = new ArrayList<>();
    for (var definition : APP.definitions()) {
      for (var auth :
          Arrays.asList(
              definition.source() == null ? null : definition.source().auth(),
              definition.target() == null ? null : definition.target().auth())) {
        if (auth != null && TargetCredentials.OAUTH2_REFRESH_TOKEN.equals(auth.type())) {
          refreshTokenSecrets.add(auth.secret() + "-??????");
        }
      }
    }
    assertThat(refreshTokenSecrets).contains("sluice/scheduled-contacts-sync/crm-??????");
    assertThat(writers).containsExactlyInAnyOrderElementsOf(refreshTokenSecrets);
  }

  @Test
  void schedulerRoles_mayInvokeExactlyTheirAliasAndWriteTheScheduleDeadLetterQueue() {
    for (IntegrationStack stack : APP.scheduledStacks()) {
      ScheduledPoller poller = stack.integration().poller().orElseThrow();
      Map<Role, SluiceFunction> targets = new LinkedHashMap<>();
      targets.put(poller.schedulerRole(), poller.function());
      poller
          .tokenKeeperSchedulerRole()
          .ifPresent(role -> targets.put(role, poller.tokenKeeper().orElseThrow()));

      targets.forEach(
          (role, function) -> {
            String roleId = id(stack, role);
            Set<String> access = new TreeSet<>();
            for (Grant grant : grants(stack.getStackName(), APP.json(stack))) {
              if (grant.roles().contains(roleId)) {
                assertThat(grant.roles()).containsExactly(roleId);
                for (String action : grant.actions()) {
                  grant.resources().forEach(r -> access.add(action + " " + target(r)));
                }
              }
            }
            String key = "QueueEncryptionKey";
            assertThat(access)
                .containsExactlyInAnyOrder(
                    "lambda:InvokeFunction " + id(stack, function.alias()),
                    "sqs:SendMessage " + id(stack, poller.scheduleDeadLetterQueue()),
                    "kms:GenerateDataKey " + key,
                    "kms:Decrypt " + key);
            JsonNode trust =
                APP.json(stack).at("/Resources/" + roleId + "/Properties/AssumeRolePolicyDocument");
            assertThat(trust.at("/Statement/0/Principal/Service").asText())
                .isEqualTo("scheduler.amazonaws.com");
            assertThat(trust.at("/Statement/0/Condition/StringEquals/aws:SourceAccount").isObject())
                .isTrue();
          });
    }
  }

  /** The logical id a resource refers to, or the shared key's export for the imported key. */
  private static String target(JsonNode resource) {
    String id = referencedId(resource);
    if (id != null) {
      return id;
    }
    String imported = resource.path("Fn::ImportValue").asText();
    return imported.contains("QueueEncryptionKey") ? "QueueEncryptionKey" : resource.toString();
  }

  @Test
  void roles_writeOnlyToTheirOwnLogGroup() {
    for (IntegrationStack stack : APP.stacks.integrations()) {
      for (SluiceFunction function : functions(stack)) {
        List<Grant> logs =
            grantsOf(stack, function).stream()
                .filter(g -> g.actions().stream().anyMatch(a -> a.startsWith("logs:")))
                .toList();

        assertThat(logs).hasSize(1);
        assertThat(referencedId(logs.get(0).resources().get(0)))
            .isEqualTo(id(stack, function.logGroup()));
      }
    }
  }

  @Test
  void roles_useNoServiceBeyondLogsSqsKmsSecretsManagerAndLambdaInvoke() {
    for (Grant grant : allGrants()) {
      assertThat(grant.actions())
          .as(grant.policy())
          .allSatisfy(
              action ->
                  assertThat(action).matches("(logs|sqs|kms|secretsmanager|lambda):[A-Za-z]+"));
    }
  }

  private static List<SluiceFunction> functions(IntegrationStack stack) {
    Integration integration = stack.integration();
    List<SluiceFunction> functions = new ArrayList<>();
    integration.ingress().ifPresent(ingress -> functions.add(ingress.function()));
    integration.poller().ifPresent(poller -> functions.add(poller.function()));
    integration.poller().flatMap(ScheduledPoller::tokenKeeper).ifPresent(functions::add);
    functions.add(integration.transform().function());
    functions.add(integration.deliver().function());
    return functions;
  }

  /** "action queueLogicalId" for every SQS action the function's role holds. */
  private static Set<String> queueAccess(IntegrationStack stack, SluiceFunction function) {
    Set<String> access = new TreeSet<>();
    for (Grant grant : grantsOf(stack, function)) {
      for (String action : grant.actions()) {
        if (action.startsWith("sqs:")) {
          grant.resources().forEach(r -> access.add(action + " " + referencedId(r)));
        }
      }
    }
    return access;
  }

  /** KMS actions of the role; each must be on the shared key and nothing else. */
  private static Set<String> keyActions(IntegrationStack stack, SluiceFunction function) {
    Set<String> actions = new TreeSet<>();
    for (Grant grant : grantsOf(stack, function)) {
      if (grant.actions().stream().anyMatch(a -> a.startsWith("kms:"))) {
        assertThat(grant.resources())
            .allSatisfy(
                r -> assertThat(r.path("Fn::ImportValue").asText()).contains("QueueEncryptionKey"));
        actions.addAll(grant.actions());
      }
    }
    return actions;
  }

  /** The secret names (with the ARN suffix pattern) the role may read. */
  private static List<String> secrets(IntegrationStack stack, SluiceFunction function) {
    List<String> names = new ArrayList<>();
    for (Grant grant : grantsOf(stack, function)) {
      if (grant.actions().stream().anyMatch(a -> a.startsWith("secretsmanager:"))) {
        assertThat(grant.actions()).containsExactly("secretsmanager:GetSecretValue");
        for (JsonNode resource : grant.resources()) {
          names.add(secretName(resource));
        }
      }
    }
    return names;
  }

  private static String secretName(JsonNode resource) {
    String arn = resource.toString();
    return arn.substring(arn.indexOf(":secret:") + 8, arn.lastIndexOf('"'));
  }

  private static List<Grant> grantsOf(IntegrationStack stack, SluiceFunction function) {
    String role = id(stack, function.role());
    return grants(stack.getStackName(), APP.json(stack)).stream()
        .filter(grant -> grant.roles().contains(role))
        .toList();
  }

  private static List<Grant> allGrants() {
    List<Grant> grants = new ArrayList<>();
    APP.templates.forEach((stack, template) -> grants.addAll(grants(stack, template)));
    assertThat(grants).isNotEmpty();
    return grants;
  }

  private static List<Grant> grants(String stack, JsonNode template) {
    List<Grant> grants = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : all(template).entrySet()) {
      JsonNode resource = entry.getValue();
      String type = resource.path("Type").asText();
      if (type.equals("AWS::IAM::Policy") || type.equals("AWS::IAM::ManagedPolicy")) {
        List<String> roles = new ArrayList<>();
        resource.at("/Properties/Roles").forEach(r -> roles.add(referencedId(r)));
        resource
            .at("/Properties/PolicyDocument/Statement")
            .forEach(s -> grants.add(new Grant(stack, entry.getKey(), roles, s)));
      }
    }
    return grants;
  }

  private static List<String> values(JsonNode node) {
    List<String> list = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> list.add(n.asText()));
    } else {
      list.add(node.asText());
    }
    return list;
  }

  private static String id(IntegrationStack stack, software.constructs.IConstruct construct) {
    return stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild());
  }
}
