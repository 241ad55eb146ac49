package io.sessionstate.mysql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.mariadb.jdbc.Configuration;

/**
 * The HikariCP pool a store owns when it is built from a JDBC URL: the rules for its options, and
 * the pool made from them. A store over the application's {@code DataSource} has none.
 */
final class OwnedPool {

  // HikariCP refuses shorter connection waits.
  static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
  // The driver holds connectTimeout and socketTimeout as an int of milliseconds.
  static final long MAX_DRIVER_TIMEOUT_MILLIS = Integer.MAX_VALUE;
  private static final Duration MAX_VALIDATION_TIMEOUT = Duration.ofSeconds(5);
  // A URL parameter wins over the pool's properties, so a timeout in the URL (socketTimeout=0,
  // say) would silently undo the bound the builder promises.
  private static final List<String> URL_OPTIONS_OF_THE_BUILDER =
      List.of("connecttimeout", "sockettimeout", "tcpkeepalive");
  private static final AtomicInteger POOLS = new AtomicInteger();

  /**
   * The pool's options, each at its value or its default. {@code username} and {@code password} are
   * null where the URL's apply.
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
    pool.setPoolName("sessionstate-mysql-" + POOLS.incrementAndGet());
    pool.setDriverClassName("org.mariadb.jdbc.Driver");
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
    // The driver applies connectTimeout to the TCP connect and to the handshake after it, which a
    // server that accepts but never answers would otherwise hold for ever.
    pool.addDataSourceProperty(
        "connectTimeout", Long.toString(options.connectTimeout().toMillis()));
    pool.addDataSourceProperty("socketTimeout", Long.toString(options.socketTimeout().toMillis()));
    pool.addDataSourceProperty("tcpKeepAlive", Boolean.toString(options.tcpKeepAlive()));
    return pool;
  }

  /** The URL if MariaDB Connector/J accepts it and it leaves the builder's options alone. */
  static String requireJdbcUrl(String jdbcUrl) {
    requireNonNull(jdbcUrl, "jdbcUrl");
    // The URL is not quoted back: it may carry a password.
    if (!jdbcUrl.startsWith("jdbc:mariadb:")) {
      throw new IllegalArgumentException(
          "jdbcUrl must start with \"jdbc:mariadb:\" (MariaDB Connector/J's scheme, for MySQL"
              + " servers too)");
    }
    // Checked now: a URL the driver refuses (a bad port, an unknown option value) would otherwise
    // fail every operation later with HikariCP's unchecked exception, which quotes the URL.
    try {
      if (Configuration.parse(jdbcUrl) == null) {
        throw new SQLException("not accepted");
      }
    } catch (SQLException | RuntimeException e) {
      throw new IllegalArgumentException(
          "jdbcUrl is not a URL MariaDB Connector/J accepts, such as"
              + " jdbc:mariadb://host:3306/database");
    }
    int query = jdbcUrl.indexOf('?');
    if (query >= 0) {
      for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
        int equals = parameter.indexOf('=');
        String name = (equals >= 0 ? parameter.substring(0, equals) : parameter).trim();
        if (URL_OPTIONS_OF_THE_BUILDER.contains(name.toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException(
              "jdbcUrl must not set "
                  + name
                  + ": the builder sets it (connectTimeout, socketTimeout, tcpKeepAlive)");
        }
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

  /** A driver timeout ({@code connectTimeout}, {@code socketTimeout}): whole ms in an int. */
  static Duration requireDriverTimeout(String option, Duration value) {
    requireNonNull(value, option);
    if (value.isNegative()
        || value.isZero()
        || value.getNano() % 1_000_000 != 0
        || value.compareTo(Duration.ofMillis(MAX_DRIVER_TIMEOUT_MILLIS)) > 0) {
      throw new IllegalArgumentException(
          option
              + " must be a whole number of milliseconds from 1 to "
              + MAX_DRIVER_TIMEOUT_MILLIS
              + ": "
              + value);
    }
    return value;
  }
}
