package dev.sluice.infra.stacks;

import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.infra.constructs.Integration;
import java.nio.file.Path;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** One integration's stack: everything {@link Integration} builds, deployed and removed alone. */
public final class IntegrationStack extends Stack {

  private final Integration integration;

  public IntegrationStack(
      Construct scope,
      String id,
      StackProps props,
      IntegrationDefinition definition,
      SharedStack shared,
      Path jar) {
    super(scope, id, props);

    this.integration =
        new Integration(
            this,
            "Integration",
            new Integration.Props(definition, shared.key(), shared.onCallTopic(), jar));

    CfnOutput.Builder.create(this, "WebhookUrl")
        .description("Give this URL to the SaaS as the webhook endpoint")
        .value(integration.ingress().api().getApiEndpoint() + integration.ingress().routePath())
        .build();
  }

  public Integration integration() {
    return integration;
  }
}
