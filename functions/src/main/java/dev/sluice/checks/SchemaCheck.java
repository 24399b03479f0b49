package dev.sluice.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.json.Json;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks mapped records against an integration's target schema (JSON Schema 2020-12).
 *
 * <p>Format assertions (date, email, ...) are on: in 2020-12 {@code format} is only an annotation
 * unless the validator is told to assert it (see <a
 * href="https://json-schema.org/draft/2020-12/json-schema-validation#section-7.2">JSON Schema
 * Validation 7.2</a>). The validator's own messages often quote the offending value, so reasons are
 * built here from the field's location, the keyword and the schema's constraint only.
 */
public final class SchemaCheck {

  /** Longest schema constraint quoted in a rule (a pattern, say). */
  private static final int MAX_CONSTRAINT_CHARS = 80;

  /** Longest reason; SQS attribute values and log lines must stay small. */
  private static final int MAX_REASON_CHARS = 1000;

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .formatAssertionsEnabled(true)
          .pathType(PathType.JSON_POINTER)
          .build();

  private final String name;
  private final JsonSchema schema;

  private SchemaCheck(String name, JsonSchema schema) {
    this.name = name;
    this.schema = schema;
  }

  /**
   * Compiles a schema given as JSON text.
   *
   * @param name names the schema in errors (integration and file)
   * @throws InvalidDefinitionException when the text is not a usable schema
   */
  public static SchemaCheck compile(String name, String schemaJson) {
    try {
      JsonNode node = Json.mapper().readTree(schemaJson);
      JsonSchema schema = FACTORY.getSchema(node, CONFIG);
      schema.initializeValidators();
      return new SchemaCheck(name, schema);
    } catch (IOException | JsonSchemaException e) {
      throw new InvalidDefinitionException(name + " is not a valid JSON Schema: " + e.getMessage());
    }
  }

  /** The violations of {@code record}, in path order; empty when it is valid. */
  public List<Violation> check(JsonNode record) {
    Set<ValidationMessage> messages = schema.validate(record);
    return messages.stream()
        .map(SchemaCheck::violation)
        .distinct()
        .sorted(Comparator.comparing(Violation::path).thenComparing(Violation::rule))
        .toList();
  }

  /** A reason for people and message attributes: paths and rules, never values. */
  public static String reason(List<Violation> violations) {
    String reason =
        violations.stream()
            .map(Violation::toString)
            .collect(Collectors.joining("; ", "schema violation: ", ""));
    return reason.length() <= MAX_REASON_CHARS
        ? reason
        : reason.substring(0, MAX_REASON_CHARS - 3) + "...";
  }

  /** Names the schema, for errors and logs. */
  public String name() {
    return name;
  }

  private static Violation violation(ValidationMessage message) {
    String path = message.getInstanceLocation().toString();
    String keyword = message.getType();

    // "required" and "dependentRequired" report the parent; point at the missing field instead.
    if (message.getProperty() != null && keyword.contains("equired")) {
      return new Violation(path + "/" + escape(message.getProperty()), keyword);
    }
    return new Violation(path, keyword + constraint(message.getSchemaNode()));
  }

  /**
   * The constraint the schema states for a keyword, when it is a single value (a format name, a
   * bound, a pattern, a type). Lists and objects (enum, const objects) are left out.
   */
  private static String constraint(JsonNode schemaNode) {
    if (schemaNode == null || !schemaNode.isValueNode() || schemaNode.isNull()) {
      return "";
    }
    String text = schemaNode.asText();
    if (text.length() > MAX_CONSTRAINT_CHARS) {
      text = text.substring(0, MAX_CONSTRAINT_CHARS) + "...";
    }
    return " " + text;
  }

  /** JSON Pointer escaping of a property name (RFC 6901 section 3). */
  private static String escape(String property) {
    return property.replace("~", "~0").replace("/", "~1");
  }
}
