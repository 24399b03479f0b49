package dev.sluice.auth.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardWebhooksVerifierTest {

  private static final SignatureFixture VECTOR =
      SignatureFixture.load("standard-webhooks-v1-hmac.json");
  private static final String SIGNATURE = "webhook-signature";
  private static final String VALID = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final String OTHER = "Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

  private final StandardWebhooksVerifier verifier = new StandardWebhooksVerifier();

  private Verdict verifyAt(WebhookRequest request, long now) {
    return verifier.verify(request, VECTOR.secret(), Instant.ofEpochSecond(now), 300);
  }

  @Test
  void verify_withPublishedVector_accepts() {
    assertThat(verifyAt(VECTOR.request(), VECTOR.timestamp())).isEqualTo(Verdict.ok());
  }

  @Test
  void verify_whenBodyTampered_rejects() {
    WebhookRequest request = VECTOR.withBody(VECTOR.bodyPlus(" "));

    Verdict verdict = verifyAt(request, VECTOR.timestamp());

    assertThat(verdict).isEqualTo(Verdict.rejected("no v1 signature matches"));
  }

  @Test
  void verify_withWrongSecret_rejects() {
    Verdict verdict = verifier.verify(VECTOR.request(), "whsec_" + OTHER, VECTOR.signedAt(), 300);

    assertThat(verdict.valid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
  void verify_whenHeaderMissing_rejects(String header) {
    Verdict verdict = verifyAt(VECTOR.withHeader(header, null), VECTOR.timestamp());

    assertThat(verdict).isEqualTo(Verdict.rejected("missing header " + header));
  }

  @Test
  void verify_withLowerCaseHeaderNames_accepts() {
    Verdict verdict = verifyAt(VECTOR.withLowerCaseHeaderNames(), VECTOR.timestamp());

    assertThat(verdict.valid()).isTrue();
  }

  @Test
  void verify_withCapitalisedHeaderNames_accepts() {
    // The published headers are already lowercase; senders may capitalise them.
    Map<String, String> capitalised = new LinkedHashMap<>();
    VECTOR
        .headers()
        .forEach((name, value) -> capitalised.put(name.toUpperCase(Locale.ROOT), value));

    Verdict verdict = verifyAt(new WebhookRequest(capitalised, VECTOR.body()), VECTOR.timestamp());

    assertThat(verdict.valid()).isTrue();
  }

  @Test
  void verify_whenOneOfSeveralSignaturesMatches_accepts() {
    // The list from the reference libraries' tests, with an unsupported v2 entry among them.
    String header = "v1,%s v2,%s %s v1,%s".formatted(OTHER, OTHER, VALID, OTHER);

    Verdict verdict = verifyAt(VECTOR.withHeader(SIGNATURE, header), VECTOR.timestamp());

    assertThat(verdict.valid()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1,", "v1,g0hM9SsE", "v1,dawfeoifkpqwoekfpqoekf", "v1," + OTHER})
  void verify_whenSignatureWrongOrPartial_rejects(String header) {
    Verdict verdict = verifyAt(VECTOR.withHeader(SIGNATURE, header), VECTOR.timestamp());

    assertThat(verdict).isEqualTo(Verdict.rejected("no v1 signature matches"));
  }

  @Test
  void verify_whenNoV1Signature_rejects() {
    String header = "v2," + VALID.substring(3);

    Verdict verdict = verifyAt(VECTOR.withHeader(SIGNATURE, header), VECTOR.timestamp());

    assertThat(verdict).isEqualTo(Verdict.rejected("no v1 signature in header webhook-signature"));
  }

  @Test
  void verify_whenTimestampStale_rejects() {
    // The reference libraries refuse now - 5 min - 1 s.
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() + 301);

    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).contains("in the past");
  }

  @Test
  void verify_whenTimestampInFuture_rejects() {
    // The reference libraries refuse now + 5 min + 1 s.
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() - 301);

    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).contains("in the future beyond tolerance");
  }

  @ParameterizedTest
  @ValueSource(longs = {-300, 0, 300})
  void verify_whenTimestampWithinTolerance_accepts(long offset) {
    Verdict verdict = verifyAt(VECTOR.request(), VECTOR.timestamp() + offset);

    assertThat(verdict.valid()).isTrue();
  }

  @Test
  void verify_whenTimestampNotANumber_rejects() {
    WebhookRequest request = VECTOR.withHeader("webhook-timestamp", "hello");

    Verdict verdict = verifyAt(request, VECTOR.timestamp());

    assertThat(verdict.reason()).startsWith("malformed header webhook-timestamp");
  }

  @Test
  void verify_withSecretWithoutPrefix_accepts() {
    String bare = VECTOR.secret().substring("whsec_".length());

    Verdict verdict = verifier.verify(VECTOR.request(), bare, VECTOR.signedAt(), 300);

    assertThat(verdict.valid()).isTrue();
  }

  @Test
  void verify_withSecretNotBase64_rejects() {
    Verdict verdict =
        verifier.verify(VECTOR.request(), "whsec_not base64!", VECTOR.signedAt(), 300);

    assertThat(verdict)
        .isEqualTo(Verdict.rejected("signing secret is not whsec_ followed by base64"));
  }
}
