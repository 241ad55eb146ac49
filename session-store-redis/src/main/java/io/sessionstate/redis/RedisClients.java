package io.sessionstate.redis;

import io.sessionstate.SessionStoreException;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * Builds the Jedis client of a store made from options: the client configuration, the pool, and the
 * standalone, Sentinel or Cluster client over them. The one place that names Jedis' client classes.
 */
final class RedisClients {
  private RedisClients() {}

  /** A client the store owns, and how to describe it without a password. */
  record Opened(UnifiedJedis jedis, String description) {}

  /**
   * Opens the client the options describe; {@link RedisStoreOptions#checkCombination()} has passed.
   *
   * @throws SessionStoreException with the operation {@code connect} if a Sentinel or Cluster
   *     client cannot reach its nodes
   */
  static Opened open(RedisStoreOptions options) {
    Duration operationTimeout = options.operationTimeout();
    JedisClientConfig config = clientConfig(options, options.database());
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(options.maxConnections());
    pool.setMaxIdle(options.maxConnections());
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    // A request must never wait forever for a connection.
    pool.setMaxWait(operationTimeout);
    pool.setTestOnBorrow(false);
    UnifiedJedis jedis;
    String described;
    try {
      if (options.clusterNodes() != null) {
        jedis =
            RedisClusterClient.builder()
                .nodes(options.clusterNodes())
                .clientConfig(config)
                .poolConfig(pool)
                // Redirections and reconnections must fit in about one operation timeout.
                .maxTotalRetriesDuration(operationTimeout)
                .build();
        described = "cluster=" + options.clusterNodes();
      } else if (options.sentinels() != null) {
        jedis =
            RedisSentinelClient.builder()
                .masterName(options.masterName())
                .sentinels(options.sentinels())
                .clientConfig(config)
                .sentinelClientConfig(clientConfig(options, 0))
                .poolConfig(pool)
                .build();
        described = "sentinel=" + options.masterName() + "@" + options.sentinels();
      } else {
        HostAndPort address = new HostAndPort(options.host(), options.port());
        jedis =
            RedisClient.builder()
                .hostAndPort(address)
                .clientConfig(config)
                .connectionProvider(
                    new DeadlineConnectionProvider(
                        new PooledConnectionProvider(address, config, pool), operationTimeout))
                .build();
        int database = options.database();
        described =
            "host=" + options.host() + ":" + options.port() + (database == 0 ? "" : "/" + database);
      }
    } catch (RuntimeException e) {
      throw new SessionStoreException(
          RedisSessionStore.NAME, "connect", RedisErrors.detail(e, operationTimeout), e);
    }
    return new Opened(jedis, described + (options.ssl() ? ", ssl" : ""));
  }

  /**
   * Whether the client spreads keys over a Cluster's slots, where one transaction cannot hold two
   * sessions' keys.
   */
  // JedisCluster is deprecated in favour of RedisClusterClient, yet callers may still pass one.
  @SuppressWarnings("deprecation")
  static boolean isCluster(UnifiedJedis jedis) {
    return jedis instanceof RedisClusterClient || jedis instanceof JedisCluster;
  }

  // Jedis 8 deprecates ssl(boolean) and sslSocketFactory(...) in favour of SslOptions, which
  // takes only key and trust store files; a caller's SSLSocketFactory needs the older route.
  @SuppressWarnings("deprecation")
  private static JedisClientConfig clientConfig(RedisStoreOptions options, int database) {
    Duration connectTimeout = options.connectTimeout();
    Duration operationTimeout = options.operationTimeout();
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) connectTimeout.toMillis())
            .socketTimeoutMillis((int) operationTimeout.toMillis())
            // A new connection sends nothing before its first command (only AUTH, when there
            // are credentials): no HELLO to negotiate RESP3 and no CLIENT SETINFO, which would
            // each cost a round trip, and on a frozen server hold up for a whole timeout the
            // thread that opens the connection, often one that just failed its own command.
            .autoNegotiateProtocol(false)
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            .database(database)
            .ssl(options.ssl());
    if (options.password() != null) {
      config.password(options.password());
      if (options.user() != null) {
        config.user(options.user());
      }
    }
    if (options.ssl()) {
      if (options.sslSocketFactory() != null) {
        config.sslSocketFactory(options.sslSocketFactory());
      }
      // Checks the certificate's name against the host, which the JDK skips for raw sockets.
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      config.sslParameters(parameters);
    }
    return config.build();
  }
}
