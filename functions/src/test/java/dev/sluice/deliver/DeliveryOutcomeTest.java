package dev.sluice.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.deliver.DeliveryOutcome.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryOutcomeTest {

  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

  @ParameterizedTest(name = "{0} on redelivery={1} -> {2}")
  @CsvSource({
    "200, false, DELIVERED",
    "201, false, DELIVERED",
    "204, true, DELIVERED",
    "409, true, DUPLICATE",
    "409, false, PERMANENT",
    "401, false, AUTH_FAILURE",
    "403, false, AUTH_FAILURE",
    "429, false, RETRY_LATER",
    "503, false, RETRY_LATER",
    "500, false, RETRY_LATER",
    "502, false, RETRY_LATER",
    "408, false, RETRY_LATER",
    "400, false, PERMANENT",
    "404, false, PERMANENT",
    "422, false, PERMANENT",
    "301, false, PERMANENT"
  })
  void ofStatus_classifiesEachAnswer(int status, boolean redelivery, Kind expected) {
    assertThat(DeliveryOutcome.ofStatus(status, redelivery, Optional.empty(), NOW).kind())
        .isEqualTo(expected);
  }

  @Test
  void ofStatus_whenTargetAnswers422_reasonNamesStatusWithHint() {
    DeliveryOutcome outcome = DeliveryOutcome.ofStatus(422, false, Optional.empty(), NOW);

    assertThat(outcome.reason()).startsWith("target answered 422 (").contains("schema");
  }

  @Test
  void ofStatus_whenTargetAnswers429WithRetryAfter_keepsTheWait() {
    DeliveryOutcome outcome = DeliveryOutcome.ofStatus(429, false, Optional.of("3600"), NOW);

    assertThat(outcome.retryAfter()).contains(Duration.ofHours(1));
    assertThat(outcome.reason()).isEqualTo("target answered 429 (Retry-After 3600 s)");
  }

  @Test
  void retryAfter_readsDelaySecondsAndHttpDates() {
    assertThat(DeliveryOutcome.retryAfter("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(DeliveryOutcome.retryAfter("Thu, 03 Dec 2026 10:00:30 GMT", NOW))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void retryAfter_whenDateIsPast_waitsNothing() {
    assertThat(DeliveryOutcome.retryAfter("Fri, 31 Dec 1999 23:59:59 GMT", NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void retryAfter_whenUnreadable_givesNone() {
    assertThat(DeliveryOutcome.retryAfter("soon", NOW)).isEmpty();
    assertThat(DeliveryOutcome.retryAfter("-5", NOW)).isEmpty();
  }
}
