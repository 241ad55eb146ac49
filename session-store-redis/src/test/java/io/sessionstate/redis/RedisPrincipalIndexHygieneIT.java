package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Index hygiene on a real Redis: 10,000 sessions of 100 principals expire, and the pruner leaves no
 * index entry behind its session by more than one prune interval plus one pass. The numbers are
 * printed; the bound is asserted.
 */
class RedisPrincipalIndexHygieneIT {
  private static final int SESSIONS = 10_000;
  private static final int PRINCIPALS = 100;
  private static final Duration PRUNE_INTERVAL = Duration.ofSeconds(2);

  @Test
  void tenThousandExpiringSessions_leaveTheIndexWithinOnePruneInterval() throws Exception {
    String url = StandaloneRedis.url();
    String app = "hygiene" + UUID.randomUUID().toString().replace("-", "");
    try (RedisSessionStore store =
            RedisSessionStore.builder()
                .uri(url)
                .applicationName(app)
                .indexPruneInterval(PRUNE_INTERVAL)
                .build();
        UnifiedJedis admin = AdminClients.node(java.net.URI.create(url))) {
      Duration ttl = Duration.ofSeconds(4);
      long start = System.nanoTime();
      for (int i = 0; i < SESSIONS; i++) {
        String key = "s" + i + "-" + UUID.randomUUID();
        store.save(key, new byte[64], ttl);
        store.index("user-" + (i % PRINCIPALS), key, null, ttl);
      }
      long lastExpiry = System.nanoTime() + ttl.toNanos();
      System.out.printf(
          "redis index hygiene: %d sessions of %d principals saved and indexed in %d ms%n",
          SESSIONS, PRINCIPALS, (System.nanoTime() - start) / 1_000_000);
      assertThat(indexEntries(store, admin)).isEqualTo(SESSIONS);

      long deadline = lastExpiry + PRUNE_INTERVAL.multipliedBy(3).toNanos();
      long entries;
      while ((entries = indexEntries(store, admin)) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      long lag = Math.max(0, System.nanoTime() - lastExpiry) / 1_000_000;
      System.out.printf(
          "redis index hygiene: %d entries left %d ms after the last session expired"
              + " (prune interval %d ms)%n",
          entries, lag, PRUNE_INTERVAL.toMillis());

      assertThat(entries).isZero();
      assertThat(lag).isLessThanOrEqualTo(PRUNE_INTERVAL.multipliedBy(2).toMillis());
    }
  }

  private static long indexEntries(RedisSessionStore store, UnifiedJedis admin) {
    long n = 0;
    for (int p = 0; p < PRINCIPALS; p++) {
      n += admin.zcard(setKey(store, "user-" + p));
    }
    return n;
  }

  private static byte[] setKey(RedisSessionStore store, String principal) {
    // Only the naming is used: no client, calls or session keys are needed for it.
    return new RedisPrincipalIndex(null, null, null, store.applicationName()).setKey(principal);
  }
}
