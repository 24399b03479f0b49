package dev.sluice.auth.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs test requests the way the senders do, written apart from the code under test. */
final class TestSigner {

  private TestSigner() {}

  static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stripe's v1: hex HMAC of {@code t.body} keyed with the secret text. */
  static String stripeV1(String secret, long timestamp, byte[] body) {
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), prefix, body));
  }

  /** Standard Webhooks' v1: base64 HMAC of {@code id.t.body} keyed with the decoded secret. */
  static String standardV1(String secret, String id, long timestamp, byte[] body) {
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(hmac(key, prefix, body));
  }
}
