package dev.sluice.local.cli;

import dev.sluice.local.demo.Demo;
import dev.sluice.local.demo.DemoScenario;
import dev.sluice.local.demo.Outcome;
import dev.sluice.local.demo.OutcomeTable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice demo}: the reference integration end to end on this machine. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Sends real Stripe events and deliberately bad inputs through the local chain, runs the"
          + " scheduled HubSpot-to-Mailchimp sync twice, and shows where each input ended."
          + " Exits 0 only if every input ended where it should."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      paramLabel = "FILE",
      description =
          "Inputs and expected outcomes (default: events/demo.yaml, then"
              + " events/demo-hubspot.yaml).")
  Path scenario;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "An AWS-compatible SQS endpoint to use instead of the embedded one.")
  URI endpoint;

  @Option(
      names = "--visibility-timeout",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "Seconds before a failed record is retried (default: ${DEFAULT-VALUE}).")
  int visibilityTimeoutSeconds;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description = "Seconds to wait for every input to reach its end (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Path root = SluiceCommand.repositoryRoot();
    // Without --scenario: the webhook integration, then the scheduled one.
    List<Path> files =
        scenario == null
            ? List.of(
                root.resolve("events").resolve("demo.yaml"),
                root.resolve("events").resolve("demo-hubspot.yaml"))
            : List.of(scenario);
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new ParameterException(spec.commandLine(), "scenario file not found: " + file);
      }
    }
    if (timeoutSeconds <= 0 || visibilityTimeoutSeconds <= 0) {
      throw new ParameterException(
          spec.commandLine(), "--timeout and --visibility-timeout must be at least 1 second");
    }

    var out = spec.commandLine().getOut();
    boolean allExpected = true;
    for (Path file : files) {
      List<Outcome> outcomes =
          new Demo(root, out)
              .run(
                  DemoScenario.read(file),
                  file.toAbsolutePath().getParent(),
                  Optional.ofNullable(endpoint),
                  Duration.ofSeconds(visibilityTimeoutSeconds),
                  Duration.ofSeconds(timeoutSeconds));
      allExpected &= OutcomeTable.print(outcomes, out);
      out.println();
    }
    return allExpected ? 0 : 1;
  }
}
