package dev.sluice.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.webhook.SignatureScheme;
import dev.sluice.auth.webhook.WebhookSigning;
import dev.sluice.envelope.IdempotencyKeys;
import dev.sluice.json.Json;
import dev.sluice.local.http.WebhookEndpoint;
import dev.sluice.local.runner.LocalRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Sends the scenario's webhooks through a local run of their integration, waits until each has
 * reached its end, and reports where each ended against where it should have.
 */
public final class Demo {

  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration SKEW = Duration.ofHours(1);

  private final Path repositoryRoot;
  private final PrintWriter out;

  public Demo(Path repositoryRoot, PrintWriter out) {
    this.repositoryRoot = repositoryRoot;
    this.out = out;
  }

  /**
   * Runs the scenario.
   *
   * @return the outcomes, one per input, in the scenario's order
   */
  public List<Outcome> run(
      DemoScenario scenario,
      Path folder,
      Optional<URI> awsEndpoint,
      Duration visibilityTimeout,
      Duration timeout)
      throws IOException, InterruptedException {
    if (scenario.isScheduled()) {
      return new ScheduledDemo(repositoryRoot, out)
          .run(scenario, awsEndpoint, visibilityTimeout, timeout);
    }
    out.printf(
        "Starting %s locally (SQS: %s, target and OAuth server: stand-ins on 127.0.0.1)%n",
        scenario.integration(), awsEndpoint.map(URI::toString).orElse("embedded ElasticMQ"));
    out.flush();
    try (LocalRun run =
        LocalRun.start(repositoryRoot, scenario.integration(), awsEndpoint, visibilityTimeout)) {
      Map<DemoScenario.Input, Tracked> tracked = send(run, scenario, folder);
      return await(run, tracked, timeout);
    }
  }

  private Map<DemoScenario.Input, Tracked> send(LocalRun run, DemoScenario scenario, Path folder)
      throws IOException, InterruptedException {
    int count = scenario.inputs().size();
    out.printf("Sending %d webhook%s to %s%n", count, count == 1 ? "" : "s", run.webhookUrl("..."));
    Map<DemoScenario.Input, Tracked> tracked = new LinkedHashMap<>();
    SignatureScheme scheme = SignatureScheme.fromName(run.definition().trigger().scheme());

    for (DemoScenario.Input input : scenario.inputs()) {
      byte[] body = input.body(folder);
      Map<String, String> headers = new HashMap<>();
      headers.put("Content-Type", input.contentTypeOrDefault());
      headers.putAll(signature(scheme, run.webhookSecret(), input.signing(), body));
      headers.putAll(input.headersOrEmpty());
      String target = input.path() == null ? scenario.integration() : input.path();

      HttpResponse<String> response = run.post(target, headers, body);
      String correlationId =
          response.headers().firstValue(WebhookEndpoint.REQUEST_ID_HEADER).orElse("");
      tracked.put(
          input,
          new Tracked(
              response.statusCode(),
              correlationId,
              idempotencyKey(scenario.integration(), response)));
      out.printf("  %-44s -> HTTP %d%n", input.name(), response.statusCode());
      out.flush();
    }
    return tracked;
  }

  private static Map<String, String> signature(
      SignatureScheme scheme, String secret, DemoScenario.Signing signing, byte[] body) {
    Instant now = Instant.now();
    String deliveryId = UUID.randomUUID().toString();
    return switch (signing) {
      case VALID -> WebhookSigning.headers(scheme, secret, now, body, deliveryId);
      case WRONG_SECRET -> WebhookSigning.headers(scheme, secret + "-wrong", now, body, deliveryId);
      case STALE -> WebhookSigning.headers(scheme, secret, now.minus(SKEW), body, deliveryId);
      case FUTURE -> WebhookSigning.headers(scheme, secret, now.plus(SKEW), body, deliveryId);
      case NONE -> Map.of();
    };
  }

  private List<Outcome> await(
      LocalRun run, Map<DemoScenario.Input, Tracked> tracked, Duration timeout)
      throws InterruptedException {
    long accepted = tracked.values().stream().filter(Tracked::accepted).count();
    if (accepted > 0) {
      out.printf(
          "Waiting for %d accepted webhook%s to reach %s end (retries wait for the queue's"
              + " visibility timeout)%n",
          accepted, accepted == 1 ? "" : "s", accepted == 1 ? "its" : "their");
      out.flush();
    }

    Instant deadline = Instant.now().plus(timeout);
    List<Outcome> outcomes = locate(run, tracked);
    int lastPending = -1;
    while (Instant.now().isBefore(deadline)) {
      int pending =
          (int) outcomes.stream().filter(o -> o.place() == Outcome.Place.IN_FLIGHT).count();
      if (pending == 0 && run.recordsInFlight() == 0) {
        return outcomes;
      }
      if (pending != lastPending) {
        out.printf("  %d still in flight%n", pending);
        out.flush();
        lastPending = pending;
      }
      Thread.sleep(POLL.toMillis());
      outcomes = locate(run, tracked);
    }
    out.printf("Gave up waiting after %d s%n", timeout.toSeconds());
    return outcomes;
  }

  private static List<Outcome> locate(LocalRun run, Map<DemoScenario.Input, Tracked> tracked) {
    String header = run.definition().target().idempotencyHeader();
    var exchanges = run.standIns().targetExchanges(header);
    var parked = run.parkedMessages();
    List<Outcome> outcomes = new ArrayList<>();

    for (var entry : tracked.entrySet()) {
      DemoScenario.Input input = entry.getKey();
      Tracked sent = entry.getValue();
      Outcome.Place expected = input.expectedPlace();
      if (!sent.accepted()) {
        boolean statusAsExpected =
            input.expect() == null
                || input.expect().status() == null
                || input.expect().status() == sent.status();
        outcomes.add(
            new Outcome(
                input.name(),
                Outcome.Place.REJECTED,
                "HTTP " + sent.status(),
                expected,
                expected == Outcome.Place.REJECTED && statusAsExpected,
                sent.correlationId()));
        continue;
      }

      var calls = exchanges.stream().filter(e -> sent.key().equals(e.idempotencyKey())).toList();
      long delivered = calls.stream().filter(e -> e.status() / 100 == 2).count();
      LocalRun.ParkedMessage stopped = parked.get(sent.key());
      if (delivered > 0) {
        outcomes.add(
            new Outcome(
                input.name(),
                Outcome.Place.DELIVERED,
                delivered + " delivery, " + calls.size() + " call(s) to the target",
                expected,
                expected == Outcome.Place.DELIVERED && delivered == 1,
                sent.correlationId()));
      } else if (stopped != null) {
        Outcome.Place place =
            stopped.quarantined() ? Outcome.Place.QUARANTINED : Outcome.Place.DEAD_LETTERED;
        outcomes.add(
            new Outcome(
                input.name(),
                place,
                stopped.reason() == null ? "moved by SQS redrive" : stopped.reason(),
                expected,
                place == expected,
                sent.correlationId()));
      } else {
        outcomes.add(
            new Outcome(
                input.name(),
                Outcome.Place.IN_FLIGHT,
                "accepted, but no end reached yet",
                expected,
                false,
                sent.correlationId()));
      }
    }
    return outcomes;
  }

  /**
   * The idempotency key of an accepted webhook, from the source event id ingress reported: the key
   * every downstream message and target call carries.
   */
  private static String idempotencyKey(String integration, HttpResponse<String> response) {
    if (response.statusCode() != 202) {
      return "";
    }
    try {
      JsonNode body = Json.mapper().readTree(response.body());
      return IdempotencyKeys.of(integration, body.path("sourceEventId").asText());
    } catch (IOException e) {
      throw new IllegalStateException("ingress answered 202 with a body that is not JSON", e);
    }
  }

  private record Tracked(int status, String correlationId, String key) {
    boolean accepted() {
      return status == 202;
    }
  }
}
