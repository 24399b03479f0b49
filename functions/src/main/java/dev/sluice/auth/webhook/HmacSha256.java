package dev.sluice.auth.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over byte parts, and the constant-time comparisons every scheme needs. Parts are fed
 * to the MAC as they are, so the body is never decoded to text and back.
 */
final class HmacSha256 {

  private static final String ALGORITHM = "HmacSHA256";

  private HmacSha256() {}

  /** The MAC of the parts concatenated, keyed with {@code key} (which must not be empty). */
  static byte[] mac(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      // Every Java runtime must provide HmacSHA256, so this only happens on a broken JVM.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** UTF-8 bytes of header text that is part of the signed content, such as a timestamp. */
  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether the candidate is the lowercase hex of the MAC. Senders write lowercase, so the
   * candidate is compared as sent rather than normalised.
   */
  static boolean matchesHex(byte[] mac, String candidate) {
    byte[] expected = utf8(HexFormat.of().formatHex(mac));
    return MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the candidate is the standard base64 of the MAC; text that is not base64 never is. */
  static boolean matchesBase64(byte[] mac, String candidate) {
    byte[] given;
    try {
      given = Base64.getDecoder().decode(candidate);
    } catch (IllegalArgumentException e) {
      return false;
    }

    return MessageDigest.isEqual(mac, given);
  }
}
