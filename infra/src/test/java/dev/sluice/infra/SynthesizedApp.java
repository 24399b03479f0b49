package dev.sluice.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.infra.stacks.IntegrationStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * The app, synthesized once per test run (a synth takes seconds) with the context of {@code
 * infra/cdk.json}, exactly as {@code cdk synth} would; the templates are read back as JSON.
 *
 * <p>Besides the repository's {@code integrations/}, the app gets the definitions in {@code
 * infra/src/test/resources/integrations/}, so that every kind of trigger has a stack the rules are
 * checked on even before the repository holds an integration of that kind.
 */
final class SynthesizedApp {

  private static final String DEFINITION_FILE = "integration.yaml";

  private static SynthesizedApp instance;

  final RepositoryLayout layout;
  final App app;
  final SluiceApp.Stacks stacks;
  final Path outdir;
  final Map<String, JsonNode> templates = new LinkedHashMap<>();

  private static void deleteRecursively(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not clear " + folder, e);
    }
  }

  private SynthesizedApp() {
    RepositoryLayout repository = RepositoryLayout.find();
    this.layout =
        new RepositoryLayout(
            repository.root(), combinedIntegrations(repository.root()), repository.lambdaJar());
    this.outdir = layout.root().resolve("infra/target/cdk-test.out");
    // A fresh folder: assets of an earlier build (an older jar) would otherwise sit beside these.
    deleteRecursively(outdir);
    this.app = App.Builder.create().outdir(outdir.toString()).context(cdkJsonContext()).build();
    this.stacks = SluiceApp.define(app, layout);
    app.synth();

    ObjectMapper json = new ObjectMapper();
    for (Stack stack : allStacks()) {
      try {
        templates.put(
            stack.getStackName(), json.readTree(outdir.resolve(stack.getTemplateFile()).toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * A folder with the definitions of {@code integrations/} and of the test resources, written
   * afresh under {@code infra/target}; a test definition must not share a repository one's name.
   */
  private static Path combinedIntegrations(Path root) {
    Path combined = root.resolve("infra/target/test-integrations");
    try {
      if (Files.isDirectory(combined)) {
        try (Stream<Path> old = Files.walk(combined)) {
          for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
      for (Path source :
          List.of(
              root.resolve("integrations"),
              root.resolve("infra/src/test/resources/integrations"))) {
        for (String name : DefinitionCatalog.folder(source).names()) {
          Path target = combined.resolve(name).resolve(DEFINITION_FILE);
          if (Files.exists(target)) {
            throw new IllegalStateException("two definitions named " + name);
          }
          Files.createDirectories(target.getParent());
          Files.copy(source.resolve(name).resolve(DEFINITION_FILE), target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return combined;
  }

  static synchronized SynthesizedApp get() {
    if (instance == null) {
      instance = new SynthesizedApp();
    }
    return instance;
  }

  List<Stack> allStacks() {
    List<Stack> all = new ArrayList<>();
    all.add(stacks.shared());
    all.addAll(stacks.integrations());
    return all;
  }

  /** Stacks of integrations started by webhooks. */
  List<IntegrationStack> webhookStacks() {
    return stacks.integrations().stream()
        .filter(stack -> stack.integration().ingress().isPresent())
        .toList();
  }

  /** Stacks of integrations started by a schedule; at least the test definition's. */
  List<IntegrationStack> scheduledStacks() {
    return stacks.integrations().stream()
        .filter(stack -> stack.integration().poller().isPresent())
        .toList();
  }

  IntegrationStack integrationStack(String integration) {
    return stacks.integrations().stream()
        .filter(stack -> stack.getStackName().equals(SluiceApp.stackName(integration)))
        .findFirst()
        .orElseThrow();
  }

  Template template(Stack stack) {
    return Template.fromStack(stack);
  }

  JsonNode json(Stack stack) {
    return templates.get(stack.getStackName());
  }

  List<IntegrationDefinition> definitions() {
    DefinitionCatalog catalog = DefinitionCatalog.folder(layout.integrations());
    return catalog.names().stream().map(catalog::load).toList();
  }

  List<Path> templateFiles() {
    try (Stream<Path> files = Files.list(outdir)) {
      return files.filter(file -> file.toString().endsWith(".template.json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The context {@code cdk synth} passes: what {@code infra/cdk.json} sets. */
  private Map<String, Object> cdkJsonContext() {
    try {
      JsonNode cdkJson =
          new ObjectMapper().readTree(layout.root().resolve("infra/cdk.json").toFile());
      Map<String, Object> context = new LinkedHashMap<>();
      cdkJson
          .get("context")
          .fields()
          .forEachRemaining(f -> context.put(f.getKey(), f.getValue().asText()));
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
