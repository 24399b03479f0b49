package dev.sluice.auth.credentials;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * A private key kept in a secret, signing the JWT assertions of the RFC 7523 flows: the JWT bearer
 * grant and {@code private_key_jwt} client authentication (OpenID Connect Core section 9).
 *
 * <p>The key is a PEM PKCS#8 {@code PRIVATE KEY}, as providers hand out service account keys; RSA
 * keys sign with RS256, EC P-256 keys with ES256.
 */
public final class SigningKey {

  /** How long an assertion is valid: short, as RFC 7523 section 3 recommends. */
  static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);

  private final JWSSigner signer;
  private final JWSAlgorithm algorithm;
  private final String keyId;

  private SigningKey(JWSSigner signer, JWSAlgorithm algorithm, String keyId) {
    this.signer = signer;
    this.algorithm = algorithm;
    this.keyId = keyId;
  }

  /**
   * Reads a PEM PKCS#8 private key.
   *
   * @param secretId the secret it came from, for messages (the key itself is never quoted)
   * @param keyId the {@code kid} to put in the header, or null
   * @throws CredentialsException (a rejection) when the text is not such a key
   */
  public static SigningKey fromPem(String secretId, String pem, String keyId) {
    byte[] der;
    try {
      String base64 =
          pem.replace("-----BEGIN PRIVATE KEY-----", "")
              .replace("-----END PRIVATE KEY-----", "")
              .replaceAll("\\s", "");
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw unreadable(secretId);
    }

    for (String type : new String[] {"RSA", "EC"}) {
      try {
        PrivateKey key = KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
        if (key instanceof RSAPrivateKey rsa) {
          return new SigningKey(new RSASSASigner(rsa), JWSAlgorithm.RS256, keyId);
        }
        if (key instanceof ECPrivateKey ec) {
          return new SigningKey(new ECDSASigner(ec), JWSAlgorithm.ES256, keyId);
        }
      } catch (GeneralSecurityException | JOSEException e) {
        // Not a key of this type: try the next.
      }
    }
    throw unreadable(secretId);
  }

  /**
   * A signed assertion for a token endpoint (RFC 7523 section 3): issuer, subject, the endpoint as
   * audience, a fresh {@code jti}, issued now and valid for five minutes.
   */
  public String assertion(String issuer, String subject, URI audience, Instant now) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject)
            .audience(audience.toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);

    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new CredentialsException("could not sign a JWT assertion with " + algorithm, true, e);
    }
    return jwt.serialize();
  }

  private static CredentialsException unreadable(String secretId) {
    return new CredentialsException(
        "secret '"
            + secretId
            + "': private_key must be a PEM PKCS#8 RSA or EC P-256 key"
            + " (-----BEGIN PRIVATE KEY-----)",
        true);
  }
}
