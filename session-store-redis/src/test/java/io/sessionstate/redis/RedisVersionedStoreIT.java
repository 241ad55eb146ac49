package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Versions, conditional saves and tombstones on a standalone Redis. */
class RedisVersionedStoreIT extends RedisVersionedChecks {
  private static String url;

  @BeforeAll
  static void locate() {
    url = StandaloneRedis.url();
  }

  @Override
  RedisSessionStore.Builder builder() {
    return RedisSessionStore.builder().uri(url);
  }

  @Override
  Jedis nodeOf(String redisKey) {
    return new Jedis(URI.create(url));
  }

  @Test
  void scriptsUnknownToTheServer_areSentWholeOnce() {
    // A server of the test's own: flushing the script cache of the shared one would touch others.
    try (RedisServerProcess server = RedisServerProcess.start();
        Jedis admin = server.admin();
        RedisSessionStore own =
            RedisSessionStore.builder()
                .host("127.0.0.1")
                .port(server.port())
                .applicationName(app)
                .build()) {
      own.saveIf("k", Condition.absent(), bytes("a"), TTL);
      admin.scriptFlush();
      admin.configResetStat();

      // On one node a load runs no script, a save one; a load that finds a tombstone runs one
      // more to give it back its own time to live.
      assertThat(own.loadVersioned("k", TTL).version()).isEqualTo(1);
      assertThat(own.saveIf("k", Condition.version(1), bytes("b"), TTL).version()).isEqualTo(2);
      assertThat(own.loadVersioned("k", TTL).state()).isEqualTo(Stored.State.PRESENT);
      own.invalidate("k", Duration.ofSeconds(5));
      assertThat(own.loadVersioned("k", TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
      assertThat(admin.pttl(redisKey("k"))).isBetween(1L, 5000L);
      assertThat(admin.info("commandstats"))
          .contains("cmdstat_eval:calls=2,")
          .contains("cmdstat_evalsha:calls=2,");
    }
  }
}
