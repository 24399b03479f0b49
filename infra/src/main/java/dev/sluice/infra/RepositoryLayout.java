package dev.sluice.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the CDK app finds its inputs in the checkout: the {@code integrations/} folder and the
 * deployable jar the functions build writes.
 *
 * @param root the repository root
 * @param integrations the folder with one sub-folder per integration
 * @param lambdaJar the shaded jar deployed as every function's code
 */
public record RepositoryLayout(Path root, Path integrations, Path lambdaJar) {

  /** Set by the build (and usable on the command line) to the repository root. */
  public static final String ROOT_PROPERTY = "sluice.repository.root";

  /** Overrides where the deployable jar is taken from. */
  public static final String JAR_PROPERTY = "sluice.lambda.jar";

  private static final String JAR_FOLDER = "functions/target";
  private static final String BUILD_COMMAND = "mvn -B install -DskipTests";

  /**
   * The layout of the checkout the app runs in (found from the working directory upwards).
   *
   * @throws IllegalStateException when the checkout or the deployable jar is not where expected,
   *     saying how to build it
   */
  public static RepositoryLayout find() {
    Path root = findRoot();
    return new RepositoryLayout(root, root.resolve("integrations"), lambdaJar(root));
  }

  private static Path findRoot() {
    String configured = System.getProperty(ROOT_PROPERTY);
    if (configured != null && Files.isDirectory(Path.of(configured, "integrations"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }

    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("integrations"))
          && Files.isDirectory(dir.resolve("functions"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "repository root not found: run from inside the checkout or set -D" + ROOT_PROPERTY);
  }

  private static Path lambdaJar(Path root) {
    String configured = System.getProperty(JAR_PROPERTY);
    if (configured != null) {
      Path jar = Path.of(configured).toAbsolutePath();
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(JAR_PROPERTY + " points at " + jar + ", which is no file");
      }
      return jar;
    }

    Path folder = root.resolve(JAR_FOLDER);
    List<Path> jars;
    try (Stream<Path> files = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
      jars =
          files
              .filter(file -> file.getFileName().toString().startsWith("sluice-functions-"))
              .filter(file -> file.getFileName().toString().endsWith("-lambda.jar"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (jars.size() != 1) {
      throw new IllegalStateException(
          (jars.isEmpty() ? "the deployable jar is missing" : "several deployable jars: " + jars)
              + " in "
              + folder
              + " (expected one sluice-functions-*-lambda.jar); build it first with `"
              + BUILD_COMMAND
              + "` in "
              + root);
    }
    return jars.get(0);
  }
}
