package dev.sluice.auth.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackVerifierTest {

  private static final SignatureFixture VECTOR =
      SignatureFixture.load("slack-v0-request-signing.json");
  private static final String SIGNATURE = "X-Slack-Signature";
  private static final String TIMESTAMP = "X-Slack-Request-Timestamp";

  private final SlackVerifier verifier = new SlackVerifier();

  private Verdict verifyAt(WebhookRequest request, long now) {
    return verifier.verify(request, VECTOR.secret(), Instant.ofEpochSecond(now), 300);
  }

  @Test
  void verify_withPublishedVector_accepts() {
    assertThat(verifyAt(VECTOR.request(), VECTOR.timestamp())).isEqualTo(Verdict.ok());
  }

  @Test
  void verify_whenBodyTampered_rejects() {
    // python-slack-sdk's test_is_valid_request_invalid_body.
    WebhookRequest request = VECTOR.withBody(VECTOR.bodyPlus("------"));

    Verdict verdict = verifyAt(request, VECTOR.timestamp());

    assertThat(verdict).isEqualTo(Verdict.rejected("signature does not match"));
  }

  @Test
  void verify_withWrongSecret_rejects() {
    Verdict verdict =
        verifier.verify(
            VECTOR.request(), "8f742231b10e8888abcd99yyyzzz85a6", VECTOR.signedAt(), 300);

    assertThat(verdict.valid()).isFalse();
  }

  @Test
  void verify_whenSignatureHeaderMissing_rejects() {
    Verdict verdict = verifyAt(VECTOR.withHeader(SIGNATURE, null), VECTOR.timestamp());

    assertThat(verdict).isEqualTo(Verdict.rejected("missing header X-Slack-Signature"));
  }

  @Test
  void verify_whenTimestampHeaderMissing_rejects() {
    Verdict verdict = verifyAt(VECTOR.withHeader(TIMESTAMP, null), VECTOR.timestamp());

    assertThat(verdict).isEqualTo(Verdict.rejected("missing header X-Slack-Request-Timestamp"));
  }

  @Test
  void verify_withLowerCaseHeaderNames_accepts() {
    Verdict verdict = verifyAt(VECTOR.withLowerCaseHeaderNames(), VECTOR.timestamp());

    assertThat(verdict.valid()).isTrue();
  }

  @Test
  void verify_whenTimestampHeaderChanged_rejects() {
    // The timestamp is signed, so a replay cannot simply refresh it.
    WebhookRequest request = VECTOR.withHeader(TIMESTAMP, "1531420700");

    Verdict verdict = verifyAt(request, 1531420700);

    assertThat(verdict).isEqualTo(Verdict.rejected("signature does not match"));
  }

  @Test
  void verify_whenTimestampStale_rejects() {
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() + 301);

    assertThat(verdict)
        .isEqualTo(
            Verdict.rejected("timestamp 1531420618 is 301 seconds in the past, tolerance 300 s"));
  }

  @Test
  void verify_whenTimestampInFuture_rejects() {
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() - 3600);

    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason())
        .isEqualTo(
            "timestamp 1531420618 is in the future beyond tolerance"
                + " (60 minutes ahead, tolerance 300 s)");
  }

  @ParameterizedTest
  @ValueSource(longs = {-300, 0, 300})
  void verify_whenTimestampWithinTolerance_accepts(long offset) {
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() + offset);

    assertThat(verdict.valid()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "-1531420618", "+1531420618", "1531420618.5"})
  void verify_whenTimestampMalformed_rejects(String timestamp) {
    Verdict verdict = verifyAt(VECTOR.withHeader(TIMESTAMP, timestamp), VECTOR.timestamp());

    assertThat(verdict.reason()).startsWith("malformed header X-Slack-Request-Timestamp");
  }

  @Test
  void verify_withoutV0Prefix_rejects() {
    String bare = VECTOR.headers().get(SIGNATURE).substring("v0=".length());

    Verdict verdict = verifyAt(VECTOR.withHeader(SIGNATURE, bare), VECTOR.timestamp());

    assertThat(verdict.reason()).startsWith("malformed header X-Slack-Signature");
  }
}
