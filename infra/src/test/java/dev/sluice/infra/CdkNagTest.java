package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AwsSolutions pack finds nothing, and every suppression says why. */
class CdkNagTest {

  private static final SynthesizedApp APP = SynthesizedApp.get();

  @Test
  void awsSolutions_reportsNoErrors() {
    for (Stack stack : APP.allStacks()) {
      List<SynthesisMessage> errors =
          Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp(".*"));

      assertThat(errors).as(stack.getStackName()).extracting(m -> m.getEntry().getData()).isEmpty();
    }
  }

  @Test
  void app_reportsNoWarnings() {
    for (Stack stack : APP.allStacks()) {
      List<SynthesisMessage> warnings =
          Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp(".*"));

      assertThat(warnings)
          .as(stack.getStackName())
          .extracting(m -> m.getEntry().getData())
          .isEmpty();
    }
  }

  @Test
  void suppressions_eachNameAnAwsSolutionsRuleAndGiveAReason() {
    List<String> suppressed = new ArrayList<>();
    for (JsonNode template : APP.templates.values()) {
      template
          .path("Resources")
          .fields()
          .forEachRemaining(
              entry ->
                  entry
                      .getValue()
                      .at("/Metadata/cdk_nag/rules_to_suppress")
                      .forEach(
                          rule -> {
                            assertThat(rule.path("id").asText()).startsWith("AwsSolutions-");
                            assertThat(rule.path("reason").asText())
                                .as(entry.getKey() + " " + rule.path("id").asText())
                                .hasSizeGreaterThan(40);
                            suppressed.add(rule.path("id").asText());
                          }));
    }

    // The two findings Sluice accepts, on purpose and nowhere else.
    assertThat(suppressed).containsOnly("AwsSolutions-SQS3", "AwsSolutions-APIG4");
  }
}
