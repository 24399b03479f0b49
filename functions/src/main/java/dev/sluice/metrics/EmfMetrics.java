package dev.sluice.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.json.Json;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes counters as CloudWatch Embedded Metric Format lines: Lambda forwards stdout to CloudWatch
 * Logs, which turns each line into metrics without an API call from the function.
 *
 * <p>Lines go through the {@value #LOGGER} logger, whose appender prints the message alone: EMF
 * must be one whole JSON object per line, not wrapped in the structured log format.
 *
 * <p>The format is described in "Embedded metric format specification", Amazon CloudWatch User
 * Guide.
 */
public final class EmfMetrics {

  /** The logger name logback routes to the raw-message appender. */
  public static final String LOGGER = "dev.sluice.metrics";

  /** The CloudWatch namespace of every Sluice metric. */
  public static final String NAMESPACE = "Sluice";

  /** The dimension every Sluice metric carries. */
  public static final String INTEGRATION = "Integration";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final Clock clock;

  public EmfMetrics(Clock clock) {
    this.clock = clock;
  }

  /**
   * Writes one line holding every count, all with unit Count and the integration as dimension.
   *
   * @param counts metric names to values, in the order they should appear
   */
  public void publish(String integration, Map<String, Long> counts) {
    LOG.info(line(integration, counts));
  }

  /** The EMF JSON line for the counts at the clock's current time. */
  String line(String integration, Map<String, Long> counts) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", clock.millis());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    directive.putArray("Dimensions").addArray().add(INTEGRATION);
    ArrayNode metrics = directive.putArray("Metrics");

    root.put(INTEGRATION, integration);
    counts.forEach(
        (name, value) -> {
          metrics.addObject().put("Name", name).put("Unit", "Count");
          root.put(name, value);
        });

    try {
      return Json.mapper().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("metric line could not be serialised", e);
    }
  }
}
