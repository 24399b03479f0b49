package dev.sluice.poll;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One page of one window, as it travels on the poll queue in an envelope's payload: the poll
 * function fetches that page, enqueues its records and the task of the next page. A run cut short
 * resumes from the task still on the queue; a task that keeps failing ends in the dead-letter queue
 * and is replayed by moving it back.
 *
 * @param from the window's start
 * @param to the window's end
 * @param after the source's cursor for this page; null for the first page
 * @param page 1 for the first page, for logs and metrics
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PageTask(Instant from, Instant to, String after, int page) {

  /** The first page of a window. */
  public static PageTask first(PollWindow window) {
    return new PageTask(window.from(), window.to(), null, 1);
  }

  /** The page after this one, at the source's cursor. */
  public PageTask next(String cursor) {
    return new PageTask(from, to, cursor, page + 1);
  }

  public PollWindow window() {
    return new PollWindow(from, to);
  }
}
