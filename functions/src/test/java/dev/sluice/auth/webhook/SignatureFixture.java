package dev.sluice.auth.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A published signature vector from {@code fixtures/signatures/}: the secret, the exact body bytes
 * (from {@code payload_base64}), the headers as sent and the signed timestamp.
 */
record SignatureFixture(String secret, byte[] body, Map<String, String> headers, long timestamp) {

  static SignatureFixture load(String fileName) {
    String resource = "/fixtures/signatures/" + fileName;
    try (InputStream in = SignatureFixture.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + resource);
      }
      JsonNode node = Json.mapper().readTree(in);

      Map<String, String> headers = new LinkedHashMap<>();
      node.get("headers")
          .fields()
          .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
      byte[] body = Base64.getDecoder().decode(node.get("payload_base64").asText());
      // Slack gives the timestamp as a string, the others as a number; GitHub and Shopify none.
      long timestamp = node.path("timestamp").asLong(0);
      return new SignatureFixture(node.get("secret").asText(), body, headers, timestamp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request exactly as published. */
  WebhookRequest request() {
    return new WebhookRequest(headers, body);
  }

  /** The published headers with a different body. */
  WebhookRequest withBody(byte[] otherBody) {
    return new WebhookRequest(headers, otherBody);
  }

  /** The published body with one header replaced, or removed when {@code value} is null. */
  WebhookRequest withHeader(String name, String value) {
    Map<String, String> changed = new LinkedHashMap<>(headers);
    changed.remove(name);
    if (value != null) {
      changed.put(name, value);
    }
    return new WebhookRequest(changed, body);
  }

  /** The published body with every header name lower-cased, as API Gateway v2 delivers them. */
  WebhookRequest withLowerCaseHeaderNames() {
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    return new WebhookRequest(lower, body);
  }

  /** The signed timestamp as an instant, to check the vector at its own time. */
  Instant signedAt() {
    return Instant.ofEpochSecond(timestamp);
  }

  /** The body with extra bytes appended. */
  byte[] bodyPlus(String suffix) {
    byte[] extra = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] joined = Arrays.copyOf(body, body.length + extra.length);
    System.arraycopy(extra, 0, joined, body.length, extra.length);
    return joined;
  }
}
