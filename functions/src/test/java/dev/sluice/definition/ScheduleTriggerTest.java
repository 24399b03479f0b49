package dev.sluice.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedule triggers: expressions, windows and the checks a definition must pass at load. */
class ScheduleTriggerTest {

  @TempDir Path folder;

  @Test
  void rate_givesTheWindow() {
    assertThat(ScheduleExpression.parse("x", "rate(15 minutes)").rate())
        .contains(Duration.ofMinutes(15));
    assertThat(ScheduleExpression.parse("x", "rate(1 hour)").rate()).contains(Duration.ofHours(1));
    assertThat(ScheduleExpression.parse("x", "rate(2 days)").rate()).contains(Duration.ofDays(2));
  }

  @Test
  void cron_withDayOfWeekOnly_isAccepted() {
    assertThat(ScheduleExpression.parse("x", "cron(0 8 ? * MON-FRI *)").rate()).isEmpty();
    assertThat(ScheduleExpression.parse("x", "cron(0/15 * * * ? *)").rate()).isEmpty();
  }

  @Test
  void cron_withDayOfMonthAndDayOfWeek_isRefused() {
    assertThatThrownBy(
            () -> ScheduleExpression.parse("demo: trigger.schedule", "cron(0 8 1 * MON *)"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("demo: trigger.schedule")
        .hasMessageContaining("exactly one of day-of-month");
    assertThatThrownBy(() -> ScheduleExpression.parse("x", "cron(0 8 ? * ? *)"))
        .isInstanceOf(InvalidDefinitionException.class);
  }

  @Test
  void malformedExpressions_areRefused() {
    for (String bad : new String[] {"every 5 minutes", "rate(0 minutes)", "cron(0 8 * *)", ""}) {
      assertThatThrownBy(() -> ScheduleExpression.parse("x", bad))
          .as(bad)
          .isInstanceOf(InvalidDefinitionException.class);
    }
  }

  @Test
  void load_checksTheScheduleAndKeepsTheDefaultsExplicit() throws Exception {
    write("hourly", "schedule: rate(1 hour)\n    timezone: Europe/Berlin");

    IntegrationDefinition definition = DefinitionCatalog.folder(folder).load("hourly");

    assertThat(definition.isScheduled()).isTrue();
    assertThat(definition.trigger().window("hourly")).isEqualTo(Duration.ofHours(1));
    assertThat(definition.trigger().overlapOrDefault()).isEqualTo(Duration.ofMinutes(5));
    assertThat(definition.trigger().retryAttemptsOrDefault()).isEqualTo(2);
    assertThat(definition.trigger().timezoneOrDefault()).isEqualTo(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void load_refusesCronOnBothDayFields_cronWithoutWindow_andUnknownZones() throws Exception {
    write("both", "schedule: cron(0 8 1 * MON *)\n    windowMinutes: 60");
    write("nowindow", "schedule: cron(0 8 ? * MON *)");
    write("zone", "schedule: rate(5 minutes)\n    timezone: Mars/Olympus");
    write("retries", "schedule: rate(5 minutes)\n    retryAttempts: 9");

    DefinitionCatalog catalog = DefinitionCatalog.folder(folder);

    assertThatThrownBy(() -> catalog.load("both")).hasMessageContaining("day-of-month");
    assertThatThrownBy(() -> catalog.load("nowindow")).hasMessageContaining("windowMinutes");
    assertThatThrownBy(() -> catalog.load("zone")).hasMessageContaining("Mars/Olympus");
    assertThatThrownBy(() -> catalog.load("retries")).hasMessageContaining("retryAttempts");
  }

  @Test
  void webhookDefinitions_loadAsBefore() throws Exception {
    Path stripe = Path.of(System.getProperty("sluice.repository.root"), "integrations");

    IntegrationDefinition definition =
        DefinitionCatalog.folder(stripe).load("stripe-invoice-to-accounting");

    assertThat(definition.isScheduled()).isFalse();
    assertThat(definition.source()).isNull();
  }

  private void write(String name, String trigger) throws Exception {
    Files.createDirectories(folder.resolve(name));
    Files.writeString(
        folder.resolve(name).resolve("integration.yaml"),
        """
        name: %s
        trigger:
          type: schedule
          %s
        source:
          type: hubspot-crm-search
          url: https://api.hubapi.com/crm/v3/objects/contacts/search
        """
            .formatted(name, trigger.replace("\n    ", "\n  ")));
  }
}
