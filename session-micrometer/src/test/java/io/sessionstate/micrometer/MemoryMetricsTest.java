package io.sessionstate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The meter sequence over the memory store, whose "server down" is the store closed under the
 * manager; and the memory store's gauges.
 */
class MemoryMetricsTest extends MeterSequence {
  private MemorySessionStore down;

  @Override
  SessionStore newStore() {
    return MemorySessionStore.builder().build();
  }

  @Override
  void writeRaw(SessionStore store, String key, byte[] bytes) {
    // The memory store has no server: its own save, not observed, is the back door.
    store.save(key, bytes, Duration.ofMinutes(5));
  }

  @Override
  SessionStore storeToBringDown() {
    down = MemorySessionStore.builder().build();
    return down;
  }

  @Override
  void bringDown() {
    down.close();
  }

  @Override
  String systemName() {
    return "memory";
  }

  @Override
  Set<String> downErrorTypes() {
    return Set.of("io.sessionstate.SessionStoreException");
  }

  @Test
  void gauges_readTheStoresWeightBoundAndEntries() {
    MemorySessionStore store = MemorySessionStore.builder().maximumBytes(1 << 20).build();
    new MemoryStoreMetrics(store).bindTo(registry);
    try (SessionManager manager =
        SessionManager.builder().store(store).keyRing(KeyRing.generate()).build()) {
      assertThat(gauge(MemoryStoreMetrics.ENTRIES)).isZero();
      assertThat(gauge(MemoryStoreMetrics.WEIGHT)).isZero();
      for (int i = 0; i < 3; i++) {
        new Browser(manager).run(s -> s.setString("user", "x".repeat(1000)));
      }

      assertThat(gauge(MemoryStoreMetrics.ENTRIES)).isEqualTo(3);
      assertThat(gauge(MemoryStoreMetrics.WEIGHT))
          .isEqualTo(store.usedBytes())
          .isGreaterThan(3 * 1000 + 3 * MemorySessionStore.ENTRY_OVERHEAD_BYTES);
      assertThat(gauge(MemoryStoreMetrics.MAXIMUM_WEIGHT)).isEqualTo(1 << 20);
      assertThat(registry.get(MemoryStoreMetrics.WEIGHT).gauge().getId().getTag("db.system.name"))
          .isEqualTo("memory");
    }
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }
}
