package dev.sluice.auth.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The body is verified as the bytes received: never decoded, re-encoded or normalised. */
class RawBodyVerifierTest {

  private static final long T = 1_700_000_000L;
  private static final Instant NOW = Instant.ofEpochSecond(T);

  @Test
  void verify_whenBodyHasEmojiAndEllipsis_usesBytesAsIs() {
    String secret = "whsec_test_secret";
    byte[] body = "{\"text\": \"Shipped 🚀 on time… ✅\"}\n".getBytes(StandardCharsets.UTF_8);
    String header = "t=" + T + ",v1=" + TestSigner.stripeV1(secret, T, body);
    // Same JSON meaning, different bytes: what a parse and re-serialise would produce.
    byte[] reserialised =
        "{\"text\":\"Shipped \\ud83d\\ude80 on time\\u2026 \\u2705\"}"
            .getBytes(StandardCharsets.UTF_8);

    Verdict original = verify(new StripeVerifier(), header, body, secret);
    Verdict changed = verify(new StripeVerifier(), header, reserialised, secret);

    assertThat(original).isEqualTo(Verdict.ok());
    assertThat(changed.valid()).isFalse();
  }

  @Test
  void verify_whenBodyHasCrlfLineEndings_doesNotNormaliseThem() {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    String id = "msg_crlf";
    byte[] crlf = "{\r\n  \"a\": 1\r\n}\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] lf = "{\n  \"a\": 1\n}\n".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers =
        Map.of(
            "webhook-id",
            id,
            "webhook-timestamp",
            Long.toString(T),
            "webhook-signature",
            "v1," + TestSigner.standardV1(secret, id, T, crlf));
    StandardWebhooksVerifier verifier = new StandardWebhooksVerifier();

    Verdict asSent = verifier.verify(new WebhookRequest(headers, crlf), secret, NOW, 300);
    Verdict normalised = verifier.verify(new WebhookRequest(headers, lf), secret, NOW, 300);

    assertThat(asSent).isEqualTo(Verdict.ok());
    assertThat(normalised.valid()).isFalse();
  }

  private static Verdict verify(
      WebhookVerifier verifier, String stripeHeader, byte[] body, String secret) {
    WebhookRequest request = new WebhookRequest(Map.of("Stripe-Signature", stripeHeader), body);
    return verifier.verify(request, secret, NOW, 300);
  }
}
