package dev.sluice.auth.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.json.Json;

/** Reads named text fields from a secret that holds a JSON object, without echoing the value. */
final class SecretJson {

  private SecretJson() {}

  /** Parses a secret as a JSON object; errors name the secret and the expected fields only. */
  static JsonNode object(String secretId, String value, String expectedFields) {
    try {
      JsonNode node = Json.mapper().readTree(value);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JsonProcessingException e) {
      // Falls through: the parser's message may quote the secret.
    }
    throw malformed(secretId, expectedFields);
  }

  /** A non-blank text field of a parsed secret. */
  static String text(String secretId, JsonNode secret, String field, String expectedFields) {
    JsonNode value = secret.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw malformed(secretId, expectedFields);
    }
    return value.textValue();
  }

  private static CredentialsException malformed(String secretId, String expectedFields) {
    return new CredentialsException(
        "secret '" + secretId + "' must be a JSON object with " + expectedFields, true);
  }
}
