package io.sessionstate.redis;

import java.net.URI;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Clients for tests to read and write behind a store's back, built only from what Jedis 7 and Jedis
 * 8 share, so the same test classes run on both lines. The caller closes them.
 */
final class AdminClients {
  private AdminClients() {}

  /** A pooled client for one server; it connects on first use. */
  static UnifiedJedis node(String host, int port) {
    return node(URI.create("redis://" + host + ":" + port));
  }

  /** A pooled client for the server a {@code redis://} URL names, with its credentials. */
  static UnifiedJedis node(URI uri) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder().database(JedisURIHelper.getDBIndex(uri));
    String password = JedisURIHelper.getPassword(uri);
    if (password != null) {
      config.user(JedisURIHelper.getUser(uri)).password(password);
    }
    return new NodeClient(
        new PooledConnectionProvider(JedisURIHelper.getHostAndPort(uri), config.build()));
  }

  /** A client for a Cluster; it reads the slot map from the seeds at once. */
  // Jedis 8 deprecates JedisCluster for RedisClusterClient, which Jedis 7 does not have.
  @SuppressWarnings("deprecation")
  static UnifiedJedis cluster(Set<HostAndPort> seeds) {
    return new JedisCluster(seeds);
  }
}
