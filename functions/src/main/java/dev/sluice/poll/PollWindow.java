package dev.sluice.poll;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time range one poll covers: from the scheduled time less the interval and the overlap, up to
 * the scheduled time. Derived from the event alone, so no state is stored between runs, and a run
 * that fires twice covers the same window twice (the target's upsert makes that harmless).
 *
 * @param from inclusive start
 * @param to inclusive end (HubSpot's BETWEEN includes both ends)
 */
public record PollWindow(Instant from, Instant to) {

  public PollWindow {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("a window's start must be before its end");
    }
  }

  /**
   * The window of a scheduled run.
   *
   * @param scheduledTime when the schedule fired, truncated to whole seconds
   * @param interval the time between two runs
   * @param overlap how far the window reaches back into the previous one
   */
  public static PollWindow scheduled(Instant scheduledTime, Duration interval, Duration overlap) {
    Instant to = scheduledTime.truncatedTo(ChronoUnit.SECONDS);
    return new PollWindow(to.minus(interval).minus(overlap), to);
  }

  @Override
  public String toString() {
    return from + "/" + to;
  }
}
