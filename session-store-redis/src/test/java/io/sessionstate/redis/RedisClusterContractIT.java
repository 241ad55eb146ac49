package io.sessionstate.redis;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/** The contract suite against a Redis Cluster of three masters with a replica each. */
@ExtendWith(SharedRedisFixtures.class)
class RedisClusterContractIT extends RedisContractSupport {
  private static RedisClusterFixture cluster;

  @BeforeAll
  static void cluster(RedisClusterFixture shared) {
    cluster = shared;
  }

  @Override
  protected RedisSessionStore.Builder builder() {
    return RedisSessionStore.builder().cluster(cluster.seeds());
  }

  @Override
  protected List<Jedis> openKeyHolders() {
    List<Jedis> masters = new ArrayList<>();
    for (RedisServerProcess master : cluster.masters()) {
      masters.add(master.admin());
    }
    return masters;
  }

  @Override
  protected UnifiedJedis openAdmin() {
    return AdminClients.cluster(cluster.seeds());
  }
}
