package dev.sluice.local.demo;

import java.util.Locale;

/**
 * Where one demo input ended.
 *
 * @param input the input's name
 * @param place its final place
 * @param detail the HTTP status, the reason or the number of deliveries
 * @param expected where it should have ended
 * @param asExpected whether it ended there, with the expected status and exactly one delivery
 * @param correlationId the id ingress gave the request, whose log lines carry the same id; null for
 *     records a scheduled poll fetched, which have no request of their own
 */
public record Outcome(
    String input,
    Place place,
    String detail,
    Place expected,
    boolean asExpected,
    String correlationId) {

  /** The final places an input can reach, and the one state that is not final. */
  public enum Place {
    DELIVERED,
    REJECTED,
    QUARANTINED,
    DEAD_LETTERED,
    IN_FLIGHT;

    static Place fromName(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The name as printed in the table. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
