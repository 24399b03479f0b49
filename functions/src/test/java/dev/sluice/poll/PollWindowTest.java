package dev.sluice.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.events.ScheduledEvent;
import dev.sluice.json.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Windows derived from the scheduled event alone, whatever shape it came in. */
class PollWindowTest {

  @Test
  void window_reachesBackIntervalPlusOverlap() {
    PollWindow window =
        PollWindow.scheduled(
            Instant.parse("2026-12-03T10:15:00.482Z"),
            Duration.ofMinutes(15),
            Duration.ofMinutes(5));

    assertThat(window.from()).isEqualTo(Instant.parse("2026-12-03T09:55:00Z"));
    assertThat(window.to()).isEqualTo(Instant.parse("2026-12-03T10:15:00Z"));
  }

  @Test
  void consecutiveWindows_overlap() {
    Duration interval = Duration.ofMinutes(15);
    Duration overlap = Duration.ofMinutes(5);
    PollWindow first =
        PollWindow.scheduled(Instant.parse("2026-12-03T10:00:00Z"), interval, overlap);
    PollWindow second =
        PollWindow.scheduled(Instant.parse("2026-12-03T10:15:00Z"), interval, overlap);

    assertThat(second.from()).isEqualTo(first.to().minus(overlap));
  }

  @Test
  void scheduledTime_fromEveryShapeOfTheEvent() throws Exception {
    assertThat(event("{\"source\":\"aws.events\",\"time\":\"2020-09-30T15:58:34Z\",\"detail\":{}}"))
        .isEqualTo(Instant.parse("2020-09-30T15:58:34Z"));
    assertThat(
            event(
                "{\"source\":\"aws.scheduler\",\"time\":\"2024-05-07T15:58:34Z\","
                    + "\"detail\":\"{}\"}"))
        .isEqualTo(Instant.parse("2024-05-07T15:58:34Z"));
    // A Scheduler input templated with <aws.scheduler.scheduled-time>, as object and as string.
    assertThat(
            event(
                "{\"time\":\"2024-05-07T15:58:39Z\","
                    + "\"detail\":{\"scheduledTime\":\"2024-05-07T15:58:00Z\"}}"))
        .isEqualTo(Instant.parse("2024-05-07T15:58:00Z"));
    assertThat(
            event(
                "{\"time\":\"2024-05-07T15:58:39Z\","
                    + "\"detail\":\"{\\\"scheduledTime\\\":\\\"2024-05-07T15:58:00Z\\\"}\"}"))
        .isEqualTo(Instant.parse("2024-05-07T15:58:00Z"));
  }

  @Test
  void pageTask_roundTripsThroughTheEnvelope() {
    PollWindow window =
        new PollWindow(
            Instant.parse("2026-12-03T09:55:00Z"), Instant.parse("2026-12-03T10:15:00Z"));

    JsonNode payload = PageTasks.first("demo", window).payload();
    PageTask next = Json.mapper().convertValue(payload, PageTask.class).next("NTI1Cg%3D%3D");

    assertThat(next.window()).isEqualTo(window);
    assertThat(next.after()).isEqualTo("NTI1Cg%3D%3D");
    assertThat(next.page()).isEqualTo(2);
    assertThat(PageTasks.first("demo", window).correlationId())
        .isEqualTo(PageTasks.first("demo", window).correlationId());
  }

  private static Instant event(String json) throws Exception {
    return Json.mapper().readValue(json, ScheduledEvent.class).scheduledTime();
  }
}
