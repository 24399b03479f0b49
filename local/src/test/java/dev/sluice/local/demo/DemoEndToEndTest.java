package dev.sluice.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The demo flow end to end: real Stripe events and bad inputs through the real handlers, the
 * embedded SQS with redrive policies, the Xero stand-in and a real OAuth 2.0 server.
 */
class DemoEndToEndTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void demo_everyInputEndsWhereTheScenarioSaysAndTheCountsAddUp() throws Exception {
    DemoScenario scenario = DemoScenario.read(ROOT.resolve("events/demo.yaml"));
    StringWriter progress = new StringWriter();

    List<Outcome> outcomes = run(scenario, progress);

    assertThat(outcomes).hasSize(scenario.inputs().size());
    assertEveryInputEndedAsExpected(outcomes);
    assertThat(outcomes).noneMatch(outcome -> outcome.place() == Outcome.Place.IN_FLIGHT);
    assertThat(outcomes)
        .filteredOn(outcome -> outcome.place() == Outcome.Place.DEAD_LETTERED)
        .extracting(Outcome::detail)
        .containsExactly("target answered 500 on attempt 3 of 3");
    assertThat(outcomes)
        .filteredOn(outcome -> outcome.place() == Outcome.Place.QUARANTINED)
        .extracting(Outcome::detail)
        .allSatisfy(reason -> assertThat(reason).contains("/Invoices/0/LineItems"));

    StringWriter table = new StringWriter();
    boolean allExpected = OutcomeTable.print(outcomes, new PrintWriter(table));
    assertThat(allExpected).isTrue();
    assertThat(table.toString())
        .contains("inputs 12 = delivered 3 + rejected 7 + quarantined 1 + dead-lettered 1");
  }

  @Test
  void scheduledDemo_eachContactEndsAsOneMemberAndTheOverlapIsWrittenTwice() throws Exception {
    DemoScenario scenario = DemoScenario.read(ROOT.resolve("events/demo-hubspot.yaml"));
    StringWriter progress = new StringWriter();

    List<Outcome> outcomes = run(scenario, progress);

    assertThat(outcomes).hasSize(scenario.contacts().size());
    assertEveryInputEndedAsExpected(outcomes);
    assertThat(outcomes)
        .filteredOn(outcome -> outcome.input().contains("overlap"))
        .extracting(Outcome::detail)
        .containsOnly("1 member, 2 upsert(s), all 200");
    assertThat(outcomes)
        .filteredOn(outcome -> outcome.place() == Outcome.Place.QUARANTINED)
        .extracting(Outcome::detail)
        .singleElement()
        .asString()
        .contains("email_address");
    // Two runs: 3 + 2 search pages; 9 contacts fetched, 8 with an email, 7 distinct members.
    assertThat(progress.toString())
        // REFRESHED on a first run; FRESH while the last run's token has half its life left.
        .containsPattern("token keeper, source\\.auth: (REFRESHED|FRESH)")
        .contains("5 search pages fetched; 9 member writes to 7 distinct members");

    StringWriter table = new StringWriter();
    assertThat(OutcomeTable.print(outcomes, new PrintWriter(table))).isTrue();
    assertThat(table.toString())
        .contains("inputs 8 = delivered 7 + rejected 0 + quarantined 1 + dead-lettered 0");
  }

  /** Runs a scenario from the events folder with a short visibility timeout. */
  private static List<Outcome> run(DemoScenario scenario, StringWriter progress) throws Exception {
    return new Demo(ROOT, new PrintWriter(progress))
        .run(
            scenario,
            ROOT.resolve("events"),
            Optional.empty(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(90));
  }

  private static void assertEveryInputEndedAsExpected(List<Outcome> outcomes) {
    assertThat(outcomes)
        .allSatisfy(
            outcome ->
                assertThat(outcome.asExpected())
                    .as("%s ended %s (%s)", outcome.input(), outcome.place(), outcome.detail())
                    .isTrue());
  }
}
