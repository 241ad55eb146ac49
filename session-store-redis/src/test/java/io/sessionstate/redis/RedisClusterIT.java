package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  void masterKilledUnderLoad_failsOnlyWithStoreErrorsForAtMostFiveSeconds() throws Exception {
    try (RedisSessionStore store = store()) {
      // Sessions written and replicated before the fault must survive it.
      Map<String, byte[]> before = new LinkedHashMap<>();
      for (int i = 0; i < 300; i++) {
        byte[] blob = ("before-" + i).getBytes(StandardCharsets.UTF_8);
        String key = "before-" + i;
        store.save(key, blob, TTL);
        before.put(key, blob);
      }
      cluster.awaitReplicasSynced();
      RedisServerProcess victim = cluster.masterOf(0);
      RedisServerProcess heir = cluster.replicaOf(victim);
      assertThat(RedisClusterFixture.replication(heir)).contains("master_link_status:up");

      LoadUnderFault load = LoadUnderFault.start(store, 8, "load");
      List<LoadUnderFault.Outcome> outcomes;
      long killed;
      try {
        RedisServerProcess.sleep(Duration.ofSeconds(1));
        killed = System.nanoTime();
        victim.kill();
        cluster.awaitPromoted(heir);
        // Load on the promoted cluster for a while, so that a late error would be seen.
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
        System.out.println("Cluster master killed: " + report);
        cluster.restart(victim);
      }
    }
  }
}
