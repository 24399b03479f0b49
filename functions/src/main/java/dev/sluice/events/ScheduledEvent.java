package dev.sluice.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The event a schedule invokes a function with, in every shape it arrives in:
 *
 * <ul>
 *   <li>an EventBridge rule's {@code Scheduled Event} ({@code "source": "aws.events"}, {@code
 *       detail} an empty object), see "Creating a rule that runs on a schedule", Amazon EventBridge
 *       User Guide;
 *   <li>an EventBridge Scheduler event ({@code "source": "aws.scheduler"}), whose {@code detail} is
 *       a JSON <em>string</em> ({@code "{}"}) rather than an object;
 *   <li>either of them with a {@code scheduledTime} in {@code detail}, as a Scheduler target input
 *       templated with {@code <aws.scheduler.scheduled-time>} sends it ("Context attributes",
 *       EventBridge Scheduler User Guide).
 * </ul>
 *
 * @param id the event id, used as correlation id when present
 * @param detailType {@code Scheduled Event}
 * @param source {@code aws.events} or {@code aws.scheduler}
 * @param time when the event was sent for the scheduled invocation (ISO-8601)
 * @param detail an object, a string holding an object, or absent
 */
public record ScheduledEvent(
    String id,
    @JsonProperty("detail-type") String detailType,
    String source,
    String time,
    JsonNode detail) {

  /**
   * The time the schedule fired: {@code detail.scheduledTime} when given, else {@code time}.
   *
   * @throws IllegalArgumentException when neither is an ISO-8601 instant
   */
  public Instant scheduledTime() {
    Optional<String> fromDetail =
        detailObject()
            .map(node -> node.get("scheduledTime"))
            .filter(JsonNode::isTextual)
            .map(JsonNode::textValue);
    String value = fromDetail.orElse(time);
    if (value == null) {
      throw new IllegalArgumentException("the event has neither time nor detail.scheduledTime");
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("the event's time is not an ISO-8601 instant");
    }
  }

  /** {@code detail} as an object, whether it came as an object or as a string holding one. */
  public Optional<JsonNode> detailObject() {
    if (detail == null || detail.isNull()) {
      return Optional.empty();
    }
    if (detail.isObject()) {
      return Optional.of(detail);
    }
    if (detail.isTextual()) {
      try {
        JsonNode parsed = Json.mapper().readTree(detail.textValue());
        return parsed != null && parsed.isObject() ? Optional.of(parsed) : Optional.empty();
      } catch (JsonProcessingException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
