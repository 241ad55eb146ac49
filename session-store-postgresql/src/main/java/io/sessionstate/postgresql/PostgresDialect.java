package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.Identifiers;
import io.sessionstate.jdbc.JdbcDialect;
import io.sessionstate.jdbc.OwnedPool;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the shared JDBC code needs to know of PostgreSQL and its driver: the URL, the timeouts the
 * driver holds, the properties of the store's own pool, the length of names and how a failure is
 * told. Stateless and thread-safe.
 */
final class PostgresDialect extends JdbcDialect {

  static final PostgresDialect INSTANCE = new PostgresDialect();

  /** PostgreSQL's NAMEDATALEN less one: longer names are silently truncated by the server. */
  static final int MAX_LENGTH = 63;

  static final int MAX_SWEEP_BATCH_SIZE = 100_000;

  // The driver holds connectTimeout and socketTimeout as an int of seconds and sets the socket
  // timeout as an int of milliseconds; past this it overflows and no connection opens.
  static final long MAX_DRIVER_TIMEOUT_SECONDS = Integer.MAX_VALUE / 1000;

  // The driver lets a URL parameter win over the pool's properties, so a timeout in the URL
  // (socketTimeout=0, say) would silently undo the bound the builder promises.
  private static final List<String> URL_OPTIONS_OF_THE_BUILDER =
      List.of("connectTimeout", "loginTimeout", "socketTimeout", "tcpKeepAlive");

  private PostgresDialect() {
    super(
        PostgresSessionStore.NAME,
        PostgresSessionStore.class,
        "org.postgresql.Driver",
        MAX_LENGTH,
        MAX_SWEEP_BATCH_SIZE,
        PostgresSessionStore.DEFAULT_SWEEP_BATCH_SIZE);
  }

  /** The identifier in double quotes; safe only for names that passed {@link Identifiers}. */
  static String quote(String identifier) {
    return '"' + identifier + '"';
  }

  /** The URL if the PostgreSQL driver accepts it and it leaves the builder's options alone. */
  @Override
  public String requireJdbcUrl(String jdbcUrl) {
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

  /** Whole seconds in an int. */
  @Override
  public Duration requireDriverTimeout(String option, Duration value) {
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

  @Override
  public Map<String, String> driverProperties(OwnedPool.Options options) {
    Map<String, String> properties = new LinkedHashMap<>();
    // Opening a connection is bounded twice: the TCP connect, and the start-up exchange after it,
    // which a server that accepts but never answers would otherwise hold for ever.
    String connectSeconds = Long.toString(options.connectTimeout().toSeconds());
    properties.put("connectTimeout", connectSeconds);
    properties.put("loginTimeout", connectSeconds);
    properties.put("socketTimeout", Long.toString(options.socketTimeout().toSeconds()));
    properties.put("tcpKeepAlive", Boolean.toString(options.tcpKeepAlive()));
    properties.put("ApplicationName", "sessionstate");
    // A server error's detail can quote a row's values, a session key among them.
    properties.put("logServerErrorDetail", "false");
    return properties;
  }

  /** The SQL state and the first line of the message: the driver puts detail and hint below it. */
  @Override
  public String describe(SQLException e) {
    String state = e.getSQLState() == null ? "unknown" : e.getSQLState();
    return "SQL state " + state + ": " + Database.firstLine(e);
  }
}
