package dev.sluice.auth.webhook;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Slack's request signing: {@code X-Slack-Signature: v0=<hex>}, an HMAC-SHA256 keyed with the
 * signing secret as UTF-8 over {@code v0:<X-Slack-Request-Timestamp>:<raw body>}.
 *
 * <p>Form bodies are signed as the percent-encoded bytes received, so they must not be parsed
 * first. See https://api.slack.com/authentication/verifying-requests-from-slack
 */
public final class SlackVerifier implements WebhookVerifier {

  static final String SIGNATURE_HEADER = "X-Slack-Signature";
  static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";

  private static final String PREFIX = "v0=";

  @Override
  public Verdict verify(WebhookRequest request, String secret, Instant now, long toleranceSeconds) {
    Optional<String> signature = request.header(SIGNATURE_HEADER).map(String::strip);
    if (signature.isEmpty()) {
      return Verdict.rejected("missing header " + SIGNATURE_HEADER);
    }
    Optional<String> timestampText = request.header(TIMESTAMP_HEADER).map(String::strip);
    if (timestampText.isEmpty()) {
      return Verdict.rejected("missing header " + TIMESTAMP_HEADER);
    }

    if (!signature.get().startsWith(PREFIX)) {
      return Verdict.rejected("malformed header " + SIGNATURE_HEADER + ": no v0= prefix");
    }
    OptionalLong timestamp = TimestampWindow.parse(timestampText.get());
    if (timestamp.isEmpty()) {
      return Verdict.rejected("malformed header " + TIMESTAMP_HEADER + ": not epoch seconds");
    }

    Optional<byte[]> key = SigningKeys.utf8(secret);
    if (key.isEmpty()) {
      return SigningKeys.unusableUtf8(secret);
    }

    // The timestamp is signed as the header's own digits, not as a re-formatted number.
    byte[] prefix = HmacSha256.utf8("v0:" + timestampText.get() + ":");
    byte[] mac = HmacSha256.mac(key.get(), prefix, request.body());
    if (!HmacSha256.matchesHex(mac, signature.get().substring(PREFIX.length()))) {
      return Verdict.rejected("signature does not match");
    }

    // Checked after the signature so that a genuine but late request says so in the log.
    return TimestampWindow.problem(timestamp.getAsLong(), now, toleranceSeconds)
        .map(Verdict::rejected)
        .orElseGet(Verdict::ok);
  }
}
