package dev.sluice.auth.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.secrets.SecretStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 section 4.4). The secret holds {@code
 * {"client_id": "...", "client_secret": "..."}}, and the client authenticates with HTTP Basic
 * ({@code client_secret_basic}, RFC 6749 section 2.3.1); with {@code "private_key"} in place of the
 * client secret it authenticates with a signed assertion ({@code private_key_jwt}), see {@link
 * ClientAuthentication}.
 *
 * <p>The access token is kept until shortly before it expires: its lifetime counts from the moment
 * the token response was received, less a margin of 60 seconds or a tenth of the lifetime,
 * whichever is smaller. A response without {@code expires_in} is kept until the target rejects the
 * token. The token is sent as {@code Bearer} whatever {@code token_type} says, since the client
 * credentials grant issues bearer tokens. Concurrent callers wait for one token request.
 */
public final class OAuthClientCredentials implements TargetCredentials {

  private static final String FIELDS = "\"client_id\" and \"client_secret\"";
  private static final Duration MAX_MARGIN = Duration.ofSeconds(60);

  private final TokenEndpoint endpoint;
  private final String scope;
  private final String secretId;
  private final SecretStore secrets;
  private final Clock clock;

  private Token token;

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
    this.endpoint = new TokenEndpoint(integration, tokenUrl, http, clock);
    this.scope = scope == null || scope.isBlank() ? null : scope;
    this.secretId = secretId;
    this.secrets = secrets;
    this.clock = clock;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Authorization", "Bearer " + accessToken());
  }

  @Override
  public synchronized void invalidate() {
    token = null;
    secrets.invalidate(secretId);
  }

  /** The cached token, or a new one; synchronized so that concurrent callers share one request. */
  synchronized String accessToken() {
    if (token == null || !clock.instant().isBefore(token.refreshAt())) {
      token = requestToken();
    }
    return token.value();
  }

  private Token requestToken() {
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
    return lifetimeOf(endpoint, answer);
  }

  /** The access token of an answer, to be renewed shortly before it expires. */
  static Token lifetimeOf(TokenEndpoint endpoint, TokenEndpoint.Answer answer) {
    String accessToken =
        answer
            .text("access_token")
            .orElseThrow(
                () ->
                    new CredentialsException(
                        endpoint.where() + " answered without an access_token", true));

    return answer
        .expiresIn()
        .map(
            lifetime ->
                new Token(
                    accessToken,
                    answer
                        .receivedAt()
                        .plus(lifetime)
                        .minus(min(MAX_MARGIN, lifetime.dividedBy(10)))))
        .orElseGet(() -> new Token(accessToken, Instant.MAX));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** An access token and the time to ask for a new one. */
  record Token(String value, Instant refreshAt) {}
}
