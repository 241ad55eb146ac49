package io.sessionstate.redis;

import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ConnectionProvider;

/**
 * The client of a store built from options for one node: a standalone server, or the master that
 * Sentinel names. Jedis 7 calls it {@code JedisPooled} or {@code JedisSentineled}, Jedis 8 {@code
 * RedisClient} or {@code RedisSentinelClient}, and neither line has the other's; this constructor
 * of {@link UnifiedJedis} is in both, so one class runs on both. Thread-safe.
 */
final class NodeClient extends UnifiedJedis {
  private final ConnectionProvider provider;

  /**
   * A client over {@code provider}, which it closes in {@link #close()}.
   *
   * <p>The protocol is named rather than left null: on a null protocol Jedis 8 borrows a connection
   * in this constructor to ask the server, so building a store would block on a server that is
   * down. The connections speak RESP2 because they never send {@code HELLO}.
   */
  NodeClient(ConnectionProvider provider) {
    super(provider, RedisProtocol.RESP2);
    this.provider = provider;
  }

  /**
   * The pool itself, for the store's transactions: a pooled connection written to and read from
   * directly costs a fraction of what a Jedis pipeline allocates around the same commands.
   */
  ConnectionProvider provider() {
    return provider;
  }
}
