package dev.sluice.auth.webhook;

import java.time.Instant;
import java.util.Optional;

/**
 * GitHub's {@code X-Hub-Signature-256: sha256=<hex>}, an HMAC-SHA256 of the raw body keyed with the
 * secret's UTF-8 bytes.
 *
 * <p>GitHub signs no timestamp, so the tolerance is not used; replays are caught by de-duplicating
 * on {@code X-GitHub-Delivery}. The legacy SHA-1 header {@code X-Hub-Signature} is never accepted
 * in its place. See
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
public final class GitHubVerifier implements WebhookVerifier {

  static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

  private static final String PREFIX = "sha256=";

  @Override
  public Verdict verify(WebhookRequest request, String secret, Instant now, long toleranceSeconds) {
    Optional<String> header = request.header(SIGNATURE_HEADER).map(String::strip);
    if (header.isEmpty()) {
      return Verdict.rejected("missing header " + SIGNATURE_HEADER);
    }
    if (!header.get().startsWith(PREFIX)) {
      return Verdict.rejected("malformed header " + SIGNATURE_HEADER + ": no sha256= prefix");
    }

    Optional<byte[]> key = SigningKeys.utf8(secret);
    if (key.isEmpty()) {
      return SigningKeys.unusableUtf8(secret);
    }

    byte[] mac = HmacSha256.mac(key.get(), request.body());
    String candidate = header.get().substring(PREFIX.length());
    if (!HmacSha256.matchesHex(mac, candidate)) {
      return Verdict.rejected("signature does not match");
    }
    return Verdict.ok();
  }
}
