package dev.sluice.auth.webhook;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The check that a signed Unix timestamp is within the tolerance of the receive time, in both
 * directions: a timestamp far in the future is as suspicious as a stale one, since it would let a
 * captured request be replayed for longer.
 */
final class TimestampWindow {

  // Digits only: Long.parseLong would also take "+5" or "-5", which no sender writes.
  private static final Pattern EPOCH_SECONDS = Pattern.compile("[0-9]{1,12}");

  private TimestampWindow() {}

  /** The timestamp as epoch seconds, or empty when it is not a plain decimal number. */
  static OptionalLong parse(String value) {
    if (!EPOCH_SECONDS.matcher(value).matches()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(value));
  }

  /** Why the timestamp is outside the window, or empty when it is inside. */
  static Optional<String> problem(long timestamp, Instant now, long toleranceSeconds) {
    if (toleranceSeconds < 0) {
      throw new IllegalArgumentException("tolerance must not be negative: " + toleranceSeconds);
    }

    long age = now.getEpochSecond() - timestamp;
    if (age > toleranceSeconds) {
      return Optional.of(
          "timestamp %d is %s in the past, tolerance %d s"
              .formatted(timestamp, describe(age, toleranceSeconds), toleranceSeconds));
    }
    if (-age > toleranceSeconds) {
      return Optional.of(
          "timestamp %d is in the future beyond tolerance (%s ahead, tolerance %d s)"
              .formatted(timestamp, describe(-age, toleranceSeconds), toleranceSeconds));
    }
    return Optional.empty();
  }

  /**
   * A duration in the largest unit that still reads as a whole number of at least two. Exact
   * seconds are kept near the tolerance, where rounding down ("5 minutes" for 301 s against 300)
   * would make the rejection look wrong.
   */
  private static String describe(long seconds, long toleranceSeconds) {
    if (seconds == 1) {
      return "1 second";
    }
    if (seconds < 120 || seconds < 2 * toleranceSeconds) {
      return seconds + " seconds";
    }
    if (seconds < 2 * 3600) {
      return seconds / 60 + " minutes";
    }
    if (seconds < 2 * 86400) {
      return seconds / 3600 + " hours";
    }
    return seconds / 86400 + " days";
  }
}
