package dev.sluice.local.runner;

import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.envelope.Envelope;
import dev.sluice.poll.PageTasks;
import dev.sluice.poll.PollWindow;
import dev.sluice.queue.QueueSender;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The page tasks of an old window: the range is cut into windows no longer than the definition's
 * own, so that each search stays as small as a scheduled one (HubSpot's search pages through at
 * most 10,000 results per query), and each window's first page task goes on the poll queue. The
 * poll function then works through them as through scheduled ones.
 */
public final class Backfill {

  private Backfill() {}

  /**
   * The windows covering {@code [from, to]}, each at most {@code chunk} long.
   *
   * @throws IllegalArgumentException when {@code from} is not before {@code to}
   */
  public static List<PollWindow> windows(Instant from, Instant to, Duration chunk) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("--from must be before --to");
    }
    List<PollWindow> windows = new ArrayList<>();
    for (Instant start = from; start.isBefore(to); start = start.plus(chunk)) {
      Instant end = start.plus(chunk).isAfter(to) ? to : start.plus(chunk);
      windows.add(new PollWindow(start, end));
    }
    return windows;
  }

  /** The definition's window length, the default chunk. */
  public static Duration chunkOf(IntegrationDefinition definition) {
    return definition.trigger().window(definition.name());
  }

  /**
   * Puts each window's first page task on a poll queue.
   *
   * @return the ids SQS gave the tasks
   * @throws dev.sluice.queue.QueueWriteException when SQS refused one (the ones before it stay)
   */
  public static List<String> enqueue(
      QueueSender sender, String pollQueueUrl, String integration, List<PollWindow> windows) {
    List<String> ids = new ArrayList<>();
    for (PollWindow window : windows) {
      Envelope task = PageTasks.first(integration, window);
      ids.add(sender.send(pollQueueUrl, task, Map.of()));
    }
    return ids;
  }
}
