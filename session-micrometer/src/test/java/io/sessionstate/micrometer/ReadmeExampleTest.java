package io.sessionstate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.memory.MemorySessionStore;
import org.junit.jupiter.api.Test;

/** The README's metrics example, compiled and run. */
class ReadmeExampleTest {

  @Test
  void readmeExample_recordsARequestsStoreCalls() {
    MeterRegistry registry = new SimpleMeterRegistry();
    KeyRing keyRing = KeyRing.generate();

    // README: metrics
    MemorySessionStore store = MemorySessionStore.builder().build();
    SessionManager manager =
        SessionManager.builder()
            .store(store)
            .keyRing(keyRing)
            .observer(SessionMetrics.of(registry, Tags.of("application", "shop")))
            .build();
    new MemoryStoreMetrics(store).bindTo(registry); // the memory store's gauges
    // README end

    try (manager) {
      new Browser(manager).run(s -> s.setString("user", "ada"));
    }
    assertThat(
            registry
                .get(SessionMetrics.OPERATION_DURATION)
                .tags("application", "shop", "db.system.name", "memory")
                .tag("db.operation.name", "conditional_save")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(SessionMetrics.CREATED).counter().count()).isEqualTo(1);
  }
}
