package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/** Behaviour that only a Redis Cluster shows: slots, cross-slot replace, a master's loss. */
@ExtendWith(SharedRedisFixtures.class)
class RedisClusterIT {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static RedisClusterFixture cluster;

  private final String app = "cl" + UUID.randomUUID().toString().replace("-", "");

  @BeforeAll
  static void cluster(RedisClusterFixture shared) {
    cluster = shared;
  }

  private RedisSessionStore store() {
    return RedisSessionStore.builder().cluster(cluster.seeds()).applicationName(app).build();
  }

  private String redisKey(String sessionKey) {
    return "{" + app + "_" + sessionKey + "}_Data";
  }

  @Test
  void sessionKey_isHashTagged_soTheSlotIsTheTagsAndSessionsSpreadOverEveryMaster() {
    Set<Integer> slots = new HashSet<>();
    Set<Integer> masterPorts = new HashSet<>();
    try (RedisSessionStore store = store()) {
      for (int i = 0; i < 200; i++) {
        String sessionKey = UUID.randomUUID().toString();
        store.save(sessionKey, new byte[] {1}, TTL);
        String key = redisKey(sessionKey);
        RedisServerProcess owner = cluster.masterOf(JedisClusterCRC16.getSlot(key));
        try (Jedis node = owner.admin()) {
          long slot = node.clusterKeySlot(key);
          // The server hashes only the part in braces: any key of this session, whatever its
          // suffix, lands in the same slot.
          assertThat(slot).isEqualTo(node.clusterKeySlot(app + "_" + sessionKey));
          assertThat(slot).isEqualTo(node.clusterKeySlot("{" + app + "_" + sessionKey + "}_Other"));
          assertThat(node.exists(key)).as("key on the master of its slot").isTrue();
          slots.add((int) slot);
          masterPorts.add(owner.port());
        }
      }
    }
    assertThat(masterPorts).hasSize(3);
    assertThat(slots).hasSizeGreaterThan(190);
  }

  @Test
  void replace_betweenKeysOnDifferentMasters_movesTheSession() {
    String oldKey = UUID.randomUUID().toString();
    String newKey = oldKey;
    RedisServerProcess oldOwner = cluster.masterOf(JedisClusterCRC16.getSlot(redisKey(oldKey)));
    RedisServerProcess newOwner = oldOwner;
    while (newOwner == oldOwner) {
      newKey = UUID.randomUUID().toString();
      newOwner = cluster.masterOf(JedisClusterCRC16.getSlot(redisKey(newKey)));
    }
    byte[] blob = "moved".getBytes(StandardCharsets.UTF_8);
    try (RedisSessionStore store = store()) {
      store.save(oldKey, "old".getBytes(StandardCharsets.UTF_8), TTL.multipliedBy(6));

      store.replace(oldKey, newKey, blob, TTL);

      try (Jedis oldNode = oldOwner.admin();
          Jedis newNode = newOwner.admin()) {
        assertThat(oldNode.exists(redisKey(oldKey))).isFalse();
        assertThat(newNode.get(redisKey(newKey).getBytes(StandardCharsets.UTF_8))).isEqualTo(blob);
        assertThat(newNode.pttl(redisKey(newKey)))
            .isBetween(TTL.toMillis() - 60_000, TTL.toMillis());
      }
      assertThat(store.loadAndTouch(oldKey, TTL)).isEmpty();
      assertThat(store.loadAndTouch(newKey, TTL))
          .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
    }
  }

  @Test
  void replace_whoseSetIsRefused_failsWithRedisOwnError_andKeepsTheOldKey() {
    String oldKey = UUID.randomUUID().toString();
    String newKey = oldKey;
    RedisServerProcess oldOwner = cluster.masterOf(JedisClusterCRC16.getSlot(redisKey(oldKey)));
    RedisServerProcess newOwner = oldOwner;
    while (newOwner == oldOwner) {
      newKey = UUID.randomUUID().toString();
      newOwner = cluster.masterOf(JedisClusterCRC16.getSlot(redisKey(newKey)));
    }
    byte[] blob = "moved".getBytes(StandardCharsets.UTF_8);
    try (RedisSessionStore store = store();
        Jedis newNode = newOwner.admin()) {
      store.save(oldKey, blob, TTL);
      // Out of memory, the new key's master refuses the SET; a pipeline reads that refusal as a
      // reply like any other, and the store must not take it for success.
      newNode.configSet("maxmemory", "1");
      try {
        String from = oldKey;
        String to = newKey;
        assertThatThrownBy(() -> store.replace(from, to, blob, TTL))
            .isInstanceOf(SessionStoreException.class)
            .hasMessageStartingWith("redis store failed to replace: Redis answered an error (OOM ");
      } finally {
        newNode.configSet("maxmemory", "0");
      }
      assertThat(store.loadAndTouch(newKey, TTL)).isEmpty();
      assertThat(store.loadAndTouch(oldKey, TTL))
          .as("a failed replace leaves the session under its old key")
          .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
    }
  }

  @Test
  void masterKilledUnderLoad_failsOnlyWithStoreErrorsForAtMostFiveSeconds() throws Exception {
    RedisServerProcess victim = cluster.masterOf(0);
    RedisServerProcess heir = cluster.replicaOf(victim);
    try (RedisSessionStore store = store()) {
      LoadUnderFault.assertSurvivesFailover(
          "Cluster",
          store,
          () -> {
            cluster.awaitReplicasSynced();
            assertThat(RedisClusterFixture.replication(heir)).contains("master_link_status:up");
          },
          () -> {
            victim.kill();
            cluster.awaitPromoted(heir);
          });
    } finally {
      if (!victim.alive()) {
        cluster.restart(victim);
      }
    }
  }
}
