package dev.sluice.auth.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingSecretStoreTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final AtomicInteger reads = new AtomicInteger();

  private final CachingSecretStore store =
      new CachingSecretStore(
          id -> id + "-v" + reads.incrementAndGet(), Duration.ofMinutes(5), clock);

  @Test
  void secretString_withinTtl_readsTheSourceOnce() {
    String first = store.secretString("db");

    clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    String second = store.secretString("db");

    assertThat(second).isEqualTo(first).isEqualTo("db-v1");
    assertThat(reads).hasValue(1);
  }

  @Test
  void secretString_afterTtl_readsTheSourceAgain() {
    store.secretString("db");

    clock.advance(Duration.ofMinutes(5));

    assertThat(store.secretString("db")).isEqualTo("db-v2");
  }

  @Test
  void secretString_afterInvalidate_readsTheSourceAgain() {
    store.secretString("db");

    store.invalidate("db");

    assertThat(store.secretString("db")).isEqualTo("db-v2");
  }

  @Test
  void secretString_cachesEachSecretSeparately() {
    store.secretString("a");
    store.secretString("b");

    store.invalidate("a");

    assertThat(store.secretString("b")).isEqualTo("b-v2");
    assertThat(store.secretString("a")).isEqualTo("a-v3");
  }

  @Test
  void secretString_withZeroTtl_readsEveryTime() {
    CachingSecretStore uncached =
        new CachingSecretStore(id -> "v" + reads.incrementAndGet(), Duration.ZERO, clock);

    uncached.secretString("x");
    uncached.secretString("x");

    assertThat(reads).hasValue(2);
  }
}
