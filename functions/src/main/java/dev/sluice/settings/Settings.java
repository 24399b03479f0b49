package dev.sluice.settings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a handler reads from its environment, typed and checked in one place.
 *
 * <p>In AWS the CDK app sets these variables on each function (names and ARNs only, never secret
 * values); the local runner builds the same settings from a map.
 *
 * @param integration the integration this function serves
 * @param ingestQueueUrl queue between ingress or poll and transform
 * @param pollQueueUrl queue of page tasks the poll function consumes and writes
 * @param deliverQueueUrl queue between transform and deliver
 * @param quarantineQueueUrl where records that fail the target checks go
 * @param deadLetterQueueUrl where deliver puts records that can never be delivered
 * @param secretsFile local secrets file; when absent, secrets come from Secrets Manager
 * @param awsEndpoint an AWS-compatible endpoint (emulator); when absent, the SDK default
 * @param awsRegion region for the AWS clients
 * @param secretCacheTtl how long a secret value is reused before it is read again
 */
public record Settings(
    String integration,
    Optional<String> ingestQueueUrl,
    Optional<String> pollQueueUrl,
    Optional<String> deliverQueueUrl,
    Optional<String> quarantineQueueUrl,
    Optional<String> deadLetterQueueUrl,
    Optional<Path> secretsFile,
    Optional<URI> awsEndpoint,
    String awsRegion,
    Duration secretCacheTtl) {

  public static final String INTEGRATION = "SLUICE_INTEGRATION";
  public static final String INGEST_QUEUE_URL = "SLUICE_INGEST_QUEUE_URL";
  public static final String POLL_QUEUE_URL = "SLUICE_POLL_QUEUE_URL";
  public static final String DELIVER_QUEUE_URL = "SLUICE_DELIVER_QUEUE_URL";
  public static final String QUARANTINE_QUEUE_URL = "SLUICE_QUARANTINE_QUEUE_URL";
  public static final String DEAD_LETTER_QUEUE_URL = "SLUICE_DEAD_LETTER_QUEUE_URL";
  public static final String SECRETS_FILE = "SLUICE_SECRETS_FILE";
  public static final String SECRET_CACHE_SECONDS = "SLUICE_SECRET_CACHE_SECONDS";
  public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
  public static final String AWS_REGION = "AWS_REGION";

  private static final String DEFAULT_REGION = "us-east-1";
  private static final Duration DEFAULT_SECRET_CACHE_TTL = Duration.ofMinutes(5);

  /** Settings of a function running in Lambda (or any process with the variables set). */
  public static Settings fromEnvironment() {
    return from(System.getenv());
  }

  /**
   * Settings from a map of variable names to values.
   *
   * @throws InvalidSettingsException naming the variable that is missing or malformed
   */
  public static Settings from(Map<String, String> env) {
    String integration = optional(env, INTEGRATION).orElse(null);
    if (integration == null) {
      throw new InvalidSettingsException(INTEGRATION + " is not set: name the integration");
    }

    return new Settings(
        integration,
        optional(env, INGEST_QUEUE_URL),
        optional(env, POLL_QUEUE_URL),
        optional(env, DELIVER_QUEUE_URL),
        optional(env, QUARANTINE_QUEUE_URL),
        optional(env, DEAD_LETTER_QUEUE_URL),
        optional(env, SECRETS_FILE).map(Path::of),
        optional(env, AWS_ENDPOINT_URL).map(value -> uri(AWS_ENDPOINT_URL, value)),
        optional(env, AWS_REGION).orElse(DEFAULT_REGION),
        optional(env, SECRET_CACHE_SECONDS)
            .map(value -> Duration.ofSeconds(positiveLong(SECRET_CACHE_SECONDS, value)))
            .orElse(DEFAULT_SECRET_CACHE_TTL));
  }

  /** The queue URL, or a clear error naming the variable the function lacks. */
  public static String required(Optional<String> value, String variable) {
    return value.orElseThrow(
        () -> new InvalidSettingsException(variable + " is not set on this function"));
  }

  private static Optional<String> optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static URI uri(String name, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingsException(name + " is not a URL (" + e.getMessage() + ")");
    }
  }

  private static long positiveLong(String name, String value) {
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw new NumberFormatException("negative");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidSettingsException(name + " must be a whole number of seconds >= 0");
    }
  }
}
