package io.sessionstate.redis;

import java.time.Duration;
import java.util.Map;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A pool that gives each borrowed connection a read timeout of what is left of the operation
 * timeout once the connection was obtained, so that waiting for a free connection and waiting for
 * the reply together stay within one operation timeout. Without it a request that waited almost the
 * whole timeout for a connection could then wait as long again for its reply. Thread-safe.
 */
final class DeadlineConnectionProvider implements ConnectionProvider {
  private final PooledConnectionProvider pool;
  private final long timeoutNanos;

  DeadlineConnectionProvider(PooledConnectionProvider pool, Duration operationTimeout) {
    this.pool = pool;
    this.timeoutNanos = operationTimeout.toNanos();
  }

  @Override
  public Connection getConnection() {
    long start = System.nanoTime();
    return withDeadline(start, pool.getConnection());
  }

  @Override
  public Connection getConnection(CommandArguments args) {
    long start = System.nanoTime();
    return withDeadline(start, pool.getConnection(args));
  }

  private Connection withDeadline(long start, Connection connection) {
    long leftNanos = timeoutNanos - (System.nanoTime() - start);
    // A socket timeout of 0 would mean no timeout at all: the least is 1 ms, which a reply
    // that is not already on its way misses, as it should once the operation's time is up.
    int leftMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, leftNanos / 1_000_000));
    try {
      connection.setSoTimeout(leftMillis);
    } catch (RuntimeException e) {
      connection.close(); // marked broken by setSoTimeout, so the pool destroys it
      throw e;
    }
    return connection;
  }

  @Override
  public Map<?, ?> getConnectionMap() {
    return pool.getConnectionMap();
  }

  @Override
  public Map<?, ?> getPrimaryNodesConnectionMap() {
    return pool.getPrimaryNodesConnectionMap();
  }

  @Override
  public void close() {
    pool.close();
  }
}
