package io.sessionstate.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sessionstate.tck.CountingDataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * Where the servers are and how every implementation connects to them, so that all of them get the
 * same pools: Redis from {@code SESSIONSTATE_REDIS_URL} (default {@code redis://127.0.0.1:6379}),
 * PostgreSQL from {@code SESSIONSTATE_POSTGRES_URL} (a JDBC URL, default {@code
 * jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), MariaDB or MySQL from {@code
 * SESSIONSTATE_MYSQL_URL} (default {@code
 * jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable}). Everything a run writes lives
 * under {@link #namespace()}, unique to the JVM, in Redis keys, in tables of schema {@value
 * #SCHEMA} in PostgreSQL and in tables of the URL's database in MariaDB.
 */
final class Env {
  static final String SCHEMA = "sessionstate_bench";

  /** Connections per pool, for every networked implementation alike; the benches use up to 4. */
  static final int POOL_SIZE = 16;

  private final URI redisUri;
  private final String jdbcUrl;
  private final String mysqlUrl;
  private final String namespace;

  /** The data sources counted so far, or null when this environment counts nothing. */
  private final @Nullable List<CountingDataSource> counted;

  private Env(
      URI redisUri,
      String jdbcUrl,
      String mysqlUrl,
      String namespace,
      @Nullable List<CountingDataSource> counted) {
    this.redisUri = redisUri;
    this.jdbcUrl = jdbcUrl;
    this.mysqlUrl = mysqlUrl;
    this.namespace = namespace;
    this.counted = counted;
  }

  static Env fromEnvironment() {
    String redis = System.getenv().getOrDefault("SESSIONSTATE_REDIS_URL", "redis://127.0.0.1:6379");
    String postgres =
        System.getenv()
            .getOrDefault(
                "SESSIONSTATE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    if (postgres.startsWith("postgresql://") || postgres.startsWith("postgres://")) {
      postgres = "jdbc:postgresql://" + postgres.substring(postgres.indexOf("://") + 3);
    }
    String mysql =
        System.getenv()
            .getOrDefault(
                "SESSIONSTATE_MYSQL_URL",
                "jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable");
    return new Env(
        URI.create(redis), postgres, mysql, "ssbench" + ProcessHandle.current().pid(), null);
  }

  /**
   * The same environment, with every JDBC statement and commit counted; see {@link #roundTrips}.
   */
  Env countingRoundTrips() {
    return new Env(redisUri, jdbcUrl, mysqlUrl, namespace, new CopyOnWriteArrayList<>());
  }

  /** The JDBC statements and commits counted so far over every data source this env wrapped. */
  long roundTrips() {
    if (counted == null) {
      throw new IllegalStateException("this environment does not count round trips");
    }
    return counted.stream().mapToLong(CountingDataSource::roundTrips).sum();
  }

  String namespace() {
    return namespace;
  }

  String redisHost() {
    return redisUri.getHost();
  }

  int redisPort() {
    return redisUri.getPort() == -1 ? 6379 : redisUri.getPort();
  }

  String redisDescription() {
    return redisHost() + ":" + redisPort();
  }

  String postgresDescription() {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
  }

  /** A Jedis client pooled like the Redis store's own. */
  RedisClient newJedis() {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(POOL_SIZE);
    pool.setMaxIdle(POOL_SIZE);
    pool.setMinIdle(0);
    return RedisClient.builder()
        .hostAndPort(new HostAndPort(redisHost(), redisPort()))
        .clientConfig(DefaultJedisClientConfig.builder().build())
        .poolConfig(pool)
        .build();
  }

  String mysqlDescription() {
    int query = mysqlUrl.indexOf('?');
    return query < 0 ? mysqlUrl : mysqlUrl.substring(0, query);
  }

  /** A HikariCP pool with the same settings for every PostgreSQL implementation. */
  HikariDataSource newPool(String name) {
    return newPool(jdbcUrl, name);
  }

  /** A HikariCP pool with the same settings, on the MySQL-family server. */
  HikariDataSource newMySqlPool(String name) {
    return newPool(mysqlUrl, name);
  }

  private HikariDataSource newPool(String url, String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName(namespace + "-" + name);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(4);
    return new HikariDataSource(config);
  }

  /** {@code dataSource}, wrapped to count statements when this environment counts them. */
  DataSource counted(DataSource dataSource) {
    if (counted == null) {
      return dataSource;
    }
    CountingDataSource counting = CountingDataSource.wrap(dataSource);
    counted.add(counting);
    return counting;
  }

  /** Runs statements in autocommit mode, for setup and cleanup. */
  static void execute(DataSource dataSource, String... sql) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("setup statement failed: " + e.getMessage(), e);
    }
  }

  /** Why Redis cannot be benchmarked, or empty when it answers. */
  Optional<String> redisProblem() {
    try (RedisClient jedis =
        RedisClient.builder()
            .hostAndPort(new HostAndPort(redisHost(), redisPort()))
            .clientConfig(
                DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(2000)
                    .socketTimeoutMillis(2000)
                    .build())
            .build()) {
      jedis.ping();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("Redis at " + redisDescription() + " is not reachable: " + e);
    }
  }

  /** Why the MySQL-family server cannot be benchmarked, or empty when it answers. */
  Optional<String> mysqlProblem() {
    DriverManager.setLoginTimeout(3);
    try (Connection c = DriverManager.getConnection(mysqlUrl)) {
      return c.isValid(3)
          ? Optional.empty()
          : Optional.of("MariaDB at " + mysqlDescription() + " does not answer");
    } catch (SQLException e) {
      return Optional.of(
          "MariaDB at " + mysqlDescription() + " is not reachable: " + e.getMessage());
    }
  }

  /** Why PostgreSQL cannot be benchmarked, or empty when it answers. */
  Optional<String> postgresProblem() {
    DriverManager.setLoginTimeout(3);
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      return c.isValid(3)
          ? Optional.empty()
          : Optional.of("PostgreSQL at " + postgresDescription() + " does not answer");
    } catch (SQLException e) {
      return Optional.of(
          "PostgreSQL at " + postgresDescription() + " is not reachable: " + e.getMessage());
    }
  }
}
