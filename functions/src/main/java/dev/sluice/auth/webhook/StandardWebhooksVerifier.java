package dev.sluice.auth.webhook;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Standard Webhooks (also sent by Svix): {@code webhook-signature} is a space-separated list of
 * {@code v1,<base64>}, each an HMAC-SHA256 over {@code webhook-id.webhook-timestamp.body} keyed
 * with the base64-decoded part of a {@code whsec_...} secret.
 *
 * <p>Any one v1 matching is enough (keys are rotated by sending several); other versions are
 * skipped. See
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
public final class StandardWebhooksVerifier implements WebhookVerifier {

  static final String ID_HEADER = "webhook-id";
  static final String TIMESTAMP_HEADER = "webhook-timestamp";
  static final String SIGNATURE_HEADER = "webhook-signature";

  private static final String V1 = "v1,";

  @Override
  public Verdict verify(WebhookRequest request, String secret, Instant now, long toleranceSeconds) {
    Optional<String> id = request.header(ID_HEADER).map(String::strip);
    Optional<String> timestampText = request.header(TIMESTAMP_HEADER).map(String::strip);
    Optional<String> signatures = request.header(SIGNATURE_HEADER).map(String::strip);
    if (id.isEmpty()) {
      return Verdict.rejected("missing header " + ID_HEADER);
    }
    if (timestampText.isEmpty()) {
      return Verdict.rejected("missing header " + TIMESTAMP_HEADER);
    }
    if (signatures.isEmpty()) {
      return Verdict.rejected("missing header " + SIGNATURE_HEADER);
    }

    OptionalLong timestamp = TimestampWindow.parse(timestampText.get());
    if (timestamp.isEmpty()) {
      return Verdict.rejected("malformed header " + TIMESTAMP_HEADER + ": not epoch seconds");
    }

    Optional<byte[]> key = SigningKeys.standardWebhooks(secret);
    if (key.isEmpty()) {
      return SigningKeys.unusableStandardWebhooks(secret);
    }

    byte[] prefix = HmacSha256.utf8(id.get() + "." + timestampText.get() + ".");
    byte[] mac = HmacSha256.mac(key.get(), prefix, request.body());
    boolean anyV1 = false;
    boolean matched = false;
    for (String entry : signatures.get().split(" ")) {
      if (entry.startsWith(V1)) {
        anyV1 = true;
        // Every candidate is compared, so the time taken does not reveal which one matched.
        matched |= HmacSha256.matchesBase64(mac, entry.substring(V1.length()));
      }
    }
    if (!anyV1) {
      return Verdict.rejected("no v1 signature in header " + SIGNATURE_HEADER);
    }
    if (!matched) {
      return Verdict.rejected("no v1 signature matches");
    }

    // Checked after the signature so that a genuine but late request says so in the log.
    return TimestampWindow.problem(timestamp.getAsLong(), now, toleranceSeconds)
        .map(Verdict::rejected)
        .orElseGet(Verdict::ok);
  }
}
