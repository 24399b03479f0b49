package dev.sluice.local.cli;

import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.local.runner.Backfill;
import dev.sluice.local.runner.LocalRun;
import dev.sluice.local.standin.StandIns;
import dev.sluice.poll.PollWindow;
import dev.sluice.queue.QueueSender;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code sluice backfill}: the page tasks of an old window of a scheduled integration. */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Enqueues the page tasks of an old window of a scheduled integration. With --queue-url they"
          + " go to that poll queue (the deployed poll function works through them); without,"
          + " the integration runs locally on its stand-ins until the window is done."
    })
public final class BackfillCommand implements Callable<Integer> {

  private static final Duration POLL = Duration.ofMillis(250);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INTEGRATION", description = "A scheduled integration.")
  String integration;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "T1",
      description = "Start of the window, ISO-8601 (2026-11-30T00:00:00Z).")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "T2",
      description = "End of the window, ISO-8601.")
  String to;

  @Option(
      names = "--chunk-minutes",
      paramLabel = "MINUTES",
      description = "Longest window of one page task chain (default: the schedule's window).")
  Integer chunkMinutes;

  @Option(
      names = "--queue-url",
      paramLabel = "URL",
      description = "The integration's poll queue in AWS (or an emulator): only enqueue there.")
  String queueUrl;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "An AWS-compatible SQS endpoint (with --queue-url, or for the local run).")
  URI endpoint;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description = "Local run: seconds to wait for the window (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Path root = SluiceCommand.repositoryRoot();
    IntegrationDefinition definition = definition(root);
    Duration chunk =
        chunkMinutes == null ? Backfill.chunkOf(definition) : Duration.ofMinutes(chunkMinutes);
    List<PollWindow> windows;
    try {
      windows = Backfill.windows(instant("--from", from), instant("--to", to), chunk);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();

    if (queueUrl != null) {
      try (SqsClient sqs = sqsClient()) {
        List<String> ids = Backfill.enqueue(new QueueSender(sqs), queueUrl, integration, windows);
        out.printf("Queued %d page task(s) for %s..%s on %s%n", ids.size(), from, to, queueUrl);
        out.flush();
        return 0;
      }
    }
    return runLocally(root, windows, out);
  }

  private int runLocally(Path root, List<PollWindow> windows, PrintWriter out)
      throws InterruptedException {
    out.printf(
        "Backfilling %s from %s to %s locally (%d window(s), stand-ins on 127.0.0.1)%n",
        integration, from, to, windows.size());
    out.flush();
    try (LocalRun run =
        LocalRun.start(root, integration, Optional.ofNullable(endpoint), Duration.ofSeconds(2))) {
      run.chain().refreshTokens();
      windows.forEach(run.chain()::backfill);

      Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutSeconds));
      while (run.recordsInFlight() > 0 && Instant.now().isBefore(deadline)) {
        Thread.sleep(POLL.toMillis());
      }
      boolean done = run.recordsInFlight() == 0;

      List<StandIns.TargetExchange> exchanges = run.standIns().targetExchanges("Idempotency-Key");
      String searchPath = URI.create(run.definition().source().url()).getPath();
      String writeMethod = run.definition().target().methodOrDefault();
      // Pages the source answered; refused attempts are retries, not pages.
      long pages =
          exchanges.stream()
              .filter(e -> e.path().startsWith(searchPath) && e.status() / 100 == 2)
              .count();
      long writes =
          exchanges.stream()
              .filter(e -> writeMethod.equals(e.method()) && e.status() / 100 == 2)
              .count();
      var parked = run.parkedMessages().values();
      out.printf(
          "%s: %d page(s) fetched, %d record(s) written to the target, %d parked%n",
          done ? "Done" : "Gave up waiting after " + timeoutSeconds + " s",
          pages,
          writes,
          parked.size());
      parked.forEach(
          message ->
              out.printf(
                  "  parked: %s%n",
                  message.reason() == null ? "moved by SQS redrive" : message.reason()));
      out.flush();
      return done && parked.isEmpty() ? 0 : 1;
    }
  }

  private IntegrationDefinition definition(Path root) {
    try {
      IntegrationDefinition definition =
          DefinitionCatalog.folder(root.resolve("integrations")).load(integration);
      if (!definition.isScheduled()) {
        throw new ParameterException(
            spec.commandLine(), integration + " is not a scheduled integration");
      }
      return definition;
    } catch (InvalidDefinitionException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Instant instant(String option, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          spec.commandLine(), option + " must be an ISO-8601 instant such as 2026-11-30T00:00:00Z");
    }
  }

  private SqsClient sqsClient() {
    // Region and credentials come from the SDK's default chains, as for any AWS tool.
    var builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.builder().build());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }
}
