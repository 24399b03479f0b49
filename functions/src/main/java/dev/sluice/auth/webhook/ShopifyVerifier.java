package dev.sluice.auth.webhook;

import java.time.Instant;
import java.util.Optional;

/**
 * Shopify's {@code X-Shopify-Hmac-Sha256}: the base64 (not hex) HMAC-SHA256 of the raw body keyed
 * with the app's client secret as UTF-8.
 *
 * <p>Only the body is signed: the shop-domain and topic headers are not authenticated, and there is
 * no signed timestamp, so the tolerance is not used and replays are caught by de-duplicating on
 * {@code X-Shopify-Webhook-Id}. See https://shopify.dev/docs/apps/build/webhooks/subscribe/https
 */
public final class ShopifyVerifier implements WebhookVerifier {

  static final String SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256";

  @Override
  public Verdict verify(WebhookRequest request, String secret, Instant now, long toleranceSeconds) {
    // Stripped because some senders (Ruby's Base64.encode64) end the value with a newline.
    Optional<String> header = request.header(SIGNATURE_HEADER).map(String::strip);
    if (header.isEmpty()) {
      return Verdict.rejected("missing header " + SIGNATURE_HEADER);
    }
    if (header.get().isEmpty()) {
      return Verdict.rejected("malformed header " + SIGNATURE_HEADER + ": empty");
    }

    Optional<byte[]> key = SigningKeys.utf8(secret);
    if (key.isEmpty()) {
      return SigningKeys.unusableUtf8(secret);
    }

    byte[] mac = HmacSha256.mac(key.get(), request.body());
    if (!HmacSha256.matchesBase64(mac, header.get())) {
      return Verdict.rejected("signature does not match");
    }
    return Verdict.ok();
  }
}
