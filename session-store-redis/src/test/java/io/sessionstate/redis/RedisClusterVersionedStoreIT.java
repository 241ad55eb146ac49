package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import java.lang.reflect.Constructor;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Versions, conditional saves and tombstones on a Redis Cluster: every script runs on one key, so
 * on one slot; a move spans two slots and is three commands there.
 */
@ExtendWith(SharedRedisFixtures.class)
class RedisClusterVersionedStoreIT extends RedisVersionedChecks {
  private static RedisClusterFixture cluster;

  @BeforeAll
  static void cluster(RedisClusterFixture shared) {
    cluster = shared;
  }

  @Override
  RedisSessionStore.Builder builder() {
    return RedisSessionStore.builder().cluster(cluster.seeds());
  }

  @Override
  Jedis nodeOf(String redisKey) {
    return cluster.masterOf(JedisClusterCRC16.getSlot(redisKey)).admin();
  }

  @Test
  void replaceIf_keysOnDifferentMasters_moves() {
    String oldKey = key();
    String newKey = key();
    while (cluster.masterOf(JedisClusterCRC16.getSlot(redisKey(newKey)))
        == cluster.masterOf(JedisClusterCRC16.getSlot(redisKey(oldKey)))) {
      newKey = key();
    }
    store().saveIf(oldKey, Condition.absent(), bytes("a"), TTL);

    Outcome outcome =
        store().replaceIf(oldKey, Condition.exists(), newKey, bytes("b"), TTL, TOMBSTONE_TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.SAVED);
    assertThat(store().loadVersioned(newKey, TTL).blob()).isEqualTo(bytes("b"));
    assertThat(store().loadAndTouch(oldKey, TTL)).isEmpty();
  }

  /**
   * A caller's client of no known kind that routes by key over a Cluster: a transaction would reach
   * one random node, so the store uses its whole-value scripts, which the client routes.
   */
  @Test
  void callersPlainUnifiedJedis_overAClusterProvider_loadsAndSavesOnEverySlot() throws Exception {
    try (UnifiedJedis client =
            plainClient(
                new ClusterConnectionProvider(
                    cluster.seeds(), DefaultJedisClientConfig.builder().build()));
        RedisSessionStore store =
            RedisSessionStore.builder().client(client).applicationName(app).build()) {
      for (int i = 0; i < 30; i++) {
        String key = key();
        assertThat(store.saveIf(key, Condition.absent(), bytes("v" + i), TTL).status())
            .isEqualTo(Outcome.Status.SAVED);
        assertThat(store.loadVersioned(key, TTL).blob()).isEqualTo(bytes("v" + i));
      }
    }
  }

  /**
   * A plain {@link UnifiedJedis} over the provider, as a user builds one: Jedis 7 has a constructor
   * for exactly this provider, Jedis 8 only the general one; the tests run on both.
   */
  private static UnifiedJedis plainClient(ClusterConnectionProvider provider) throws Exception {
    Constructor<UnifiedJedis> constructor;
    try {
      constructor =
          UnifiedJedis.class.getConstructor(
              ClusterConnectionProvider.class, int.class, Duration.class);
    } catch (NoSuchMethodException e) {
      constructor =
          UnifiedJedis.class.getConstructor(ConnectionProvider.class, int.class, Duration.class);
    }
    return constructor.newInstance(provider, 5, Duration.ofSeconds(10));
  }
}
