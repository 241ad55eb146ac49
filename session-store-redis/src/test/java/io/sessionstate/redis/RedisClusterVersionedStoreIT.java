package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
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
}
