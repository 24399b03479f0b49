package dev.sluice.definition;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge Scheduler expression, {@code rate(15 minutes)} or {@code cron(0/15 * * * ? *)},
 * checked as Scheduler checks it so that a bad definition fails at load and not at deploy.
 *
 * <p>Cron expressions have six fields (minutes, hours, day-of-month, month, day-of-week, year) and
 * exactly one of day-of-month and day-of-week must be {@code ?}: setting both is refused, see
 * "Schedule types on EventBridge Scheduler", Amazon EventBridge Scheduler User Guide.
 *
 * @param text the expression as written
 * @param rate the interval of a rate expression; empty for cron
 */
public record ScheduleExpression(String text, Optional<Duration> rate) {

  private static final Pattern RATE = Pattern.compile("rate\\((\\d{1,6}) (minute|hour|day)s?\\)");
  private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");

  /**
   * Parses and checks an expression.
   *
   * @param where the definition's name and field, for messages
   * @throws InvalidDefinitionException saying what is wrong and what is allowed
   */
  public static ScheduleExpression parse(String where, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidDefinitionException(
          where + " is missing: use rate(15 minutes) or cron(0/15 * * * ? *)");
    }
    String trimmed = text.strip();

    Matcher rate = RATE.matcher(trimmed);
    if (rate.matches()) {
      long value = Long.parseLong(rate.group(1));
      if (value < 1) {
        throw new InvalidDefinitionException(where + ": a rate must be at least 1");
      }
      Duration unit =
          switch (rate.group(2)) {
            case "minute" -> Duration.ofMinutes(1);
            case "hour" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
          };
      return new ScheduleExpression(trimmed, Optional.of(unit.multipliedBy(value)));
    }

    Matcher cron = CRON.matcher(trimmed);
    if (!cron.matches()) {
      throw new InvalidDefinitionException(
          where + " '" + trimmed + "' is neither rate(<n> <unit>) nor cron(<six fields>)");
    }
    String[] fields = cron.group(1).strip().split("\\s+");
    if (fields.length != 6) {
      throw new InvalidDefinitionException(
          where
              + ": a cron expression has six fields (minutes hours day-of-month month day-of-week"
              + " year), not "
              + fields.length);
    }
    boolean dayOfMonthSet = !"?".equals(fields[2]);
    boolean dayOfWeekSet = !"?".equals(fields[4]);
    if (dayOfMonthSet == dayOfWeekSet) {
      throw new InvalidDefinitionException(
          where
              + ": set exactly one of day-of-month (field 3) and day-of-week (field 5) and put ? in"
              + " the other; a schedule on both would fire on either, which is rarely meant");
    }
    return new ScheduleExpression(trimmed, Optional.empty());
  }
}
