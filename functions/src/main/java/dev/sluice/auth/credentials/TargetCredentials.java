package dev.sluice.auth.credentials;

import dev.sluice.auth.secrets.SecretStore;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.IntegrationDefinition.TargetAuth;
import dev.sluice.definition.InvalidDefinitionException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;

/**
 * How Sluice authenticates to an integration's target API: the headers to add to each request.
 * Implementations read their secret through a {@link SecretStore} and never log or expose it
 * anywhere but in those headers.
 */
public interface TargetCredentials {

  /** {@code target.auth.type} of an API key. */
  String API_KEY = "api-key";

  /** {@code target.auth.type} of HTTP Basic authentication. */
  String BASIC = "basic";

  /** {@code target.auth.type} of the OAuth 2.0 client credentials grant. */
  String OAUTH2_CLIENT_CREDENTIALS = "oauth2-client-credentials";

  /** {@code target.auth.type} of an access token kept fresh by the token keeper. */
  String OAUTH2_REFRESH_TOKEN = "oauth2-refresh-token";

  /** {@code target.auth.type} of the OAuth 2.0 JWT bearer grant (RFC 7523). */
  String OAUTH2_JWT_BEARER = "oauth2-jwt-bearer";

  /**
   * The headers that authenticate one request.
   *
   * @throws CredentialsException when the secret is malformed or no token can be obtained
   * @throws dev.sluice.auth.secrets.SecretNotFoundException when the secret does not exist
   */
  Map<String, String> headers();

  /**
   * Forgets cached tokens and secret values, so the next {@link #headers()} reads the secret and
   * asks for a token again; called when the target answers 401 or 403.
   */
  void invalidate();

  /**
   * The credentials an integration's definition describes.
   *
   * @param http client for token requests; it should speak HTTP/1.1 only
   * @param clock the clock token lifetimes are measured against
   * @throws InvalidDefinitionException when {@code target.auth} is missing or of an unknown type
   */
  static TargetCredentials from(
      IntegrationDefinition definition, SecretStore secrets, HttpClient http, Clock clock) {
    TargetAuth auth = definition.target() == null ? null : definition.target().auth();
    return from(definition.name(), "target.auth", auth, secrets, http, clock);
  }

  /**
   * The credentials one auth block of a definition describes ({@code target.auth}, {@code
   * source.auth}).
   *
   * @param where the block's path in the definition, for messages
   * @throws InvalidDefinitionException when the block is missing or of an unknown type
   */
  static TargetCredentials from(
      String integration,
      String where,
      TargetAuth auth,
      SecretStore secrets,
      HttpClient http,
      Clock clock) {
    if (auth == null || auth.type() == null) {
      throw new InvalidDefinitionException(
          integration + ": " + where + ".type is missing; use one of " + types());
    }
    if (auth.secret() == null || auth.secret().isBlank()) {
      throw new InvalidDefinitionException(
          integration
              + ": "
              + where
              + ".secret is missing: name the secret holding the credentials");
    }

    return switch (auth.type()) {
      case API_KEY -> new ApiKeyCredentials(auth.secret(), auth.header(), secrets);
      case BASIC -> new BasicCredentials(auth.secret(), secrets);
      case OAUTH2_CLIENT_CREDENTIALS ->
          new OAuthClientCredentials(
              integration,
              tokenUrl(integration, where, auth),
              auth.scope(),
              auth.secret(),
              secrets,
              http,
              clock);
      case OAUTH2_JWT_BEARER ->
          new OAuthJwtBearerCredentials(
              integration,
              tokenUrl(integration, where, auth),
              auth.scope(),
              auth.secret(),
              secrets,
              http,
              clock);
      case OAUTH2_REFRESH_TOKEN -> {
        // The keeper needs the token URL; workers do not, but a definition without one is wrong.
        tokenUrl(integration, where, auth);
        yield new OAuthRefreshTokenCredentials(auth.secret(), secrets);
      }
      default ->
          throw new InvalidDefinitionException(
              integration
                  + ": "
                  + where
                  + ".type '"
                  + auth.type()
                  + "' is not supported; use one of "
                  + types());
    };
  }

  /**
   * The block's token URL.
   *
   * @throws InvalidDefinitionException when it is missing
   */
  static URI tokenUrl(String integration, String where, TargetAuth auth) {
    if (auth.tokenUrl() == null || auth.tokenUrl().isBlank()) {
      throw new InvalidDefinitionException(
          integration + ": " + where + ".tokenUrl is required for " + auth.type());
    }
    return URI.create(auth.tokenUrl());
  }

  private static String types() {
    return String.join(
        ", ", API_KEY, BASIC, OAUTH2_CLIENT_CREDENTIALS, OAUTH2_JWT_BEARER, OAUTH2_REFRESH_TOKEN);
  }
}
