package io.sessionstate.redis;

import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A Sentinel failover under load. */
@ExtendWith(SharedRedisFixtures.class)
class RedisSentinelIT {
  private static RedisSentinelFixture sentinel;

  private final String app = "sn" + UUID.randomUUID().toString().replace("-", "");

  @BeforeAll
  static void sentinel(RedisSentinelFixture shared) {
    sentinel = shared;
  }

  @Test
  void masterKilledUnderLoad_failsOnlyWithStoreErrorsForAtMostFiveSeconds() throws Exception {
    RedisServerProcess victim = sentinel.master();
    RedisServerProcess heir = sentinel.replica();
    try (RedisSessionStore store =
        RedisSessionStore.builder()
            .sentinel(RedisSentinelFixture.MASTER_NAME, sentinel.sentinelAddresses())
            .applicationName(app)
            .build()) {
      LoadUnderFault.assertSurvivesFailover(
          "Sentinel",
          store,
          sentinel::awaitReplicaSynced,
          () -> {
            victim.kill();
            sentinel.awaitMaster(heir);
          });
    } finally {
      if (!victim.alive()) {
        sentinel.replaceDead();
      }
    }
  }
}
