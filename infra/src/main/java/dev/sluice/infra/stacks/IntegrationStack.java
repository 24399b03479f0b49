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

    integration
        .ingress()
        .ifPresent(
            ingress ->
                CfnOutput.Builder.create(this, "WebhookUrl")
                    .description("Give this URL to the SaaS as the webhook endpoint")
                    .value(ingress.api().getApiEndpoint() + ingress.routePath())
                    .build());
    integration
        .poller()
        .ifPresent(
            poller ->
                CfnOutput.Builder.create(this, "PageTaskQueueUrl")
                    .description("Where backfill puts the page tasks of an old window")
                    .value(poller.pageTaskQueue().queue().getQueueUrl())
                    .build());
  }

  public Integration integration() {
    return integration;
  }
}
