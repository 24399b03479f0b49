package dev.sluice.auth.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeVerifierTest {

  private static final SignatureFixture VECTOR =
      SignatureFixture.load("stripe-signature-dotnet-fixture.json");
  private static final String HEADER = "Stripe-Signature";
  private static final String GOOD_V1 =
      "2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7";
  private static final String OTHER_V1 =
      "63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef";

  private final StripeVerifier verifier = new StripeVerifier();

  private Verdict verifyAt(WebhookRequest request, long now) {
    return verifier.verify(request, VECTOR.secret(), Instant.ofEpochSecond(now), 300);
  }

  @Test
  void verify_withPublishedVector_accepts() {
    // stripe-dotnet checks this vector with the clock 100 s after t.
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() + 100);

    assertThat(verdict).isEqualTo(Verdict.ok());
  }

  @Test
  void verify_whenBodyTampered_rejects() {
    WebhookRequest request = VECTOR.withBody(VECTOR.bodyPlus("this_changes_the_json"));

    Verdict verdict = verifyAt(request, VECTOR.timestamp());

    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).isEqualTo("no v1 signature matches");
  }

  @Test
  void verify_withWrongSecret_rejects() {
    Verdict verdict = verifier.verify(VECTOR.request(), "whsec_other", VECTOR.signedAt(), 300);

    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).isEqualTo("no v1 signature matches");
  }

  @Test
  void verify_whenHeaderMissing_rejects() {
    Verdict verdict = verifyAt(VECTOR.withHeader(HEADER, null), VECTOR.timestamp());

    assertThat(verdict).isEqualTo(Verdict.rejected("missing header Stripe-Signature"));
  }

  @Test
  void verify_withLowerCaseHeaderNames_accepts() {
    Verdict verdict = verifyAt(VECTOR.withLowerCaseHeaderNames(), VECTOR.timestamp());

    assertThat(verdict.valid()).isTrue();
  }

  @Test
  void verify_whenOneOfSeveralV1Matches_accepts() {
    String header =
        "t=%d,v1=%s,v1=%s,v0=%s".formatted(VECTOR.timestamp(), OTHER_V1, GOOD_V1, OTHER_V1);

    Verdict verdict = verifyAt(VECTOR.withHeader(HEADER, header), VECTOR.timestamp());

    assertThat(verdict.valid()).isTrue();
  }

  @Test
  void verify_whenOnlyV0Present_rejects() {
    // The legacy v0 scheme is never accepted, even when it is the only signature sent.
    String header = "t=%d,v0=%s".formatted(VECTOR.timestamp(), GOOD_V1);

    Verdict verdict = verifyAt(VECTOR.withHeader(HEADER, header), VECTOR.timestamp());

    assertThat(verdict).isEqualTo(Verdict.rejected("no v1 signature in header Stripe-Signature"));
  }

  @Test
  void verify_whenTimestampStale_rejects() {
    long now = VECTOR.timestamp() + 41 * 86400 + 5;

    Verdict verdict = verifyAt(VECTOR.request(), now);

    assertThat(verdict)
        .isEqualTo(
            Verdict.rejected("timestamp 1533204620 is 41 days in the past, tolerance 300 s"));
  }

  @Test
  void verify_whenTimestampJustPastTolerance_rejects() {
    // stripe-dotnet's RejectOutdatedTimestamp: clock t + 400 with tolerance 300.
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() + 400);

    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).contains("in the past");
  }

  @Test
  void verify_whenTimestampInFuture_rejects() {
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() - 301);

    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason())
        .startsWith("timestamp 1533204620 is in the future beyond tolerance");
  }

  @ParameterizedTest
  @ValueSource(longs = {-300, -1, 0, 1, 300})
  void verify_whenTimestampWithinTolerance_accepts(long offset) {
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() + offset);

    assertThat(verdict.valid()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"t=,v1=abc", "t,v1=,v0=", "t", ",,", "", "t=not_a_number,v1=x"})
  void verify_whenHeaderMalformed_rejects(String header) {
    Verdict verdict = verifyAt(VECTOR.withHeader(HEADER, header), VECTOR.timestamp());

    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).startsWith("malformed header Stripe-Signature");
  }

  @Test
  void verify_whenTimestampChanged_rejects() {
    // The timestamp is part of the signed content, so moving it breaks the signature.
    String header = "t=%d,v1=%s".formatted(VECTOR.timestamp() + 1, GOOD_V1);

    Verdict verdict = verifyAt(VECTOR.withHeader(HEADER, header), VECTOR.timestamp());

    assertThat(verdict.valid()).isFalse();
  }

  @Test
  void verify_withSecretContainingLoneSurrogate_rejects() {
    Verdict verdict =
        verifier.verify(VECTOR.request(), VECTOR.secret() + "\uD802", VECTOR.signedAt(), 300);

    assertThat(verdict).isEqualTo(Verdict.rejected("signing secret is not valid UTF-8 text"));
  }

  @Test
  void verify_whenRejected_neverQuotesSecretOrExpectedSignature() {
    WebhookRequest request = VECTOR.withBody(VECTOR.bodyPlus("x"));
    String expectedForTamperedBody =
        TestSigner.stripeV1(VECTOR.secret(), VECTOR.timestamp(), VECTOR.bodyPlus("x"));

    Verdict verdict = verifyAt(request, VECTOR.timestamp() + 100_000);

    assertThat(verdict.reason())
        .doesNotContain(VECTOR.secret())
        .doesNotContain(expectedForTamperedBody);
  }
}
