package io.sessionstate.redis;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/** The contract suite against a master and a replica behind three sentinels. */
@ExtendWith(SharedRedisFixtures.class)
class RedisSentinelContractIT extends RedisContractSupport {
  private static RedisSentinelFixture sentinel;

  @BeforeAll
  static void sentinel(RedisSentinelFixture shared) {
    sentinel = shared;
  }

  @Override
  protected RedisSessionStore.Builder builder() {
    return RedisSessionStore.builder()
        .sentinel(RedisSentinelFixture.MASTER_NAME, sentinel.sentinelAddresses());
  }

  @Override
  protected List<Jedis> openKeyHolders() {
    return List.of(sentinel.master().admin());
  }

  @Override
  protected UnifiedJedis openAdmin() {
    return AdminClients.node("127.0.0.1", sentinel.master().port());
  }
}
