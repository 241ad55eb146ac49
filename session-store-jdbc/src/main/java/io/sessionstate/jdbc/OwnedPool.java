package io.sessionstate.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The HikariCP pool a store owns when it is built from a JDBC URL: the rules for its options that
 * every driver shares, and the pool made from them. A store over the application's {@code
 * DataSource} has none. Public for the stores' packages only; not an API.
 */
public final class OwnedPool {

  // HikariCP refuses shorter connection waits.
  static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
  private static final Duration MAX_VALIDATION_TIMEOUT = Duration.ofSeconds(5);
  private static final AtomicInteger POOLS = new AtomicInteger();

  /**
   * The pool's options, each at its value or its default. {@code username} and {@code password} are
   * null where the driver's (or the URL's) apply.
   *
   * @param jdbcUrl the server's URL, which the dialect accepted
   * @param username the user, or null
   * @param password the password, or null
   * @param maximumPoolSize the most connections
   * @param connectionTimeout the longest wait for a pooled connection
   * @param connectTimeout the driver's connect timeout
   * @param socketTimeout the driver's socket timeout
   * @param tcpKeepAlive whether connections use TCP keep-alive
   */
  public record Options(
      String jdbcUrl,
      @Nullable String username,
      @Nullable String password,
      int maximumPoolSize,
      Duration connectionTimeout,
      Duration connectTimeout,
      Duration socketTimeout,
      boolean tcpKeepAlive) {

    /** Without the URL and the credentials, which may carry a password. */
    @Override
    public String toString() {
      return "OwnedPool.Options{maximumPoolSize="
          + maximumPoolSize
          + ", connectionTimeout="
          + connectionTimeout
          + ", connectTimeout="
          + connectTimeout
          + ", socketTimeout="
          + socketTimeout
          + ", tcpKeepAlive="
          + tcpKeepAlive
          + "}";
    }
  }

  private OwnedPool() {}

  /**
   * The pool for {@code options}. HikariCP's no-argument constructor opens nothing: the pool starts
   * on the first {@code getConnection()}.
   */
  static HikariDataSource open(JdbcDialect dialect, Options options) {
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName("sessionstate-" + dialect.storeName() + "-" + POOLS.incrementAndGet());
    pool.setDriverClassName(dialect.driverClassName());
    pool.setJdbcUrl(options.jdbcUrl());
    pool.setUsername(options.username());
    pool.setPassword(options.password());
    pool.setMaximumPoolSize(options.maximumPoolSize());
    Duration connectionTimeout = options.connectionTimeout();
    pool.setConnectionTimeout(connectionTimeout.toMillis());
    pool.setValidationTimeout(
        (connectionTimeout.compareTo(MAX_VALIDATION_TIMEOUT) < 0
                ? connectionTimeout
                : MAX_VALIDATION_TIMEOUT)
            .toMillis());
    pool.setAutoCommit(true);
    // A pool that cannot connect at start-up still starts, and connects when the server returns,
    // instead of failing every request until the application restarts.
    pool.setInitializationFailTimeout(-1);
    dialect.driverProperties(options).forEach(pool::addDataSourceProperty);
    return pool;
  }

  static int requireMaximumPoolSize(int maximumPoolSize) {
    if (maximumPoolSize < 1) {
      throw new IllegalArgumentException("maximumPoolSize must be at least 1: " + maximumPoolSize);
    }
    return maximumPoolSize;
  }

  static Duration requireConnectionTimeout(Duration connectionTimeout) {
    requireNonNull(connectionTimeout, "connectionTimeout");
    if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
      throw new IllegalArgumentException(
          "connectionTimeout must be at least 250 ms: " + connectionTimeout);
    }
    return connectionTimeout;
  }
}
