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

  /**
   * The races run in full (1,000 sign-out races, 100 lost-update rounds) on a standalone server and
   * on a Cluster; behind Sentinel they check only that the same scripts hold: 100 and 10.
   */
  @Override
  public int raceRepetitions() {
    return 100;
  }

  @Override
  public int lostUpdateRounds() {
    return 10;
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
