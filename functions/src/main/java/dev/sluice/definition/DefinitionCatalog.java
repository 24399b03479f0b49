package dev.sluice.definition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds integration definitions and the files next to them, either in a folder on disk (the
 * repository's {@code integrations/}) or on the classpath (inside the deployable jar).
 */
public final class DefinitionCatalog {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final String DEFINITION_FILE = "integration.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Optional<Path> folder;
  private final Map<String, URI> hostRedirects;

  private DefinitionCatalog(Optional<Path> folder, Map<String, URI> hostRedirects) {
    this.folder = folder;
    this.hostRedirects = Map.copyOf(hostRedirects);
  }

  /** Definitions packaged in the jar under {@code integrations/}. */
  public static DefinitionCatalog classpath() {
    return new DefinitionCatalog(Optional.empty(), Map.of());
  }

  /** Definitions in a folder holding one sub-folder per integration. */
  public static DefinitionCatalog folder(Path integrationsFolder) {
    return new DefinitionCatalog(Optional.of(integrationsFolder), Map.of());
  }

  /**
   * The same catalog, with target and token URLs on the given hosts sent to other base URLs
   * (scheme, host and port replaced, path kept): how the local runner puts stand-ins in place of
   * SaaS APIs without editing a definition.
   */
  public DefinitionCatalog withHostRedirects(Map<String, URI> redirects) {
    return new DefinitionCatalog(folder, redirects);
  }

  /** Whether {@code name} could be an integration name at all (safe to use in a path). */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Names of the integrations in the folder (sub-folders holding a definition), sorted: what the
   * CDK app makes one stack of each.
   *
   * @throws IllegalStateException for the classpath catalog, which cannot be listed
   */
  public List<String> names() {
    Path root =
        folder.orElseThrow(
            () -> new IllegalStateException("the classpath catalog cannot list integrations"));

    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(child -> Files.isRegularFile(child.resolve(DEFINITION_FILE)))
          .map(child -> child.getFileName().toString())
          .filter(DefinitionCatalog::isValidName)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The definition, or empty when no integration of that name exists. */
  public Optional<IntegrationDefinition> find(String name) {
    if (!isValidName(name)) {
      return Optional.empty();
    }
    return readFile(name, DEFINITION_FILE)
        .map(text -> parse(name, text))
        .map(definition -> definition.redirected(hostRedirects));
  }

  /**
   * The definition, or an error that says where it was looked for.
   *
   * @throws InvalidDefinitionException when it is missing or malformed
   */
  public IntegrationDefinition load(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new InvalidDefinitionException(
                    "no integration '"
                        + name
                        + "' in "
                        + describe()
                        + " (expected "
                        + name
                        + "/"
                        + DEFINITION_FILE
                        + ")"));
  }

  /**
   * A file next to the definition, as UTF-8 text.
   *
   * @throws InvalidDefinitionException when it does not exist
   */
  public String file(String integration, String fileName) {
    if (fileName == null || fileName.contains("..") || fileName.startsWith("/")) {
      throw new InvalidDefinitionException(
          integration + ": file name '" + fileName + "' must be relative to its folder");
    }
    return readFile(integration, fileName)
        .orElseThrow(
            () ->
                new InvalidDefinitionException(
                    integration + ": " + fileName + " not found in " + describe()));
  }

  private IntegrationDefinition parse(String name, String text) {
    try {
      IntegrationDefinition definition = YAML.readValue(text, IntegrationDefinition.class);
      if (!name.equals(definition.name())) {
        throw new InvalidDefinitionException(
            name
                + "/"
                + DEFINITION_FILE
                + " declares name '"
                + definition.name()
                + "'; the name must match its folder");
      }
      if (definition.isScheduled()) {
        definition.trigger().validateSchedule(name);
        if (definition.source() == null || definition.source().url() == null) {
          throw new InvalidDefinitionException(
              name + ": a schedule trigger needs source.url (the API records are pulled from)");
        }
      }
      return definition;
    } catch (IOException e) {
      throw new InvalidDefinitionException(
          name + "/" + DEFINITION_FILE + " is not a valid definition: " + e.getMessage());
    }
  }

  private Optional<String> readFile(String integration, String fileName) {
    try {
      if (folder.isPresent()) {
        Path path = folder.get().resolve(integration).resolve(fileName);
        return Files.isRegularFile(path)
            ? Optional.of(Files.readString(path, StandardCharsets.UTF_8))
            : Optional.empty();
      }
      String resource = "integrations/" + integration + "/" + fileName;
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
        return in == null
            ? Optional.empty()
            : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String describe() {
    return folder.map(Path::toString).orElse("the classpath (integrations/)");
  }
}
