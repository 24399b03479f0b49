package dev.sluice.poll;

import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.IdempotencyKeys;
import dev.sluice.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Page tasks as envelopes on the poll queue, so they carry the same routing attributes, size checks
 * and dead-letter reasons as records. Both the schedule and a backfill start a window with {@link
 * #first}.
 */
public final class PageTasks {

  private PageTasks() {}

  /** The envelope of a window's first page; the correlation id is the same for every run of it. */
  public static Envelope first(String integration, PollWindow window) {
    String correlationId =
        UUID.nameUUIDFromBytes((integration + "\n" + window).getBytes(StandardCharsets.UTF_8))
            .toString();
    return envelope(integration, correlationId, PageTask.first(window));
  }

  /** The envelope of one page task. */
  static Envelope envelope(String integration, String correlationId, PageTask task) {
    String sourceEventId =
        "window:" + task.window() + (task.after() == null ? "" : ":after:" + task.after());
    return new Envelope(
        Envelope.SCHEMA_VERSION,
        integration,
        UUID.randomUUID().toString(),
        correlationId,
        sourceEventId,
        IdempotencyKeys.of(integration, sourceEventId),
        1,
        task.to(),
        Json.mapper().valueToTree(task));
  }
}
