package io.sessionstate.redis;

import io.sessionstate.SessionStoreException;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * Builds the Jedis client of a store made from options: the client configuration, the pool, and the
 * standalone, Sentinel or Cluster client over them. The one place that names Jedis' client classes.
 *
 * <p>It runs on Jedis 7 (the line Spring Boot 4.0 manages) and Jedis 8 alike, so it calls only what
 * both lines have: Jedis 8 removed {@code JedisPooled} and {@code JedisSentineled} and Jedis 7 has
 * no {@code RedisClient} or {@code RedisSentinelClient}, so a node's client is a {@link NodeClient}
 * over a provider both lines share; a Cluster's is {@link JedisCluster}, in both. The one setting
 * only Jedis 8 has is applied only where it exists.
 */
final class RedisClients {
  /**
   * Whether {@code DefaultJedisClientConfig.Builder.autoNegotiateProtocol(boolean)} exists: Jedis 8
   * added it, with a default that sends {@code HELLO} on every new connection; Jedis 7 sends none.
   */
  private static final boolean AUTO_NEGOTIATES = hasAutoNegotiation();

  /** Jedis 8's Cluster client, or null on Jedis 7, which does not have it. */
  private static final @Nullable Class<?> CLUSTER_CLIENT_8 = clusterClient8();

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
    JedisClientConfig config =
        clientConfig(options, options.database(), options.user(), options.password());
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
        jedis = cluster(options.clusterNodes(), config, pool, operationTimeout);
        described = "cluster=" + options.clusterNodes();
      } else if (options.sentinels() != null) {
        jedis =
            new NodeClient(
                new SentineledConnectionProvider(
                    options.masterName(),
                    config,
                    pool,
                    options.sentinels(),
                    // Sentinels keep their own users apart from the data nodes'.
                    clientConfig(options, 0, options.sentinelUser(), options.sentinelPassword())));
        described = "sentinel=" + options.masterName() + "@" + options.sentinels();
      } else {
        HostAndPort address = new HostAndPort(options.host(), options.port());
        jedis =
            new NodeClient(
                new DeadlineConnectionProvider(
                    new PooledConnectionProvider(address, config, pool), operationTimeout));
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
  // JedisCluster is deprecated in Jedis 8 in favour of RedisClusterClient, which Jedis 7 lacks.
  @SuppressWarnings("deprecation")
  static boolean isCluster(UnifiedJedis jedis) {
    return jedis instanceof JedisCluster
        || (CLUSTER_CLIENT_8 != null && CLUSTER_CLIENT_8.isInstance(jedis));
  }

  /**
   * The clients of Jedis 7 and 8 that talk to one node (standalone, or the master Sentinel names),
   * by class name, since each line lacks some of them.
   */
  private static final Set<String> ONE_NODE_CLIENTS =
      Set.of(
          "redis.clients.jedis.RedisClient",
          "redis.clients.jedis.RedisSentinelClient",
          "redis.clients.jedis.JedisPooled",
          "redis.clients.jedis.JedisSentineled");

  /**
   * Whether every command the client sends reaches one node: the store's own client, or one of
   * Jedis' single-node clients (or a subclass). Any other {@link UnifiedJedis} may route by key
   * over a Cluster's provider, so it is not taken to be one node.
   */
  static boolean isOneNode(UnifiedJedis jedis) {
    if (jedis instanceof NodeClient) {
      return true;
    }
    for (Class<?> c = jedis.getClass(); c != null; c = c.getSuperclass()) {
      if (ONE_NODE_CLIENTS.contains(c.getName())) {
        return true;
      }
    }
    return false;
  }

  // Jedis 8 deprecates JedisCluster for RedisClusterClient, which Jedis 7 does not have; the
  // constructor is the same in both lines.
  @SuppressWarnings("deprecation")
  private static UnifiedJedis cluster(
      Set<HostAndPort> nodes,
      JedisClientConfig config,
      ConnectionPoolConfig pool,
      Duration operationTimeout) {
    // Redirections and reconnections must fit in about one operation timeout.
    return new JedisCluster(
        nodes, config, JedisCluster.DEFAULT_MAX_ATTEMPTS, operationTimeout, pool);
  }

  // Jedis 8 deprecates ssl(boolean) and sslSocketFactory(...) in favour of SslOptions, which
  // takes only key and trust store files; a caller's SSLSocketFactory needs the older route.
  @SuppressWarnings("deprecation")
  private static JedisClientConfig clientConfig(
      RedisStoreOptions options, int database, @Nullable String user, @Nullable String password) {
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
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            .database(database)
            .ssl(options.ssl());
    if (AUTO_NEGOTIATES) {
      // Only reached on Jedis 8: the JVM links a method when a call first runs, not before.
      config.autoNegotiateProtocol(false);
    }
    if (password != null) {
      config.password(password);
      if (user != null) {
        config.user(user);
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

  private static boolean hasAutoNegotiation() {
    try {
      DefaultJedisClientConfig.Builder.class.getMethod("autoNegotiateProtocol", boolean.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static @Nullable Class<?> clusterClient8() {
    try {
      return Class.forName(
          "redis.clients.jedis.RedisClusterClient", false, UnifiedJedis.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }
}
