package dev.sluice.auth.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.secrets.SecretStore;
import java.util.Map;

/**
 * A worker's side of the OAuth 2.0 refresh-token grant (RFC 6749 section 6): it only reads the
 * access token that the token keeper ({@code dev.sluice.auth.tokens.TokenKeeper}) keeps in the
 * secret, and never refreshes.
 *
 * <p>Providers that rotate refresh tokens invalidate the old one at each refresh, so two refreshers
 * would race and one of them would lose the new refresh token. One writer avoids that; workers read
 * through the cached {@link SecretStore} and, after a 401, {@link #invalidate()} makes the next
 * read fetch the secret's current version once before the failure counts.
 *
 * <p>The secret holds what the keeper needs ({@code client_id}, {@code client_secret} or {@code
 * private_key}, {@code refresh_token}) and what it writes: {@value #ACCESS_TOKEN}, {@value
 * #RECEIVED_AT}, {@value #EXPIRES_AT} and, once the server refused the refresh token, {@value
 * #REFRESH_FAILED}.
 */
public final class OAuthRefreshTokenCredentials implements TargetCredentials {

  /** Secret field: the refresh token, replaced at each rotation. */
  public static final String REFRESH_TOKEN = "refresh_token";

  /** Secret field: the current access token. */
  public static final String ACCESS_TOKEN = "access_token";

  /** Secret field: when the token response arrived (ISO-8601); lifetimes count from here. */
  public static final String RECEIVED_AT = "received_at";

  /** Secret field: when the access token expires (ISO-8601), if the server said. */
  public static final String EXPIRES_AT = "expires_at";

  /** Secret field: the error code with which the server refused the refresh token. */
  public static final String REFRESH_FAILED = "refresh_failed";

  private final String secretId;
  private final SecretStore secrets;

  public OAuthRefreshTokenCredentials(String secretId, SecretStore secrets) {
    this.secretId = secretId;
    this.secrets = secrets;
  }

  @Override
  public Map<String, String> headers() {
    JsonNode secret =
        SecretJson.object(secretId, secrets.secretString(secretId), "\"" + ACCESS_TOKEN + "\"");

    if (secret.hasNonNull(REFRESH_FAILED)) {
      throw new RefreshTokenRefusedException(
          "secret '"
              + secretId
              + "': the token server refused the refresh token ("
              + secret.get(REFRESH_FAILED).asText()
              + "); authorize the app again and store the new refresh_token");
    }
    JsonNode token = secret.get(ACCESS_TOKEN);
    if (token == null || !token.isTextual() || token.textValue().isBlank()) {
      // Not a rejection: the keeper has not run yet, and will write one.
      throw new CredentialsException(
          "secret '" + secretId + "' holds no access_token yet; the token keeper writes it", false);
    }
    return Map.of("Authorization", "Bearer " + token.textValue());
  }

  @Override
  public void invalidate() {
    secrets.invalidate(secretId);
  }
}
