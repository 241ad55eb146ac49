package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The HikariCP pool a store owns when it is built from a JDBC URL: the rules for its options, and
 * the pool made from them. A store over the application's {@code DataSource} has none.
 */
final class OwnedPool {

  // HikariCP refuses shorter connection waits.
  static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
  // The driver holds connectTimeout and socketTimeout as an int of seconds and sets the socket
  // timeout as an int of milliseconds; past this it overflows and no connection opens.
  static final long MAX_DRIVER_TIMEOUT_SECONDS = Integer.MAX_VALUE / 1000;
  private static final Duration MAX_VALIDATION_TIMEOUT = Duration.ofSeconds(5);
  // The driver lets a URL parameter win over the pool's properties, so a timeout in the URL
  // (socketTimeout=0, say) would silently undo the bound the builder promises.
  private static final List<String> URL_OPTIONS_OF_THE_BUILDER =
      List.of("connectTimeout", "loginTimeout", "socketTimeout", "tcpKeepAlive");
  private static final AtomicInteger POOLS = new AtomicInteger();

  /**
   * The pool's options, each at its value or its default. {@code username} and {@code password} are
   * null where the driver's (or the URL's) apply.
   */
  record Options(
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
  static HikariDataSource open(Options options) {
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName("sessionstate-postgresql-" + POOLS.incrementAndGet());
    pool.setDriverClassName("org.postgresql.Driver");
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
    // Opening a connection is bounded twice: the TCP connect, and the start-up exchange after it,
    // which a server that accepts but never answers would otherwise hold for ever.
    String connectSeconds = Long.toString(options.connectTimeout().toSeconds());
    pool.addDataSourceProperty("connectTimeout", connectSeconds);
    pool.addDataSourceProperty("loginTimeout", connectSeconds);
    pool.addDataSourceProperty("socketTimeout", Long.toString(options.socketTimeout().toSeconds()));
    pool.addDataSourceProperty("tcpKeepAlive", Boolean.toString(options.tcpKeepAlive()));
    pool.addDataSourceProperty("ApplicationName", "sessionstate");
    // A server error's detail can quote a row's values, a session key among them.
    pool.addDataSourceProperty("logServerErrorDetail", "false");
    return pool;
  }

  /** The URL if the PostgreSQL driver accepts it and it leaves the builder's options alone. */
  static String requireJdbcUrl(String jdbcUrl) {
    requireNonNull(jdbcUrl, "jdbcUrl");
    // The URL is not quoted back: it may carry a password.
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("jdbcUrl must start with \"jdbc:postgresql:\"");
    }
    // Checked now: a URL the driver refuses (a bad port, a bad escape) would otherwise fail
    // every operation later with HikariCP's unchecked exception, which quotes the URL.
    Properties parsed = org.postgresql.Driver.parseURL(jdbcUrl, null);
    if (parsed == null) {
      throw new IllegalArgumentException(
          "jdbcUrl is not a URL the PostgreSQL driver accepts, such as"
              + " jdbc:postgresql://host:5432/database");
    }
    for (String option : URL_OPTIONS_OF_THE_BUILDER) {
      if (parsed.containsKey(option)) {
        throw new IllegalArgumentException(
            "jdbcUrl must not set "
                + option
                + ": the builder sets it (connectTimeout, socketTimeout, tcpKeepAlive)");
      }
    }
    return jdbcUrl;
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

  /** A driver timeout ({@code connectTimeout}, {@code socketTimeout}): whole seconds in an int. */
  static Duration requireDriverTimeout(String option, Duration value) {
    requireNonNull(value, option);
    if (value.isNegative()
        || value.isZero()
        || value.getNano() != 0
        || value.getSeconds() > MAX_DRIVER_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException(
          option
              + " must be a whole number of seconds from 1 to "
              + MAX_DRIVER_TIMEOUT_SECONDS
              + ": "
              + value);
    }
    return value;
  }
}
