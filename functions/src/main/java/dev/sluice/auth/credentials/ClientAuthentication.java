package dev.sluice.auth.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How a client proves who it is to a token endpoint, chosen by what its secret holds:
 *
 * <ul>
 *   <li>{@code client_secret}: {@code client_secret_basic} (RFC 6749 section 2.3.1), or {@code
 *       client_secret_post} when the secret says {@code "token_endpoint_auth_method":
 *       "client_secret_post"} (HubSpot asks for the form fields);
 *   <li>{@code private_key}: {@code private_key_jwt} (OpenID Connect Core section 9, RFC 7523
 *       section 2.2), a signed assertion instead of a shared secret; {@code key_id} names the key.
 * </ul>
 */
public abstract sealed class ClientAuthentication {

  static final String CLIENT_ASSERTION_TYPE =
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private static final String FIELDS =
      "\"client_id\" and either \"client_secret\" or \"private_key\"";

  /** No client authentication (the JWT bearer grant's assertion authenticates the request). */
  public static ClientAuthentication none() {
    return new None();
  }

  /**
   * The client authentication a secret describes.
   *
   * @throws CredentialsException (a rejection) naming the secret and the fields it lacks
   */
  public static ClientAuthentication fromSecret(String secretId, JsonNode secret) {
    String clientId = SecretJson.text(secretId, secret, "client_id", FIELDS);

    if (secret.hasNonNull("private_key")) {
      String pem = SecretJson.text(secretId, secret, "private_key", FIELDS);
      String keyId = secret.hasNonNull("key_id") ? secret.get("key_id").asText() : null;
      return new PrivateKeyJwt(clientId, SigningKey.fromPem(secretId, pem, keyId));
    }

    String clientSecret = SecretJson.text(secretId, secret, "client_secret", FIELDS);
    JsonNode method = secret.get("token_endpoint_auth_method");
    boolean post = method != null && "client_secret_post".equals(method.asText());
    return post ? new SecretPost(clientId, clientSecret) : new SecretBasic(clientId, clientSecret);
  }

  /** Adds the form fields this method sends (client id, secret or assertion). */
  abstract void addTo(Map<String, String> form, URI tokenUrl, Instant now);

  /** The {@code Authorization} header this method sends, if any. */
  Optional<String> authorizationHeader() {
    return Optional.empty();
  }

  private static final class None extends ClientAuthentication {
    @Override
    void addTo(Map<String, String> form, URI tokenUrl, Instant now) {
      // Nothing to add.
    }
  }

  private static final class SecretBasic extends ClientAuthentication {
    private final String clientId;
    private final String clientSecret;

    SecretBasic(String clientId, String clientSecret) {
      this.clientId = clientId;
      this.clientSecret = clientSecret;
    }

    @Override
    void addTo(Map<String, String> form, URI tokenUrl, Instant now) {
      // Sent in the header only.
    }

    @Override
    Optional<String> authorizationHeader() {
      // RFC 6749 section 2.3.1: id and secret are form-encoded before they are joined and Base64'd.
      return Optional.of(
          BasicCredentials.basic(
              TokenEndpoint.encode(clientId), TokenEndpoint.encode(clientSecret)));
    }
  }

  private static final class SecretPost extends ClientAuthentication {
    private final String clientId;
    private final String clientSecret;

    SecretPost(String clientId, String clientSecret) {
      this.clientId = clientId;
      this.clientSecret = clientSecret;
    }

    @Override
    void addTo(Map<String, String> form, URI tokenUrl, Instant now) {
      form.put("client_id", clientId);
      form.put("client_secret", clientSecret);
    }
  }

  private static final class PrivateKeyJwt extends ClientAuthentication {
    private final String clientId;
    private final SigningKey key;

    PrivateKeyJwt(String clientId, SigningKey key) {
      this.clientId = clientId;
      this.key = key;
    }

    @Override
    void addTo(Map<String, String> form, URI tokenUrl, Instant now) {
      // RFC 7523 section 3: the client is issuer and subject, the token endpoint the audience.
      form.put("client_id", clientId);
      form.put("client_assertion_type", CLIENT_ASSERTION_TYPE);
      form.put("client_assertion", key.assertion(clientId, clientId, tokenUrl, now));
    }
  }
}
