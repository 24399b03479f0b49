package dev.sluice.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A moto server (the open-source AWS emulator) running as a child process on a free loopback port,
 * installed from the pinned {@code test-support/python-requirements.txt} by {@link PythonTools}.
 * Its output goes to {@code .sluice/logs/moto-server.log}, which every startup error names.
 *
 * @see <a href="https://docs.getmoto.org/en/latest/docs/server_mode.html">moto server mode</a>
 */
final class MotoServer implements AutoCloseable {

  static final String HOST = "127.0.0.1";
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final Process process;
  private final URI endpoint;
  private final Path log;
  private Duration startup = Duration.ZERO;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(PROBE_TIMEOUT)
          .build();

  private MotoServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /**
   * Installs moto if needed, starts it and returns once it answers HTTP.
   *
   * @throws IllegalStateException naming the log file when moto does not come up in time
   */
  static MotoServer start() {
    Path executable = PythonTools.executable("moto_server");
    Path log = PythonTools.logFolder().resolve("moto-server.log");
    int port = freePort();
    Instant begin = Instant.now();

    Process process;
    try {
      Files.deleteIfExists(log);
      process =
          new ProcessBuilder(List.of(executable.toString(), "-H", HOST, "-p", String.valueOf(port)))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + executable + "; see " + log, e);
    }

    MotoServer server = new MotoServer(process, URI.create("http://" + HOST + ":" + port), log);
    // A test JVM that ends without closing the store must not leave moto running.
    Runtime.getRuntime().addShutdownHook(new Thread(server::stopProcess, "moto-server-stop"));

    server.awaitAnswer(begin);
    server.startup = Duration.between(begin, Instant.now());
    return server;
  }

  URI endpoint() {
    return endpoint;
  }

  Path log() {
    return log;
  }

  /** How long the process took from start to its first answer. */
  Duration startup() {
    return startup;
  }

  /**
   * Drops every resource of every service, so the next test class starts from nothing.
   *
   * @see <a href="https://docs.getmoto.org/en/latest/docs/getting_started.html#reset-api">reset
   *     API</a>
   */
  void reset() {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 != 2) {
        throw new IllegalStateException(
            "moto at " + endpoint + " refused the reset with HTTP " + status + "; see " + log);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "moto at " + endpoint + " did not answer the reset (" + e + "); see " + log, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resetting moto", e);
    }
  }

  @Override
  public void close() {
    stopProcess();
  }

  private void stopProcess() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void awaitAnswer(Instant begin) {
    Instant deadline = begin.plus(STARTUP_TIMEOUT);
    HttpRequest probe =
        HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(PROBE_TIMEOUT).GET().build();

    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "moto_server exited with status "
                + process.exitValue()
                + " before answering on "
                + endpoint
                + "; see "
                + log
                + lastLines());
      }

      try {
        // Any HTTP answer means the server is up; the status does not matter here.
        http.send(probe, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        if (Instant.now().isAfter(deadline)) {
          stopProcess();
          throw new IllegalStateException(
              "moto_server did not answer on "
                  + endpoint
                  + " within "
                  + STARTUP_TIMEOUT.toSeconds()
                  + " s; see "
                  + log
                  + lastLines());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopProcess();
        throw new IllegalStateException("interrupted while waiting for moto_server", e);
      }

      pause();
    }
  }

  private String lastLines() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 10), lines.size());
      return tail.isEmpty() ? "" : "\n  " + String.join("\n  ", tail);
    } catch (IOException e) {
      return "";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the moto server", e);
    }
  }
}
