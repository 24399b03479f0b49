package dev.sluice.auth.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.secrets.SecretStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 section 4.4). The secret holds {@code
 * {"client_id": "...", "client_secret": "..."}}, and the client authenticates with HTTP Basic
 * ({@code client_secret_basic}, RFC 6749 section 2.3.1); with {@code "private_key"} in place of the
 * client secret it authenticates with a signed assertion ({@code private_key_jwt}), see {@link
 * ClientAuthentication}.
 *
 * <p>The access token is kept until shortly before it expires (see {@link CachedTokenCredentials})
 * and sent as {@code Bearer} whatever {@code token_type} says, since the client credentials grant
 * issues bearer tokens.
 */
public final class OAuthClientCredentials extends CachedTokenCredentials {

  private static final String FIELDS = "\"client_id\" and \"client_secret\"";

  /**
   * @param integration the integration's name, for error messages
   * @param tokenUrl the token endpoint
   * @param scope space-separated scopes to request, or null for the server's default
   * @param secretId the secret holding client id and client secret (or private key)
   */
  public OAuthClientCredentials(
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
    ClientAuthentication client = ClientAuthentication.fromSecret(secretId, secret);
    Map<String, String> grant = new LinkedHashMap<>();
    grant.put("grant_type", "client_credentials");
    if (scope != null) {
      grant.put("scope", scope);
    }

    TokenEndpoint.Answer answer = endpoint.post(grant, client);

    if (!answer.ok()) {
      throw new CredentialsException(
          endpoint.where()
              + " answered "
              + answer.status()
              + answer.describeError()
              + ": check the client id and secret in secret '"
              + secretId
              + "' and the scope",
          true);
    }
    return lifetimeOf(answer);
  }
}
