package dev.sluice.auth.credentials;

import dev.sluice.auth.secrets.SecretStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An OAuth 2.0 access token obtained by a subclass's grant and kept until shortly before it
 * expires: its lifetime counts from the moment the token response was received, less a margin of 60
 * seconds or a tenth of the lifetime, whichever is smaller. A response without {@code expires_in}
 * is kept until the target rejects the token. Concurrent callers wait for one token request.
 */
abstract class CachedTokenCredentials implements TargetCredentials {

  private static final Duration MAX_MARGIN = Duration.ofSeconds(60);

  final TokenEndpoint endpoint;
  final String scope;
  final String secretId;
  final SecretStore secrets;
  final Clock clock;

  private Token token;

  CachedTokenCredentials(
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

  /**
   * Asks the token endpoint for a new token with this grant.
   *
   * @throws CredentialsException when the endpoint refuses or cannot be reached
   */
  abstract Token requestToken();

  /** The access token of an answer, to be renewed shortly before it expires. */
  final Token lifetimeOf(TokenEndpoint.Answer answer) {
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
