package dev.sluice.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads resources out of a synthesized template, independently of the CDK assertions API. */
final class TemplateResources {

  private TemplateResources() {}

  /** Logical id to resource, for every resource of {@code type}. */
  static Map<String, JsonNode> ofType(JsonNode template, String type) {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    template
        .path("Resources")
        .fields()
        .forEachRemaining(
            entry -> {
              if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
              }
            });
    return found;
  }

  /** Every resource by logical id. */
  static Map<String, JsonNode> all(JsonNode template) {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    template.path("Resources").fields().forEachRemaining(e -> found.put(e.getKey(), e.getValue()));
    return found;
  }

  /** The logical id a {@code Ref} or {@code Fn::GetAtt} points at, or null. */
  static String referencedId(JsonNode value) {
    if (value.has("Ref")) {
      return value.get("Ref").asText();
    }
    if (value.has("Fn::GetAtt")) {
      return value.get("Fn::GetAtt").get(0).asText();
    }
    return null;
  }
}
