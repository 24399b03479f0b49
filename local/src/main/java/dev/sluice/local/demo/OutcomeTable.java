package dev.sluice.local.demo;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints demo outcomes grouped by where they ended, and the sum that shows nothing was lost: every
 * input is in exactly one group.
 */
public final class OutcomeTable {

  private static final int NAME_WIDTH = 44;

  private OutcomeTable() {}

  /**
   * Prints the table.
   *
   * @return true when every input ended where it should
   */
  public static boolean print(List<Outcome> outcomes, PrintWriter out) {
    out.println();
    for (Outcome.Place place : Outcome.Place.values()) {
      List<Outcome> group = outcomes.stream().filter(o -> o.place() == place).toList();
      if (group.isEmpty()) {
        continue;
      }

      out.printf("%s (%d)%n", heading(place), group.size());
      for (Outcome outcome : group) {
        String mark = outcome.asExpected() ? "ok  " : "FAIL";
        String expected =
            outcome.asExpected() ? "" : "  [expected " + outcome.expected().label() + "]";
        out.printf(
            "  %s %-" + NAME_WIDTH + "s %s%s%n", mark, outcome.input(), outcome.detail(), expected);
      }
      out.println();
    }

    long failed = outcomes.stream().filter(o -> !o.asExpected()).count();
    out.printf(
        "inputs %d = delivered %d + rejected %d + quarantined %d + dead-lettered %d"
            + " + in flight %d%n",
        outcomes.size(),
        count(outcomes, Outcome.Place.DELIVERED),
        count(outcomes, Outcome.Place.REJECTED),
        count(outcomes, Outcome.Place.QUARANTINED),
        count(outcomes, Outcome.Place.DEAD_LETTERED),
        count(outcomes, Outcome.Place.IN_FLIGHT));
    if (failed == 0) {
      out.printf("All %d inputs ended where expected.%n", outcomes.size());
    } else {
      out.printf("%d of %d inputs did not end where expected.%n", failed, outcomes.size());
    }
    out.flush();
    return failed == 0;
  }

  private static long count(List<Outcome> outcomes, Outcome.Place place) {
    return outcomes.stream().filter(o -> o.place() == place).count();
  }

  private static String heading(Outcome.Place place) {
    return switch (place) {
      case DELIVERED -> "DELIVERED to the target";
      case REJECTED -> "REJECTED at ingress (HTTP status)";
      case QUARANTINED -> "QUARANTINED (failed the target checks; reason)";
      case DEAD_LETTERED -> "DEAD-LETTERED (could not be delivered; reason)";
      case IN_FLIGHT -> "STILL IN FLIGHT (did not reach an end in time)";
    };
  }
}
