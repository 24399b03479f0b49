package dev.sluice.local.demo;

import dev.sluice.auth.tokens.TokenKeeper;
import dev.sluice.local.runner.LocalRun;
import dev.sluice.local.standin.StandIns;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The demo of a scheduled integration: runs the token keeper, fires the schedule at the scenario's
 * times, waits until every page and record has reached its end, and reports where each contact of
 * the source's stand-in ended. A contact counts as delivered when its one target member
 * (Mailchimp's subscriber hash of its email) was written as often as the scenario expects and every
 * write succeeded: a contact in two overlapping windows is written twice, to the same member.
 */
final class ScheduledDemo {

  private static final Duration POLL = Duration.ofMillis(250);

  private final Path repositoryRoot;
  private final PrintWriter out;

  ScheduledDemo(Path repositoryRoot, PrintWriter out) {
    this.repositoryRoot = repositoryRoot;
    this.out = out;
  }

  List<Outcome> run(
      DemoScenario scenario,
      Optional<URI> awsEndpoint,
      Duration visibilityTimeout,
      Duration timeout)
      throws InterruptedException {
    out.printf(
        "Starting %s locally (SQS: %s, HubSpot and Mailchimp: stand-ins on 127.0.0.1)%n",
        scenario.integration(), awsEndpoint.map(URI::toString).orElse("embedded ElasticMQ"));
    out.flush();
    try (LocalRun run =
        LocalRun.start(repositoryRoot, scenario.integration(), awsEndpoint, visibilityTimeout)) {
      Map<String, TokenKeeper.Result> tokens = run.chain().refreshTokens();
      tokens.forEach((block, result) -> out.printf("  token keeper, %s: %s%n", block, result));

      for (String time : scenario.schedule()) {
        Instant at = Instant.parse(time);
        run.chain().schedule(at);
        out.printf("  schedule fired for %s%n", at);
      }
      out.flush();

      List<Outcome> outcomes = await(run, scenario, timeout);
      summarize(run);
      return outcomes;
    }
  }

  private List<Outcome> await(LocalRun run, DemoScenario scenario, Duration timeout)
      throws InterruptedException {
    out.printf("Waiting for every page and record to reach its end%n");
    out.flush();
    Instant deadline = Instant.now().plus(timeout);
    List<Outcome> outcomes = locate(run, scenario);
    while (Instant.now().isBefore(deadline)) {
      boolean settled = outcomes.stream().noneMatch(o -> o.place() == Outcome.Place.IN_FLIGHT);
      if (settled && run.recordsInFlight() == 0) {
        // Located once more after the queues are empty, so late writes are counted too.
        return locate(run, scenario);
      }
      Thread.sleep(POLL.toMillis());
      outcomes = locate(run, scenario);
    }
    out.printf("Gave up waiting after %d s%n", timeout.toSeconds());
    return outcomes;
  }

  private void summarize(LocalRun run) {
    List<StandIns.TargetExchange> exchanges = run.standIns().targetExchanges("Idempotency-Key");
    long searches = exchanges.stream().filter(e -> e.path().startsWith("/crm/v3/objects/")).count();
    long writes = exchanges.stream().filter(e -> "PUT".equals(e.method())).count();
    long members =
        exchanges.stream()
            .filter(e -> "PUT".equals(e.method()))
            .map(StandIns.TargetExchange::path)
            .distinct()
            .count();
    out.printf(
        "%d search pages fetched; %d member writes to %d distinct members%n",
        searches, writes, members);
    out.flush();
  }

  private static List<Outcome> locate(LocalRun run, DemoScenario scenario) {
    List<StandIns.TargetExchange> exchanges = run.standIns().targetExchanges("Idempotency-Key");
    Map<String, LocalRun.ParkedMessage> parked = run.parkedMessages();
    List<Outcome> outcomes = new ArrayList<>();

    for (DemoScenario.Contact contact : scenario.contacts()) {
      Outcome.Place expected = contact.expectedPlace();
      List<StandIns.TargetExchange> writes =
          contact.email() == null
              ? List.of()
              : exchanges.stream()
                  .filter(e -> "PUT".equals(e.method()))
                  .filter(e -> e.path().endsWith("/members/" + subscriberHash(contact.email())))
                  .toList();
      Optional<LocalRun.ParkedMessage> stopped =
          parked.values().stream()
              .filter(m -> m.sourceEventId() != null)
              .filter(m -> m.sourceEventId().startsWith("hubspot:" + contact.id() + "@"))
              .findFirst();

      long succeeded = writes.stream().filter(e -> e.status() / 100 == 2).count();
      if (succeeded > 0 && stopped.isEmpty()) {
        boolean exact = succeeded == writes.size() && writes.size() == contact.expectedWrites();
        outcomes.add(
            new Outcome(
                contact.name(),
                Outcome.Place.DELIVERED,
                "1 member, " + writes.size() + " upsert(s), all " + statuses(writes),
                expected,
                expected == Outcome.Place.DELIVERED && exact,
                null));
      } else if (stopped.isPresent()) {
        Outcome.Place place =
            stopped.get().quarantined() ? Outcome.Place.QUARANTINED : Outcome.Place.DEAD_LETTERED;
        String reason = stopped.get().reason();
        outcomes.add(
            new Outcome(
                contact.name(),
                place,
                reason == null ? "moved by SQS redrive" : reason,
                expected,
                place == expected,
                null));
      } else {
        outcomes.add(
            new Outcome(
                contact.name(),
                Outcome.Place.IN_FLIGHT,
                "no upsert or parked record seen yet",
                expected,
                false,
                null));
      }
    }
    return outcomes;
  }

  private static String statuses(List<StandIns.TargetExchange> writes) {
    return writes.stream()
        .map(e -> String.valueOf(e.status()))
        .distinct()
        .reduce((a, b) -> a + "/" + b)
        .orElse("");
  }

  /** Mailchimp's member id: the MD5 of the lower-cased address. */
  private static String subscriberHash(String email) {
    try {
      byte[] bytes = email.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }
}
