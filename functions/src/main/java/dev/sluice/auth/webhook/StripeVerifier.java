package dev.sluice.auth.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stripe's {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...][,v0=<hex>]}: each v1 is the
 * HMAC-SHA256 of {@code t + "." + raw body}, keyed with the whole endpoint secret ({@code
 * whsec_...}) as UTF-8 text, not decoded.
 *
 * <p>Several v1 values appear while a secret is being rolled, so any one matching is enough. The
 * legacy v0 scheme is ignored. Unlike Stripe's own libraries, a timestamp too far in the future is
 * refused as well as a stale one. See https://docs.stripe.com/webhooks#verify-manually
 */
public final class StripeVerifier implements WebhookVerifier {

  static final String SIGNATURE_HEADER = "Stripe-Signature";

  @Override
  public Verdict verify(WebhookRequest request, String secret, Instant now, long toleranceSeconds) {
    Optional<String> header = request.header(SIGNATURE_HEADER);
    if (header.isEmpty()) {
      return Verdict.rejected("missing header " + SIGNATURE_HEADER);
    }

    String timestampText = null;
    List<String> candidates = new ArrayList<>();
    for (String item : header.get().split(",", -1)) {
      int equals = item.indexOf('=');
      if (equals <= 0) {
        return malformed("expected key=value pairs");
      }
      String name = item.substring(0, equals).strip();
      String value = item.substring(equals + 1).strip();
      if (name.equals("t")) {
        if (timestampText != null) {
          return malformed("more than one t");
        }
        timestampText = value;
      } else if (name.equals("v1")) {
        candidates.add(value);
      }
    }
    if (timestampText == null) {
      return malformed("no t");
    }
    OptionalLong timestamp = TimestampWindow.parse(timestampText);
    if (timestamp.isEmpty()) {
      return malformed("t is not epoch seconds");
    }
    if (candidates.isEmpty()) {
      return Verdict.rejected("no v1 signature in header " + SIGNATURE_HEADER);
    }

    Optional<byte[]> key = SigningKeys.utf8(secret);
    if (key.isEmpty()) {
      return SigningKeys.unusableUtf8(secret);
    }

    byte[] mac = HmacSha256.mac(key.get(), HmacSha256.utf8(timestampText + "."), request.body());
    // Every candidate is compared, so the time taken does not reveal which one matched.
    boolean matched = false;
    for (String candidate : candidates) {
      matched |= HmacSha256.matchesHex(mac, candidate);
    }
    if (!matched) {
      return Verdict.rejected("no v1 signature matches");
    }

    // Checked after the signature so that a genuine but late request says so in the log.
    return TimestampWindow.problem(timestamp.getAsLong(), now, toleranceSeconds)
        .map(Verdict::rejected)
        .orElseGet(Verdict::ok);
  }

  private static Verdict malformed(String detail) {
    return Verdict.rejected("malformed header " + SIGNATURE_HEADER + ": " + detail);
  }
}
