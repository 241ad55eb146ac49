package io.sessionstate.mysql;

import static java.util.Objects.requireNonNull;

import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.Identifiers;
import io.sessionstate.jdbc.JdbcDialect;
import io.sessionstate.jdbc.OwnedPool;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mariadb.jdbc.Configuration;

/**
 * What the shared JDBC code needs to know of MySQL, MariaDB and MariaDB Connector/J: the URL, the
 * timeouts the driver holds, the properties of the store's own pool, the length of names, the size
 * of a sweep batch and how a failure is told. Stateless and thread-safe.
 */
final class MySqlDialect extends JdbcDialect {

  static final MySqlDialect INSTANCE = new MySqlDialect();

  /** MySQL's and MariaDB's longest identifier. */
  static final int MAX_LENGTH = 64;

  // A batch's keys travel in one statement: 10,000 keys of 255 bytes stay under 3 MB, well inside
  // max_allowed_packet's default on both servers (16 MB on MariaDB, 64 MB on MySQL 8).
  static final int MAX_SWEEP_BATCH_SIZE = 10_000;

  // The driver holds connectTimeout and socketTimeout as an int of milliseconds.
  static final long MAX_DRIVER_TIMEOUT_MILLIS = Integer.MAX_VALUE;

  // A URL parameter wins over the pool's properties, so a timeout in the URL (socketTimeout=0,
  // say) would silently undo the bound the builder promises.
  private static final List<String> URL_OPTIONS_OF_THE_BUILDER =
      List.of("connecttimeout", "sockettimeout", "tcpkeepalive");

  // ER_DUP_ENTRY: its message quotes the duplicate value, which may be a session key.
  private static final int DUPLICATE_ENTRY = 1062;

  private MySqlDialect() {
    super(
        MySqlSessionStore.NAME,
        MySqlSessionStore.class,
        "org.mariadb.jdbc.Driver",
        MAX_LENGTH,
        MAX_SWEEP_BATCH_SIZE,
        MySqlSessionStore.DEFAULT_SWEEP_BATCH_SIZE);
  }

  /** The identifier in backquotes; safe only for names that passed {@link Identifiers}. */
  static String quote(String identifier) {
    return '`' + identifier + '`';
  }

  /** The URL if MariaDB Connector/J accepts it and it leaves the builder's options alone. */
  @Override
  public String requireJdbcUrl(String jdbcUrl) {
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

  /** Whole milliseconds in an int. */
  @Override
  public Duration requireDriverTimeout(String option, Duration value) {
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

  @Override
  public Map<String, String> driverProperties(OwnedPool.Options options) {
    Map<String, String> properties = new LinkedHashMap<>();
    // The driver applies connectTimeout to the TCP connect and to the handshake after it, which a
    // server that accepts but never answers would otherwise hold for ever.
    properties.put("connectTimeout", Long.toString(options.connectTimeout().toMillis()));
    properties.put("socketTimeout", Long.toString(options.socketTimeout().toMillis()));
    properties.put("tcpKeepAlive", Boolean.toString(options.tcpKeepAlive()));
    return properties;
  }

  /**
   * The SQL state, the server's error code and the message's first line, unless it quotes a key.
   */
  @Override
  public String describe(SQLException e) {
    String state = e.getSQLState() == null ? "unknown" : e.getSQLState();
    String message =
        e.getErrorCode() == DUPLICATE_ENTRY
            ? "duplicate entry (the value is not shown)"
            : Database.firstLine(e);
    return "SQL state " + state + " (error " + e.getErrorCode() + "): " + message;
  }
}
