package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A Sentinel failover under load. */
@ExtendWith(SharedRedisFixtures.class)
class RedisSentinelIT {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static RedisSentinelFixture sentinel;

  private final String app = "sn" + UUID.randomUUID().toString().replace("-", "");

  @BeforeAll
  static void sentinel(RedisSentinelFixture shared) {
    sentinel = shared;
  }

  @Test
  void masterKilledUnderLoad_failsOnlyWithStoreErrorsForAtMostFiveSeconds() throws Exception {
    try (RedisSessionStore store =
        RedisSessionStore.builder()
            .sentinel(RedisSentinelFixture.MASTER_NAME, sentinel.sentinelAddresses())
            .applicationName(app)
            .build()) {
      Map<String, byte[]> before = new LinkedHashMap<>();
      for (int i = 0; i < 300; i++) {
        byte[] blob = ("before-" + i).getBytes(StandardCharsets.UTF_8);
        String key = "before-" + i;
        store.save(key, blob, TTL);
        before.put(key, blob);
      }
      sentinel.awaitReplicaSynced();
      RedisServerProcess victim = sentinel.master();
      RedisServerProcess heir = sentinel.replica();

      LoadUnderFault load = LoadUnderFault.start(store, 8, "load");
      List<LoadUnderFault.Outcome> outcomes;
      long killed;
      try {
        RedisServerProcess.sleep(Duration.ofSeconds(1));
        killed = System.nanoTime();
        victim.kill();
        sentinel.awaitMaster(heir);
        RedisServerProcess.sleep(Duration.ofSeconds(2));
      } finally {
        outcomes = load.stop();
      }
      LoadUnderFault.Report report = LoadUnderFault.Report.of(outcomes, killed);
      try {
        assertThat(report.foreignFailures())
            .as("failures that are not the store's: %s", report)
            .isEmpty();
        assertThat(report.failures()).as("the loss is noticed: %s", report).isPositive();
        assertThat(report.window()).as("%s", report).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(report.successesAfterWindow()).as("%s", report).isPositive();
        for (Map.Entry<String, byte[]> e : before.entrySet()) {
          assertThat(store.loadAndTouch(e.getKey(), TTL))
              .as("session %s written before the fault", e.getKey())
              .hasValueSatisfying(b -> assertThat(b).isEqualTo(e.getValue()));
        }
      } finally {
        System.out.println("Sentinel master killed: " + report);
        sentinel.replaceDead();
      }
    }
  }
}
