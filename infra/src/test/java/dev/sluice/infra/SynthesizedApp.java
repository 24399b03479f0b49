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
 */
final class SynthesizedApp {

  private static SynthesizedApp instance;

  final RepositoryLayout layout;
  final App app;
  final SluiceApp.Stacks stacks;
  final Path outdir;
  final Map<String, JsonNode> templates = new LinkedHashMap<>();

  private SynthesizedApp() {
    this.layout = RepositoryLayout.find();
    this.outdir = layout.root().resolve("infra/target/cdk-test.out");
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
