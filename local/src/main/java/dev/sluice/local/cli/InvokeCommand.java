package dev.sluice.local.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.json.Json;
import dev.sluice.local.demo.Demo;
import dev.sluice.local.demo.DemoScenario;
import dev.sluice.local.demo.Outcome;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice invoke}: one webhook through an integration's local chain. */
@Command(
    name = "invoke",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one webhook through the integration's chain on this machine; prints where it ended.",
      "Without --header the event is signed with the local secret; with headers (a captured"
          + " signature) it is sent exactly as given. The JSON printed names a correlationId:"
          + " the log lines in .sluice/logs/sluice.log that carry it say why each step decided"
          + " as it did.",
      "Exit status: 0 delivered, 1 rejected, quarantined, dead-lettered or still in flight,"
          + " 2 usage error, 3 the run could not start (an endpoint unreachable, say)."
    })
public final class InvokeCommand implements Callable<Integer> {

  /** Where the handlers' log lines, with the reason of every decision, are written. */
  private static final String LOG_FILE = ".sluice/logs/sluice.log";

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INTEGRATION", description = "Integration name.")
  String integration;

  @Option(names = "--event", required = true, paramLabel = "FILE", description = "Body to send.")
  Path event;

  @Option(
      names = "--header",
      paramLabel = "NAME=VALUE",
      description = "A request header; repeat for several.")
  List<String> headers = List.of();

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "An AWS-compatible SQS endpoint to use instead of the embedded one.")
  URI endpoint;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "Seconds to wait for the webhook to reach its end (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (Files.isDirectory(event)) {
      throw new ParameterException(spec.commandLine(), "--event " + event + " is a directory");
    }
    if (!Files.isRegularFile(event)) {
      throw new ParameterException(spec.commandLine(), "event file not found: " + event);
    }
    if (timeoutSeconds <= 0) {
      throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
    }
    List<String> known =
        DefinitionCatalog.folder(SluiceCommand.repositoryRoot().resolve("integrations")).names();
    if (!known.contains(integration)) {
      throw new ParameterException(
          spec.commandLine(),
          "no integration '" + integration + "'; known: " + String.join(", ", known));
    }
    if (DefinitionCatalog.folder(SluiceCommand.repositoryRoot().resolve("integrations"))
        .load(integration)
        .isScheduled()) {
      throw new ParameterException(
          spec.commandLine(),
          integration
              + " is a scheduled integration: it takes no webhooks; run an old window with"
              + " './sluice backfill "
              + integration
              + " --from T1 --to T2'");
    }
    Map<String, String> parsedHeaders = parseHeaders();

    DemoScenario.Input input =
        new DemoScenario.Input(
            event.getFileName().toString(),
            event.toAbsolutePath().toString(),
            null,
            parsedHeaders.isEmpty() ? "valid" : "none",
            null,
            null,
            parsedHeaders,
            null);
    List<Outcome> outcomes =
        new Demo(SluiceCommand.repositoryRoot(), spec.commandLine().getErr())
            .run(
                new DemoScenario(integration, List.of(input)),
                Path.of("."),
                Optional.ofNullable(endpoint),
                Duration.ofSeconds(2),
                Duration.ofSeconds(timeoutSeconds));

    Outcome outcome = outcomes.get(0);
    ObjectNode result = Json.mapper().createObjectNode();
    result.put("integration", integration);
    result.put("event", event.toString());
    result.put("outcome", outcome.place().label());
    result.put("detail", outcome.detail());
    result.put("correlationId", outcome.correlationId());
    result.put("log", LOG_FILE);
    spec.commandLine().getOut().println(result.toPrettyString());
    return outcome.place() == Outcome.Place.DELIVERED ? 0 : 1;
  }

  private Map<String, String> parseHeaders() {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String header : headers) {
      int equals = header.indexOf('=');
      if (equals <= 0) {
        throw new ParameterException(
            spec.commandLine(), "--header must be NAME=VALUE, got '" + header + "'");
      }
      parsed.put(header.substring(0, equals).trim(), header.substring(equals + 1).trim());
    }
    return parsed;
  }
}
