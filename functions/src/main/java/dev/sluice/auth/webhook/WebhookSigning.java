package dev.sluice.auth.webhook;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs a body the way each SaaS does, giving the headers it would send. The local runner uses it
 * to send demo webhooks, and tests use it to produce requests the verifiers must accept.
 */
public final class WebhookSigning {

  private WebhookSigning() {}

  /**
   * The signature headers for {@code body}.
   *
   * @param secret the signing secret as stored (each scheme derives its key as it specifies)
   * @param timestamp the time to sign with (schemes without a timestamp ignore it)
   * @param deliveryId the delivery id header value for schemes that have one
   * @throws IllegalArgumentException when the secret is unusable for the scheme
   */
  public static Map<String, String> headers(
      SignatureScheme scheme, String secret, Instant timestamp, byte[] body, String deliveryId) {
    String seconds = Long.toString(timestamp.getEpochSecond());
    Map<String, String> headers = new LinkedHashMap<>();

    switch (scheme) {
      case STRIPE ->
          headers.put(
              "Stripe-Signature",
              "t=" + seconds + ",v1=" + hex(utf8Key(secret), seconds + ".", body));
      case GITHUB -> {
        headers.put("X-Hub-Signature-256", "sha256=" + hex(utf8Key(secret), "", body));
        headers.put("X-GitHub-Delivery", deliveryId);
      }
      case SHOPIFY -> {
        byte[] mac = HmacSha256.mac(utf8Key(secret), body);
        headers.put("X-Shopify-Hmac-Sha256", Base64.getEncoder().encodeToString(mac));
        headers.put("X-Shopify-Webhook-Id", deliveryId);
      }
      case SLACK -> {
        headers.put("X-Slack-Request-Timestamp", seconds);
        headers.put("X-Slack-Signature", "v0=" + hex(utf8Key(secret), "v0:" + seconds + ":", body));
      }
      case STANDARD_WEBHOOKS -> {
        byte[] key =
            SigningKeys.standardWebhooks(secret)
                .orElseThrow(() -> new IllegalArgumentException("unusable signing secret"));
        byte[] prefix = HmacSha256.utf8(deliveryId + "." + seconds + ".");
        headers.put("webhook-id", deliveryId);
        headers.put("webhook-timestamp", seconds);
        headers.put(
            "webhook-signature",
            "v1," + Base64.getEncoder().encodeToString(HmacSha256.mac(key, prefix, body)));
      }
    }
    return headers;
  }

  private static byte[] utf8Key(String secret) {
    return SigningKeys.utf8(secret)
        .orElseThrow(() -> new IllegalArgumentException("unusable signing secret"));
  }

  private static String hex(byte[] key, String prefix, byte[] body) {
    return HexFormat.of().formatHex(HmacSha256.mac(key, HmacSha256.utf8(prefix), body));
  }
}
