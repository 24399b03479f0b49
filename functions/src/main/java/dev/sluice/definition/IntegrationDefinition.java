package dev.sluice.definition;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One integration as its team describes it in {@code integrations/<name>/integration.yaml}: what
 * triggers it, how records are mapped and checked, where they go, and who answers for it.
 *
 * @param name unique, lower-case, hyphenated; used in queue, function and stack names
 * @param description one line for people reading alarms and dashboards
 * @param governance owner, maintainer, SLA and runbook, carried into every alarm
 * @param trigger how records arrive
 * @param transform the mapping and the target schema, as files next to the definition
 * @param target the API records are delivered to
 * @param queues batch sizes, retries and retention of the integration's queues
 */
public record IntegrationDefinition(
    String name,
    String description,
    Governance governance,
    Trigger trigger,
    Transform transform,
    Target target,
    Queues queues) {

  public IntegrationDefinition {
    Objects.requireNonNull(name, "name");
    queues = queues == null ? Queues.DEFAULTS : queues;
  }

  /**
   * This definition with the target and token URLs whose host is a key of {@code redirects} pointed
   * at the mapped base URL instead (path and query kept).
   */
  public IntegrationDefinition redirected(Map<String, URI> redirects) {
    if (redirects.isEmpty() || target == null) {
      return this;
    }

    TargetAuth auth = target.auth();
    TargetAuth redirectedAuth =
        auth == null
            ? null
            : new TargetAuth(
                auth.type(),
                auth.secret(),
                auth.header(),
                redirect(auth.tokenUrl(), redirects),
                auth.scope());
    Target redirectedTarget =
        new Target(
            redirect(target.url(), redirects),
            target.method(),
            redirectedAuth,
            target.idempotencyHeader(),
            target.timeoutSeconds(),
            target.headers());
    return new IntegrationDefinition(
        name, description, governance, trigger, transform, redirectedTarget, queues);
  }

  private static String redirect(String url, Map<String, URI> redirects) {
    if (url == null) {
      return null;
    }

    URI original = URI.create(url);
    URI base = redirects.get(original.getHost());
    if (base == null) {
      return url;
    }
    String query = original.getRawQuery() == null ? "" : "?" + original.getRawQuery();
    return base.getScheme() + "://" + base.getRawAuthority() + original.getRawPath() + query;
  }

  /** Who answers for the integration. */
  public record Governance(
      String owner, String maintainer, String sla, String runbook, String dataClassification) {}

  /**
   * How records arrive.
   *
   * @param type {@code webhook} (or {@code schedule} for pulled integrations)
   * @param scheme the webhook signature scheme: stripe, github, shopify, slack, standard-webhooks
   * @param secret name or ARN of the secret holding the webhook signing secret
   * @param toleranceSeconds how far a signed timestamp may be from now, in either direction
   * @param maxBodyBytes largest accepted webhook body in bytes
   */
  public record Trigger(
      String type, String scheme, String secret, Long toleranceSeconds, Integer maxBodyBytes) {

    public static final long DEFAULT_TOLERANCE_SECONDS = 300;

    /** SQS takes 256 KiB per message; this leaves room for the envelope and attributes. */
    public static final int DEFAULT_MAX_BODY_BYTES = 200 * 1024;

    public long toleranceSecondsOrDefault() {
      return toleranceSeconds == null ? DEFAULT_TOLERANCE_SECONDS : toleranceSeconds;
    }

    public int maxBodyBytesOrDefault() {
      return maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
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
