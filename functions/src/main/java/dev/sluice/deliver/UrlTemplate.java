package dev.sluice.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target URL with {@code {field}} placeholders filled from the mapped record's top-level fields,
 * for APIs that address the record in the path, such as Mailchimp's {@code PUT
 * /3.0/lists/{list_id}/members/{subscriber_hash}}. A field a placeholder uses addresses the record
 * and is not part of it, so it is left out of the body. Values are percent-encoded as one path
 * segment (RFC 3986 section 3.3).
 */
final class UrlTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

  private final String template;
  private final Set<String> fields;

  private UrlTemplate(String template, Set<String> fields) {
    this.template = template;
    this.fields = fields;
  }

  /** Reads a URL that may hold placeholders. */
  static UrlTemplate of(String url) {
    Set<String> fields = new LinkedHashSet<>();
    Matcher matcher = PLACEHOLDER.matcher(url);
    while (matcher.find()) {
      fields.add(matcher.group(1));
    }

    UrlTemplate template = new UrlTemplate(url, Set.copyOf(fields));
    // Fails at start-up on a URL that is wrong apart from its placeholders.
    URI.create(PLACEHOLDER.matcher(url).replaceAll("x"));
    return template;
  }

  /**
   * The URL for one record.
   *
   * @throws IllegalArgumentException naming the placeholder whose field is missing or not a string
   *     or number (never the record's values)
   */
  URI expand(JsonNode record) {
    if (fields.isEmpty()) {
      return URI.create(template);
    }

    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder url = new StringBuilder();
    while (matcher.find()) {
      JsonNode value = record == null ? null : record.get(matcher.group(1));
      if (value == null || !(value.isTextual() || value.isNumber()) || value.asText().isEmpty()) {
        throw new IllegalArgumentException(
            "target.url placeholder {"
                + matcher.group(1)
                + "} has no string value in the mapped record: map it in the mapping");
      }
      String segment =
          URLEncoder.encode(value.asText(), StandardCharsets.UTF_8).replace("+", "%20");
      matcher.appendReplacement(url, Matcher.quoteReplacement(segment));
    }
    matcher.appendTail(url);
    return URI.create(url.toString());
  }

  /** The record without the fields the placeholders use. */
  JsonNode body(JsonNode record) {
    if (fields.isEmpty() || record == null || !record.isObject()) {
      return record;
    }
    ObjectNode copy = ((ObjectNode) record).deepCopy();
    copy.remove(fields);
    return copy;
  }
}
