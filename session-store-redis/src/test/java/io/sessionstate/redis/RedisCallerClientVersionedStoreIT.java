package io.sessionstate.redis;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * Versions, conditional saves and tombstones on a standalone Redis through a client the application
 * built itself: the store cannot reach that client's pool, so its loads and saves go through a
 * Jedis pipeline rather than a pooled connection of its own. The client is a bare {@link
 * UnifiedJedis}, which Jedis 7 and 8 both have.
 */
class RedisCallerClientVersionedStoreIT extends RedisVersionedChecks {
  private static String url;
  private static UnifiedJedis client;

  @BeforeAll
  static void open() {
    url = StandaloneRedis.url();
    URI uri = URI.create(url);
    client =
        new UnifiedJedis(
            new PooledConnectionProvider(new HostAndPort(uri.getHost(), uri.getPort())),
            RedisProtocol.RESP2) {};
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Override
  RedisSessionStore.Builder builder() {
    return RedisSessionStore.builder().client(client);
  }

  @Override
  Jedis nodeOf(String redisKey) {
    return new Jedis(URI.create(url));
  }
}
