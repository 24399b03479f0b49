package dev.sluice.infra;

import static dev.sluice.infra.TemplateResources.all;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.definition.IntegrationDefinition;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every resource that CloudFormation can tag carries the four governance tags. */
class GovernanceTagsTest {

  private static final SynthesizedApp APP = SynthesizedApp.get();

  /**
   * Resource types whose CloudFormation schema has no Tags property. A type not listed here must
   * carry the tags, so a new kind of resource fails this test until someone looks at it.
   */
  private static final Set<String> NOT_TAGGABLE =
      Set.of(
          "AWS::CDK::Metadata",
          "AWS::IAM::Policy",
          "AWS::SQS::QueuePolicy",
          "AWS::SNS::TopicPolicy",
          "AWS::KMS::Alias",
          "AWS::Lambda::Version",
          "AWS::Lambda::Alias",
          "AWS::Lambda::Permission",
          "AWS::Lambda::EventInvokeConfig",
          "AWS::Scheduler::Schedule",
          "AWS::ApiGatewayV2::Route",
          "AWS::ApiGatewayV2::Integration");

  @Test
  void integrationStacks_tagEveryTaggableResourceFromTheDefinition() {
    for (IntegrationDefinition definition : APP.definitions()) {
      JsonNode template = APP.json(APP.integrationStack(definition.name()));

      assertTagged(template, GovernanceTags.of(definition.name(), definition.governance()));
    }
  }

  @Test
  void sharedStack_tagsEveryTaggableResource() {
    Map<String, String> expected =
        Map.of(
            GovernanceTags.INTEGRATION, "shared",
            GovernanceTags.OWNER, "sluice-platform",
            GovernanceTags.MAINTAINER, "sluice-platform-oncall@example.com",
            GovernanceTags.DATA_CLASSIFICATION, "confidential");

    assertTagged(APP.json(APP.stacks.shared()), expected);
  }

  private static void assertTagged(JsonNode template, Map<String, String> expected) {
    all(template)
        .forEach(
            (id, resource) -> {
              String type = resource.get("Type").asText();
              if (NOT_TAGGABLE.contains(type)) {
                assertThat(resource.at("/Properties/Tags").isMissingNode()).as(id).isTrue();
                return;
              }
              assertThat(tags(resource.at("/Properties/Tags")))
                  .as(id + " (" + type + ")")
                  .containsAllEntriesOf(expected);
            });
  }

  /** Tags as a map: most types use a list of Key/Value pairs, API Gateway v2 a plain map. */
  private static Map<String, String> tags(JsonNode tags) {
    Map<String, String> map = new HashMap<>();
    if (tags.isArray()) {
      tags.forEach(tag -> map.put(tag.get("Key").asText(), tag.get("Value").asText()));
    } else {
      tags.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    }
    return map;
  }
}
