package dev.sluice.definition;

import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One integration as its team describes it in {@code integrations/<name>/integration.yaml}: what
 * triggers it, how records are mapped and checked, where they go, and who answers for it.
 *
 * @param name unique, lower-case, hyphenated; used in queue, function and stack names
 * @param description one line for people reading alarms and dashboards
 * @param governance owner, maintainer, SLA and runbook, carried into every alarm
 * @param trigger how records arrive
 * @param source the API a scheduled integration pulls records from; absent for webhooks
 * @param transform the mapping and the target schema, as files next to the definition
 * @param target the API records are delivered to
 * @param queues batch sizes, retries and retention of the integration's queues
 */
public record IntegrationDefinition(
    String name,
    String description,
    Governance governance,
    Trigger trigger,
    Source source,
    Transform transform,
    Target target,
    Queues queues) {

  public IntegrationDefinition {
    Objects.requireNonNull(name, "name");
    queues = queues == null ? Queues.DEFAULTS : queues;
  }

  /** A definition without a source (webhook integrations), as before sources existed. */
  public IntegrationDefinition(
      String name,
      String description,
      Governance governance,
      Trigger trigger,
      Transform transform,
      Target target,
      Queues queues) {
    this(name, description, governance, trigger, null, transform, target, queues);
  }

  /** Whether records are pulled on a schedule rather than pushed by webhooks. */
  public boolean isScheduled() {
    return trigger != null && Trigger.SCHEDULE.equals(trigger.type());
  }

  /**
   * This definition with the target and token URLs whose host is a key of {@code redirects} pointed
   * at the mapped base URL instead (path and query kept).
   */
  public IntegrationDefinition redirected(Map<String, URI> redirects) {
    if (redirects.isEmpty()) {
      return this;
    }

    Target redirectedTarget =
        target == null
            ? null
            : new Target(
                redirect(target.url(), redirects),
                target.method(),
                redirect(target.auth(), redirects),
                target.idempotencyHeader(),
                target.timeoutSeconds(),
                target.headers());
    Source redirectedSource =
        source == null
            ? null
            : new Source(
                source.type(),
                redirect(source.url(), redirects),
                redirect(source.auth(), redirects),
                source.properties(),
                source.modifiedProperty(),
                source.pageSize(),
                source.timeoutSeconds());
    return new IntegrationDefinition(
        name,
        description,
        governance,
        trigger,
        redirectedSource,
        transform,
        redirectedTarget,
        queues);
  }

  private static TargetAuth redirect(TargetAuth auth, Map<String, URI> redirects) {
    return auth == null
        ? null
        : new TargetAuth(
            auth.type(),
            auth.secret(),
            auth.header(),
            redirect(auth.tokenUrl(), redirects),
            auth.scope());
  }

  /** Replaces scheme, host and port; the rest (path, {placeholders}, query) stays as written. */
  private static String redirect(String url, Map<String, URI> redirects) {
    if (url == null) {
      return null;
    }

    Matcher parts = URL_PARTS.matcher(url);
    if (!parts.matches()) {
      return url;
    }
    String authority = parts.group(2);
    String host = authority.substring(authority.lastIndexOf('@') + 1).replaceFirst(":\\d+$", "");
    URI base = redirects.get(host);
    if (base == null) {
      return url;
    }
    return base.getScheme() + "://" + base.getRawAuthority() + parts.group(3);
  }

  /** scheme://authority and the rest, without parsing the rest (it may hold placeholders). */
  private static final Pattern URL_PARTS =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*)://([^/?#]+)(.*)");

  /** Who answers for the integration. */
  public record Governance(
      String owner, String maintainer, String sla, String runbook, String dataClassification) {}

  /**
   * How records arrive.
   *
   * @param type {@code webhook}, or {@code schedule} for pulled integrations
   * @param scheme the webhook signature scheme: stripe, github, shopify, slack, standard-webhooks
   * @param secret name or ARN of the secret holding the webhook signing secret
   * @param toleranceSeconds how far a signed timestamp may be from now, in either direction
   * @param maxBodyBytes largest accepted webhook body in bytes
   * @param schedule EventBridge Scheduler expression, {@code rate(15 minutes)} or {@code cron(...)}
   * @param timezone IANA time zone a cron schedule runs in (Scheduler's {@code
   *     ScheduleExpressionTimezone}), so daylight saving does not shift local-time schedules; UTC
   *     by default
   * @param windowMinutes the interval a poll covers; required for cron, the rate for rate()
   * @param overlapMinutes how far each window reaches back into the previous one, so records
   *     indexed late by the source are not missed; {@value #DEFAULT_OVERLAP_MINUTES} by default
   * @param retryAttempts how often Scheduler and the asynchronous invocation retry a failed start,
   *     set on both explicitly; {@value #DEFAULT_RETRY_ATTEMPTS} by default
   */
  public record Trigger(
      String type,
      String scheme,
      String secret,
      Long toleranceSeconds,
      Integer maxBodyBytes,
      String schedule,
      String timezone,
      Integer windowMinutes,
      Integer overlapMinutes,
      Integer retryAttempts) {

    /** {@code type} of a webhook integration. */
    public static final String WEBHOOK = "webhook";

    /** {@code type} of an integration pulled on a schedule. */
    public static final String SCHEDULE = "schedule";

    public static final long DEFAULT_TOLERANCE_SECONDS = 300;

    /** SQS takes 256 KiB per message; this leaves room for the envelope and attributes. */
    public static final int DEFAULT_MAX_BODY_BYTES = 200 * 1024;

    public static final int DEFAULT_OVERLAP_MINUTES = 5;
    public static final int DEFAULT_RETRY_ATTEMPTS = 2;

    /** A webhook trigger, as before schedules existed. */
    public Trigger(
        String type, String scheme, String secret, Long toleranceSeconds, Integer maxBodyBytes) {
      this(type, scheme, secret, toleranceSeconds, maxBodyBytes, null, null, null, null, null);
    }

    /**
     * The schedule, checked.
     *
     * @throws InvalidDefinitionException when it is missing or malformed
     */
    public ScheduleExpression scheduleExpression(String integration) {
      return ScheduleExpression.parse(integration + ": trigger.schedule", schedule);
    }

    /**
     * The interval one poll covers: {@code windowMinutes}, else the rate of the schedule.
     *
     * @throws InvalidDefinitionException for a cron schedule without {@code windowMinutes}
     */
    public Duration window(String integration) {
      if (windowMinutes != null) {
        return Duration.ofMinutes(windowMinutes);
      }
      return scheduleExpression(integration)
          .rate()
          .orElseThrow(
              () ->
                  new InvalidDefinitionException(
                      integration
                          + ": trigger.windowMinutes is required with a cron schedule (the"
                          + " interval between two runs)"));
    }

    public Duration overlapOrDefault() {
      return Duration.ofMinutes(overlapMinutes == null ? DEFAULT_OVERLAP_MINUTES : overlapMinutes);
    }

    public int retryAttemptsOrDefault() {
      return retryAttempts == null ? DEFAULT_RETRY_ATTEMPTS : retryAttempts;
    }

    public ZoneId timezoneOrDefault() {
      return timezone == null ? ZoneOffset.UTC : ZoneId.of(timezone);
    }

    /**
     * Checks a schedule trigger: expression, window, overlap, time zone and retries.
     *
     * @throws InvalidDefinitionException naming the field that is wrong
     */
    public void validateSchedule(String integration) {
      scheduleExpression(integration);
      if (window(integration).isZero() || window(integration).isNegative()) {
        throw new InvalidDefinitionException(integration + ": trigger.windowMinutes must be > 0");
      }
      if (overlapMinutes != null && overlapMinutes < 0) {
        throw new InvalidDefinitionException(integration + ": trigger.overlapMinutes must be >= 0");
      }
      // Scheduler's RetryPolicy allows 0 to 185 attempts, an async invocation 0 to 2.
      if (retryAttempts != null && (retryAttempts < 0 || retryAttempts > 2)) {
        throw new InvalidDefinitionException(
            integration + ": trigger.retryAttempts must be 0, 1 or 2");
      }
      try {
        timezoneOrDefault();
      } catch (DateTimeException e) {
        throw new InvalidDefinitionException(
            integration + ": trigger.timezone '" + timezone + "' is not an IANA time zone");
      }
    }

    public long toleranceSecondsOrDefault() {
      return toleranceSeconds == null ? DEFAULT_TOLERANCE_SECONDS : toleranceSeconds;
    }

    public int maxBodyBytesOrDefault() {
      return maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    }
  }

  /**
   * The API a scheduled integration pulls from.
   *
   * @param type the kind of source: {@code hubspot-crm-search}
   * @param url the search endpoint, e.g. {@code
   *     https://api.hubapi.com/crm/v3/objects/contacts/search}
   * @param auth how Sluice authenticates to it (same types as {@code target.auth})
   * @param properties the properties each record should carry
   * @param modifiedProperty the property the window filters and sorts on
   * @param pageSize records per page (HubSpot allows at most 200)
   * @param timeoutSeconds per-request timeout
   */
  public record Source(
      String type,
      String url,
      TargetAuth auth,
      List<String> properties,
      String modifiedProperty,
      Integer pageSize,
      Integer timeoutSeconds) {

    /** {@code type} of HubSpot's CRM v3 search endpoints. */
    public static final String HUBSPOT_CRM_SEARCH = "hubspot-crm-search";

    public int pageSizeOrDefault() {
      return pageSize == null ? 100 : pageSize;
    }

    public int timeoutSecondsOrDefault() {
      return timeoutSeconds == null ? 10 : timeoutSeconds;
    }

    public String modifiedPropertyOrDefault() {
      return modifiedProperty == null ? "lastmodifieddate" : modifiedProperty;
    }

    public List<String> propertiesOrDefault() {
      return properties == null ? List.of() : properties;
    }
  }

  /**
   * Mapping and checks, as file names relative to the definition's folder.
   *
   * @param mapping JSONata expression turning a source event into a target record
   * @param schema JSON Schema (2020-12) the mapped record must satisfy
   * @param idempotencyKey JSONata expression over the source event giving a stable key; when absent
   *     the envelope's source event id is used
   */
  public record Transform(String mapping, String schema, String idempotencyKey) {}

  /**
   * The API records are delivered to.
   *
   * @param url full URL of the endpoint
   * @param method HTTP method, POST by default
   * @param auth how Sluice authenticates to it
   * @param idempotencyHeader header that carries the idempotency key
   * @param timeoutSeconds per-request timeout
   * @param headers fixed extra headers (never secrets)
   */
  public record Target(
      String url,
      String method,
      TargetAuth auth,
      String idempotencyHeader,
      Integer timeoutSeconds,
      Map<String, String> headers) {

    public String methodOrDefault() {
      return method == null ? "POST" : method.toUpperCase(java.util.Locale.ROOT);
    }

    public int timeoutSecondsOrDefault() {
      return timeoutSeconds == null ? 10 : timeoutSeconds;
    }
  }

  /**
   * Target credentials: the secret holds the values, the definition only names it.
   *
   * @param type {@code api-key}, {@code basic} or {@code oauth2-client-credentials}
   * @param secret name or ARN of the secret
   * @param header header name for {@code api-key}
   * @param tokenUrl token endpoint for {@code oauth2-client-credentials}
   * @param scope space-separated scopes to request, if any
   */
  public record TargetAuth(
      String type, String secret, String header, String tokenUrl, String scope) {}

  /**
   * Queue settings shared by the integration's queues.
   *
   * @param batchSize records per handler invocation
   * @param maxReceiveCount deliveries before a record is dead-lettered
   * @param retentionHours how long a record may wait in a queue (business data is not kept)
   * @param reservedConcurrency how many instances of each of the integration's functions may run at
   *     once in AWS (their reserved concurrency); it also caps how fast queues are drained
   */
  public record Queues(
      Integer batchSize,
      Integer maxReceiveCount,
      Integer retentionHours,
      Integer reservedConcurrency) {

    static final Queues DEFAULTS = new Queues(10, 3, 24, 5);

    /** Settings without a concurrency limit of their own (the default applies). */
    public Queues(Integer batchSize, Integer maxReceiveCount, Integer retentionHours) {
      this(batchSize, maxReceiveCount, retentionHours, null);
    }

    public int batchSizeOrDefault() {
      return batchSize == null ? 10 : batchSize;
    }

    public int maxReceiveCountOrDefault() {
      return maxReceiveCount == null ? 3 : maxReceiveCount;
    }

    public int retentionHoursOrDefault() {
      return retentionHours == null ? 24 : retentionHours;
    }

    public int reservedConcurrencyOrDefault() {
      return reservedConcurrency == null ? 5 : reservedConcurrency;
    }
  }
}
