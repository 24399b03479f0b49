package dev.sluice.auth.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.secrets.SecretStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OAuth 2.0 JWT bearer grant (RFC 7523 section 2.1): the client signs an assertion with its
 * private key and trades it for an access token; no refresh token and no shared secret exist.
 *
 * <p>The secret holds {@code {"issuer": "...", "private_key": "-----BEGIN PRIVATE KEY-----..."}},
 * optionally {@code "subject"} (the user or account acted for; the issuer by default), {@code
 * "key_id"} and {@code "client_id"} with {@code "client_secret"} for servers that also want the
 * client authenticated. Tokens are kept like those of {@link OAuthClientCredentials}.
 */
public final class OAuthJwtBearerCredentials extends CachedTokenCredentials {

  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  private static final String FIELDS = "\"issuer\" and \"private_key\"";

  /**
   * @param integration the integration's name, for error messages
   * @param tokenUrl the token endpoint, also the assertion's audience
   * @param scope space-separated scopes to request, or null
   * @param secretId the secret holding issuer and private key
   */
  public OAuthJwtBearerCredentials(
      String integration,
      URI tokenUrl,
      String scope,
      String secretId,
      SecretStore secrets,
      HttpClient http,
      Clock clock) {
    super(integration, tokenUrl, scope, secretId, secrets, http, clock);
  }

  @Override
  Token requestToken() {
    JsonNode secret = SecretJson.object(secretId, secrets.secretString(secretId), FIELDS);
    String issuer = SecretJson.text(secretId, secret, "issuer", FIELDS);
    String subject = secret.hasNonNull("subject") ? secret.get("subject").asText() : issuer;
    String keyId = secret.hasNonNull("key_id") ? secret.get("key_id").asText() : null;
    SigningKey key =
        SigningKey.fromPem(
            secretId, SecretJson.text(secretId, secret, "private_key", FIELDS), keyId);
    ClientAuthentication client =
        secret.hasNonNull("client_secret")
            ? ClientAuthentication.fromSecret(secretId, secret)
            : ClientAuthentication.none();

    Map<String, String> grant = new LinkedHashMap<>();
    grant.put("grant_type", GRANT_TYPE);
    grant.put("assertion", key.assertion(issuer, subject, endpoint.url(), clock.instant()));
    if (scope != null) {
      grant.put("scope", scope);
    }
    TokenEndpoint.Answer answer = endpoint.post(grant, client);

    if (!answer.ok()) {
      // RFC 7523 section 3.1: invalid_grant when the assertion's signature or claims are refused.
      throw new CredentialsException(
          endpoint.where()
              + " answered "
              + answer.status()
              + answer.describeError()
              + ": check issuer, subject and the public key registered for the private key in"
              + " secret '"
              + secretId
              + "'",
          true);
    }
    return lifetimeOf(answer);
  }
}
