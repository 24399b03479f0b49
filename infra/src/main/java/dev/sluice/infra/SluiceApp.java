package dev.sluice.infra;

import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.infra.stacks.IntegrationStack;
import dev.sluice.infra.stacks.SharedStack;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * The CDK app: a shared stack and one stack per integration definition in {@code integrations/},
 * checked by cdk-nag's AwsSolutions pack (an unsuppressed finding fails the synth).
 */
public final class SluiceApp {

  /** Name of the shared stack. */
  public static final String SHARED_STACK = "Sluice-Shared";

  /** Context keys naming who answers for the shared stack (see {@code infra/cdk.json}). */
  public static final String OWNER_CONTEXT = "sluice:owner";

  public static final String MAINTAINER_CONTEXT = "sluice:maintainer";
  public static final String DATA_CLASSIFICATION_CONTEXT = "sluice:data-classification";

  private SluiceApp() {}

  /** The stacks of one app. */
  public record Stacks(SharedStack shared, List<IntegrationStack> integrations) {}

  public static void main(String[] args) {
    App app = new App();
    define(app, RepositoryLayout.find());
    app.synth();
  }

  /** Adds every stack to {@code app}, with the AwsSolutions checks. */
  public static Stacks define(App app, RepositoryLayout layout) {
    StackProps props = StackProps.builder().env(environment()).build();

    SharedStack shared = new SharedStack(app, SHARED_STACK, props);
    GovernanceTags.apply(shared, sharedTags(app));

    DefinitionCatalog catalog = DefinitionCatalog.folder(layout.integrations());
    List<IntegrationStack> stacks = new ArrayList<>();
    for (String name : catalog.names()) {
      IntegrationDefinition definition = catalog.load(name);
      IntegrationStack stack =
          new IntegrationStack(app, stackName(name), props, definition, shared, layout.lambdaJar());
      GovernanceTags.apply(stack, GovernanceTags.of(name, definition.governance()));
      stacks.add(stack);
    }

    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    return new Stacks(shared, List.copyOf(stacks));
  }

  /** The stack of an integration. */
  public static String stackName(String integration) {
    return "Sluice-" + integration;
  }

  /**
   * The account and region the CLI resolved from the caller's credentials; without them (offline
   * synth, tests) the stacks are environment-agnostic.
   */
  private static Environment environment() {
    String account = System.getenv("CDK_DEFAULT_ACCOUNT");
    String region = System.getenv("CDK_DEFAULT_REGION");
    return account == null || region == null
        ? null
        : Environment.builder().account(account).region(region).build();
  }

  private static Map<String, String> sharedTags(Construct app) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(GovernanceTags.INTEGRATION, "shared");
    tags.put(GovernanceTags.OWNER, context(app, OWNER_CONTEXT));
    tags.put(GovernanceTags.MAINTAINER, context(app, MAINTAINER_CONTEXT));
    tags.put(GovernanceTags.DATA_CLASSIFICATION, context(app, DATA_CLASSIFICATION_CONTEXT));
    return tags;
  }

  private static String context(Construct app, String key) {
    Object value = app.getNode().tryGetContext(key);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalStateException(
          "context " + key + " is not set: set it in infra/cdk.json or with -c " + key + "=...");
    }
    return value.toString();
  }
}
