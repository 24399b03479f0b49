package dev.sluice.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.events.HttpRequestEvent;
import dev.sluice.json.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Recovers the exact bytes a sender signed from an HTTP event, and reads them as JSON once the
 * signature has been checked.
 */
final class WebhookBodyReader {

  private static final String FORM = "application/x-www-form-urlencoded";

  /**
   * The raw body: base64-decoded when the event says so (binary and form bodies), otherwise the
   * UTF-8 bytes of the text API Gateway passed on. Empty when the base64 is broken.
   */
  Optional<byte[]> rawBody(HttpRequestEvent request) {
    String body = request.body() == null ? "" : request.body();
    if (!request.isBase64Encoded()) {
      return Optional.of(body.getBytes(StandardCharsets.UTF_8));
    }

    try {
      return Optional.of(Base64.getDecoder().decode(body));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The body as JSON. A form body (Slack's interactive payloads) becomes an object of its fields,
   * with a {@code payload} field that holds JSON parsed in place. Empty when malformed.
   */
  Optional<JsonNode> parse(byte[] body, Map<String, String> headers) {
    try {
      if (isForm(headers)) {
        return Optional.of(parseForm(new String(body, StandardCharsets.UTF_8)));
      }

      JsonNode json = Json.mapper().readTree(body);
      return json == null || json.isMissingNode() ? Optional.empty() : Optional.of(json);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean isForm(Map<String, String> headers) {
    return headers.entrySet().stream()
        .anyMatch(
            header ->
                header.getKey().equalsIgnoreCase("content-type")
                    && header.getValue().toLowerCase(Locale.ROOT).startsWith(FORM));
  }

  private static ObjectNode parseForm(String form) throws IOException {
    ObjectNode fields = Json.mapper().createObjectNode();
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }

      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      if (name.equals("payload")) {
        fields.set(name, Json.mapper().readTree(value));
      } else {
        fields.put(name, value);
      }
    }
    return fields;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
