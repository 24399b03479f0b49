package dev.sluice.auth.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.secrets.SecretStore;
import dev.sluice.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 section 4.4). The secret holds {@code
 * {"client_id": "...", "client_secret": "..."}}; the client authenticates with HTTP Basic ({@code
 * client_secret_basic}, RFC 6749 section 2.3.1).
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
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** RFC 6749 error codes are printable ASCII; anything else is not echoed into messages. */
  private static final Pattern ERROR_CODE = Pattern.compile("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");

  private final String integration;
  private final URI tokenUrl;
  private final String scope;
  private final String secretId;
  private final SecretStore secrets;
  private final HttpClient http;
  private final Clock clock;

  private Token token;

  /**
   * @param integration the integration's name, for error messages
   * @param tokenUrl the token endpoint
   * @param scope space-separated scopes to request, or null for the server's default
   * @param secretId the secret holding client id and client secret
   */
  public OAuthClientCredentials(
      String integration,
      URI tokenUrl,
      String scope,
      String secretId,
      SecretStore secrets,
      HttpClient http,
      Clock clock) {
    this.integration = integration;
    this.tokenUrl = tokenUrl;
    this.scope = scope == null || scope.isBlank() ? null : scope;
    this.secretId = secretId;
    this.secrets = secrets;
    this.http = http;
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
    String clientId = SecretJson.text(secretId, secret, "client_id", FIELDS);
    String clientSecret = SecretJson.text(secretId, secret, "client_secret", FIELDS);

    HttpResponse<String> response = send(clientId, clientSecret);
    Instant receivedAt = clock.instant();

    if (response.statusCode() / 100 != 2) {
      throw new CredentialsException(
          where()
              + " answered "
              + response.statusCode()
              + errorCode(response.body())
              + ": check the client id and secret in secret '"
              + secretId
              + "' and the scope",
          true);
    }
    return parse(response.body(), receivedAt);
  }

  private HttpResponse<String> send(String clientId, String clientSecret) {
    // RFC 6749 section 2.3.1: id and secret are form-encoded before they are joined and Base64'd.
    String authorization = BasicCredentials.basic(form(clientId), form(clientSecret));
    String body = "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + form(scope));
    HttpRequest request =
        HttpRequest.newBuilder(tokenUrl)
            // WireMock and some token endpoints mishandle the JDK's h2c upgrade on POST bodies.
            .version(HttpClient.Version.HTTP_1_1)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();

    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CredentialsException(
          where() + " could not be reached (" + e.getClass().getSimpleName() + ")", false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialsException(where() + ": token request interrupted", false, e);
    }
  }

  private Token parse(String body, Instant receivedAt) {
    JsonNode json;
    try {
      json = Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      json = null;
    }
    JsonNode accessToken = json == null ? null : json.get("access_token");
    if (accessToken == null || !accessToken.isTextual() || accessToken.textValue().isBlank()) {
      throw new CredentialsException(where() + " answered without an access_token", true);
    }

    JsonNode expiresIn = json.get("expires_in");
    if (expiresIn == null || !expiresIn.canConvertToLong() || expiresIn.asLong() <= 0) {
      return new Token(accessToken.textValue(), Instant.MAX);
    }
    Duration lifetime = Duration.ofSeconds(expiresIn.asLong());
    Duration margin = min(MAX_MARGIN, lifetime.dividedBy(10));
    return new Token(accessToken.textValue(), receivedAt.plus(lifetime).minus(margin));
  }

  private static String errorCode(String body) {
    try {
      JsonNode root = Json.mapper().readTree(body);
      JsonNode error = root == null ? null : root.get("error");
      if (error != null && error.isTextual() && ERROR_CODE.matcher(error.textValue()).matches()) {
        return " with error " + error.textValue();
      }
    } catch (JsonProcessingException e) {
      // Not an RFC 6749 error body (an HTML error page, say): the status code has to do.
    }
    return "";
  }

  private String where() {
    // Scheme, host and path only: a query string could carry a credential.
    String url = tokenUrl.getScheme() + "://" + tokenUrl.getAuthority() + tokenUrl.getPath();
    return integration + ": token endpoint " + url;
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private record Token(String value, Instant refreshAt) {}
}
