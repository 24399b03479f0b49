package dev.sluice.deliver;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What one delivery attempt means for its record. Reasons name status codes and causes, never
 * response bodies, which may echo the record's values.
 *
 * @param kind the decision the handler takes
 * @param reason a short, value-free explanation for logs and the dead-letter reason attribute
 * @param retryAfter how long the target asked us to wait (429/503 {@code Retry-After}), if it did
 */
record DeliveryOutcome(Kind kind, String reason, Optional<Duration> retryAfter) {

  /** The decisions a delivery attempt leads to. */
  enum Kind {
    /** The target accepted the record. */
    DELIVERED,
    /** The target had already accepted the record in an earlier attempt; counts as delivered. */
    DUPLICATE,
    /** A passing problem (rate limit, outage, timeout): try again later. */
    RETRY_LATER,
    /** The target refused our credentials even after they were refreshed. */
    AUTH_FAILURE,
    /** The target will never accept this record as it is: dead-letter at once. */
    PERMANENT
  }

  static DeliveryOutcome of(Kind kind, String reason) {
    return new DeliveryOutcome(kind, reason, Optional.empty());
  }

  /**
   * Classifies a target's answer.
   *
   * <p>A 409 to a redelivered record that carried an idempotency key means an earlier attempt got
   * through but its answer was lost (a timeout, say): the target reports the key as already used.
   * That is the record delivered, so it counts as success. A 409 on a first attempt, or without a
   * key, is a real conflict and permanent.
   *
   * @param status the HTTP status code
   * @param idempotentRedelivery whether SQS delivered this record before and it carries a key
   * @param retryAfterHeader the {@code Retry-After} header, if any
   * @param now the time an HTTP-date in {@code Retry-After} is measured from
   */
  static DeliveryOutcome ofStatus(
      int status, boolean idempotentRedelivery, Optional<String> retryAfterHeader, Instant now) {
    String answered = "target answered " + status;
    if (status >= 200 && status < 300) {
      return of(Kind.DELIVERED, answered);
    }
    if (status == 409 && idempotentRedelivery) {
      return of(Kind.DUPLICATE, answered + " to a redelivery: the idempotency key was used");
    }
    if (status == 401 || status == 403) {
      return of(Kind.AUTH_FAILURE, answered);
    }
    if (status == 429 || status == 503) {
      Optional<Duration> wait = retryAfterHeader.flatMap(value -> retryAfter(value, now));
      String hint = wait.map(d -> " (Retry-After " + d.toSeconds() + " s)").orElse("");
      return new DeliveryOutcome(Kind.RETRY_LATER, answered + hint, wait);
    }
    if (status == 408 || status >= 500) {
      return of(Kind.RETRY_LATER, answered);
    }
    return of(Kind.PERMANENT, answered + " (" + hint(status) + ")");
  }

  /**
   * A {@code Retry-After} value as a wait from {@code now}: delay-seconds or an HTTP-date (RFC 9110
   * section 10.2.3). A date in the past means no wait; an unreadable value means none given.
   */
  static Optional<Duration> retryAfter(String value, Instant now) {
    String trimmed = value.strip();
    if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    try {
      Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String hint(int status) {
    return switch (status) {
      case 400, 422 -> "the target refused the record: check mapping and schema against its API";
      case 404, 410 -> "check target.url";
      case 405 -> "check target.method";
      case 409 -> "the target reports a conflict with existing data";
      case 413 -> "the record is larger than the target accepts";
      case 415 -> "the target does not accept application/json here";
      default ->
          status >= 300 && status < 400
              ? "the target redirects: set target.url to the final address"
              : "retrying cannot change the answer";
    };
  }
}
