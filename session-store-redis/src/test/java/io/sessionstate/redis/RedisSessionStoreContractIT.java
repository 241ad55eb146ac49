package io.sessionstate.redis;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * The contract suite against the standalone server: {@code SESSIONSTATE_REDIS_URL} or
 * 127.0.0.1:6379, else a Testcontainers Redis where Docker is available.
 */
class RedisSessionStoreContractIT extends RedisContractSupport {
  private static String url;

  @BeforeAll
  static void locate() {
    url = StandaloneRedis.url();
  }

  @Override
  protected RedisSessionStore.Builder builder() {
    return RedisSessionStore.builder().uri(url);
  }

  @Override
  protected List<Jedis> openKeyHolders() {
    return List.of(new Jedis(URI.create(url)));
  }

  @Override
  protected UnifiedJedis openAdmin() {
    return AdminClients.node(URI.create(url));
  }
}
