package dev.sluice.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project-local Python virtual environment ({@code .sluice/venv}, git-ignored) holding the
 * pinned tools the tests run: the moto server and cfn-lint. It is created on first use and
 * reinstalled when {@code test-support/python-requirements.txt} changes; pip's output goes to
 * {@code .sluice/logs/pip-install.log}, which a failure points to.
 */
public final class PythonTools {

  /** Set by the build to the repository root; the working directory's parents otherwise. */
  public static final String ROOT_PROPERTY = "sluice.repository.root";

  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

  private PythonTools() {}

  /** The repository root (the folder holding {@code test-support/}). */
  public static Path repositoryRoot() {
    String configured = System.getProperty(ROOT_PROPERTY);
    if (configured != null && Files.isDirectory(Path.of(configured, "test-support"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }

    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("test-support/python-requirements.txt"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "repository root not found: set -D" + ROOT_PROPERTY + " or run from inside the checkout");
  }

  /** A tool's executable in the environment, installing the environment first if needed. */
  public static Path executable(String name) {
    return ensureInstalled().resolve("bin").resolve(name);
  }

  /** Where tools started from this environment write their logs. */
  public static Path logFolder() {
    Path logs = repositoryRoot().resolve(".sluice").resolve("logs");
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return logs;
  }

  /** Creates or refreshes the environment; concurrent callers (other test JVMs) wait. */
  public static synchronized Path ensureInstalled() {
    Path root = repositoryRoot();
    Path requirements = root.resolve("test-support").resolve("python-requirements.txt");
    Path venv = root.resolve(".sluice").resolve("venv");
    Path stamp = venv.resolve("requirements.sha256");

    try {
      Files.createDirectories(venv.getParent());
      try (FileChannel channel =
              FileChannel.open(
                  root.resolve(".sluice").resolve("venv.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        String wanted = sha256(Files.readAllBytes(requirements));
        if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(wanted)) {
          return venv;
        }

        Path log = logFolder().resolve("pip-install.log");
        System.err.printf(
            "Installing the test tools (%s) into %s; pip output in %s%n", requirements, venv, log);
        run(List.of(python(), "-m", "venv", "--clear", venv.toString()), log);
        run(
            List.of(
                venv.resolve("bin/pip").toString(),
                "install",
                "--disable-pip-version-check",
                "-r",
                requirements.toString()),
            log);
        Files.writeString(stamp, wanted);
        return venv;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the Python tools in " + venv, e);
    }
  }

  private static String python() {
    String configured = System.getenv("SLUICE_PYTHON");
    return configured == null || configured.isBlank() ? "python3" : configured;
  }

  private static void run(List<String> command, Path log) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!process.waitFor(INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + " did not finish in " + INSTALL_TIMEOUT + "; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while installing the test tools", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed with exit " + process.exitValue() + "; see " + log);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
