package dev.sluice.auth.webhook;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Turns a stored signing secret into HMAC key bytes the way each scheme specifies. Rejection
 * reasons describe what is wrong with the secret without ever quoting it.
 */
final class SigningKeys {

  private static final String STANDARD_WEBHOOKS_PREFIX = "whsec_";

  private SigningKeys() {}

  /**
   * The secret's UTF-8 bytes (Stripe, GitHub, Shopify, Slack), or empty when there is no secret or
   * it cannot be encoded exactly: a lone surrogate would silently become '?', giving a key that
   * differs from the sender's.
   */
  static Optional<byte[]> utf8(String secret) {
    if (secret == null || secret.isEmpty()) {
      return Optional.empty();
    }

    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(secret));
      byte[] key = new byte[encoded.remaining()];
      encoded.get(key);
      return Optional.of(key);
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * The Standard Webhooks key: the base64 after {@code whsec_}. The prefix is optional, as in the
   * reference libraries. Empty when there is no secret or it is not base64.
   */
  static Optional<byte[]> standardWebhooks(String secret) {
    if (secret == null) {
      return Optional.empty();
    }

    String encoded =
        secret.startsWith(STANDARD_WEBHOOKS_PREFIX)
            ? secret.substring(STANDARD_WEBHOOKS_PREFIX.length())
            : secret;
    try {
      byte[] key = Base64.getDecoder().decode(encoded);
      return key.length == 0 ? Optional.empty() : Optional.of(key);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Why a secret gave no UTF-8 key. */
  static Verdict unusableUtf8(String secret) {
    if (secret == null || secret.isEmpty()) {
      return Verdict.rejected("no signing secret configured");
    }
    return Verdict.rejected("signing secret is not valid UTF-8 text");
  }

  /** Why a secret gave no Standard Webhooks key. */
  static Verdict unusableStandardWebhooks(String secret) {
    if (secret == null || secret.isEmpty()) {
      return Verdict.rejected("no signing secret configured");
    }
    return Verdict.rejected("signing secret is not whsec_ followed by base64");
  }
}
