package dev.sluice.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.definition.IntegrationDefinition.Source;
import dev.sluice.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Requests and pages of HubSpot's CRM v3 search endpoints ({@code POST
 * /crm/v3/objects/{objectType}/search}), see "CRM search", HubSpot developer documentation: records
 * whose modified-date property lies in the window ({@code BETWEEN}, both ends included, epoch
 * milliseconds), sorted by it ascending, and {@code paging.next.after} as the cursor of the next
 * page.
 *
 * <p>HubSpot's search cannot page beyond 10,000 results of one query; a window that holds more is
 * logged so that its interval can be shortened.
 */
final class HubSpotSearch {

  /** The most results one search query can page through. */
  static final int MAX_RESULTS = 10_000;

  private final Source source;

  HubSpotSearch(Source source) {
    this.source = source;
  }

  /** The JSON request body for one page. */
  String requestBody(PageTask task) {
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode filter = body.putArray("filterGroups").addObject().putArray("filters").addObject();
    filter.put("propertyName", source.modifiedPropertyOrDefault());
    filter.put("operator", "BETWEEN");
    filter.put("value", String.valueOf(task.from().toEpochMilli()));
    filter.put("highValue", String.valueOf(task.to().toEpochMilli()));
    body.putArray("sorts")
        .addObject()
        .put("propertyName", source.modifiedPropertyOrDefault())
        .put("direction", "ASCENDING");
    ArrayNode properties = body.putArray("properties");
    source.propertiesOrDefault().forEach(properties::add);
    body.put("limit", source.pageSizeOrDefault());
    if (task.after() != null) {
      body.put("after", task.after());
    }

    try {
      return Json.mapper().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("search request could not be serialised", e);
    }
  }

  /**
   * Reads one page of results.
   *
   * @throws IllegalArgumentException when the body is not a search response
   */
  static Page page(String body) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the search response is not JSON");
    }
    if (root == null || !root.path("results").isArray()) {
      throw new IllegalArgumentException("the search response has no results array");
    }

    List<JsonNode> results = new ArrayList<>();
    root.get("results").forEach(results::add);
    JsonNode after = root.path("paging").path("next").path("after");
    long total = root.path("total").asLong(results.size());
    return new Page(
        results,
        after.isTextual() && !after.textValue().isEmpty()
            ? Optional.of(after.textValue())
            : Optional.empty(),
        total);
  }

  /**
   * The source's own id of a record version: object id and {@code updatedAt}, so the same version
   * fetched by two overlapping windows gets the same idempotency key.
   */
  static String sourceEventId(JsonNode record) {
    String id = record.path("id").asText("");
    String updatedAt = record.path("updatedAt").asText("");
    return "hubspot:" + id + "@" + updatedAt;
  }

  /**
   * One page of search results.
   *
   * @param results the records, each an object with {@code id} and {@code properties}
   * @param after the cursor of the next page, when there is one
   * @param total how many records match the whole query
   */
  record Page(List<JsonNode> results, Optional<String> after, long total) {}
}
