package dev.sluice.auth.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Keeps each secret value for a fixed time after it was read, so a warm function does not call its
 * secret source once per record. A value is read again after the time to live, or at once after
 * {@link #invalidate}.
 */
final class CachingSecretStore implements SecretStore {

  private final Function<String, String> source;
  private final Duration ttl;
  private final Clock clock;
  private final ConcurrentMap<String, Cached> values = new ConcurrentHashMap<>();

  /**
   * @param source reads a secret's current value, or throws {@link SecretNotFoundException}
   * @param ttl how long a value is reused; zero reads the source every time
   * @param clock the time the entries are aged against
   */
  CachingSecretStore(Function<String, String> source, Duration ttl, Clock clock) {
    this.source = source;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public String secretString(String secretId) {
    // compute() runs one read per secret at a time, so concurrent misses cost one call.
    return values
        .compute(
            secretId,
            (id, cached) ->
                cached != null && cached.isFreshAt(clock.instant())
                    ? cached
                    : new Cached(source.apply(id), clock.instant().plus(ttl)))
        .value();
  }

  @Override
  public void invalidate(String secretId) {
    values.remove(secretId);
  }

  private record Cached(String value, Instant expiresAt) {

    boolean isFreshAt(Instant now) {
      return now.isBefore(expiresAt);
    }
  }
}
