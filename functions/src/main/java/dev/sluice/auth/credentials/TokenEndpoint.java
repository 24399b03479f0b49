package dev.sluice.auth.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * One OAuth 2.0 token endpoint: posts a grant as a form (RFC 6749 section 3.2) with the client's
 * authentication and reads the answer. Messages name the integration, the URL without its query and
 * the RFC 6749 error code, never a token or secret.
 */
public final class TokenEndpoint {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** RFC 6749 error codes are printable ASCII; anything else is not echoed into messages. */
  private static final Pattern ERROR_CODE = Pattern.compile("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");

  private final String integration;
  private final URI url;
  private final HttpClient http;
  private final Clock clock;

  /**
   * @param integration the integration's name, for messages
   * @param url the token endpoint
   * @param http a client speaking HTTP/1.1
   * @param clock the clock the time of receipt is read from
   */
  public TokenEndpoint(String integration, URI url, HttpClient http, Clock clock) {
    this.integration = integration;
    this.url = url;
    this.http = http;
    this.clock = clock;
  }

  /** The endpoint's URL, which JWT assertions name as their audience. */
  public URI url() {
    return url;
  }

  /**
   * Posts one grant.
   *
   * @param grant the grant's form fields ({@code grant_type} and its parameters)
   * @param client how the client authenticates, or {@link ClientAuthentication#none()}
   * @return the answer, 2xx or not, with the time it was received
   * @throws CredentialsException (not a rejection) when the endpoint could not be reached
   */
  public Answer post(Map<String, String> grant, ClientAuthentication client) {
    Map<String, String> form = new LinkedHashMap<>(grant);
    client.addTo(form, url, clock.instant());
    StringJoiner body = new StringJoiner("&");
    form.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));

    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            // WireMock and some token endpoints mishandle the JDK's h2c upgrade on POST bodies.
            .version(HttpClient.Version.HTTP_1_1)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    client.authorizationHeader().ifPresent(value -> request.header("Authorization", value));

    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), json(response.body()), clock.instant());
    } catch (IOException e) {
      throw new CredentialsException(
          where() + " could not be reached (" + e.getClass().getSimpleName() + ")", false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialsException(where() + ": token request interrupted", false, e);
    }
  }

  /** "integration: token endpoint URL", without the query, which could carry a credential. */
  public String where() {
    return integration
        + ": token endpoint "
        + url.getScheme()
        + "://"
        + url.getAuthority()
        + url.getPath();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static JsonNode json(String body) {
    try {
      JsonNode node = Json.mapper().readTree(body);
      return node == null || !node.isObject() ? Json.mapper().createObjectNode() : node;
    } catch (JsonProcessingException e) {
      // Not JSON (an HTML error page, say): the status code has to do.
      return Json.mapper().createObjectNode();
    }
  }

  /**
   * A token endpoint's answer.
   *
   * @param status the HTTP status code
   * @param body the JSON body, or an empty object when it was not JSON
   * @param receivedAt when the answer arrived: token lifetimes count from here
   */
  public record Answer(int status, JsonNode body, Instant receivedAt) {

    /** Whether the endpoint issued tokens. */
    public boolean ok() {
      return status / 100 == 2;
    }

    /** The RFC 6749 section 5.2 {@code error} code, when the body has a printable one. */
    public Optional<String> error() {
      JsonNode error = body.get("error");
      return error != null && error.isTextual() && ERROR_CODE.matcher(error.textValue()).matches()
          ? Optional.of(error.textValue())
          : Optional.empty();
    }

    /** A non-blank text field of the body, such as {@code access_token}. */
    public Optional<String> text(String field) {
      JsonNode value = body.get(field);
      return value != null && value.isTextual() && !value.textValue().isBlank()
          ? Optional.of(value.textValue())
          : Optional.empty();
    }

    /** {@code expires_in} when it is a positive number of seconds. */
    public Optional<Duration> expiresIn() {
      JsonNode value = body.get("expires_in");
      // Some servers send the number as a string; RFC 6749 section 5.1 says a number.
      if (value != null && value.isTextual() && value.textValue().matches("[0-9]{1,9}")) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value.textValue())))
            .filter(d -> !d.isZero());
      }
      return value != null && value.canConvertToLong() && value.asLong() > 0
          ? Optional.of(Duration.ofSeconds(value.asLong()))
          : Optional.empty();
    }

    /** " with error CODE", or nothing, for messages. */
    public String describeError() {
      return error().map(code -> " with error " + code).orElse("");
    }
  }
}
