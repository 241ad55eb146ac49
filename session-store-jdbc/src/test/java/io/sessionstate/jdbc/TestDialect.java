package io.sessionstate.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dialect with simple rules, for testing what the shared code does with a dialect's answers: it
 * accepts any URL, timeouts in whole seconds, names of up to 30 characters and sweep batches of up
 * to 50. Its pools name the PostgreSQL driver, which the tests have, and never connect.
 */
final class TestDialect extends JdbcDialect {

  static final TestDialect INSTANCE = new TestDialect();

  private TestDialect() {
    super("test", TestDialect.class, "org.postgresql.Driver", 30, 50, 20);
  }

  @Override
  public String requireJdbcUrl(String jdbcUrl) {
    requireNonNull(jdbcUrl, "jdbcUrl");
    return jdbcUrl;
  }

  @Override
  public Duration requireDriverTimeout(String option, Duration value) {
    requireNonNull(value, option);
    if (value.isNegative() || value.isZero() || value.getNano() != 0) {
      throw new IllegalArgumentException(option + " must be whole seconds: " + value);
    }
    return value;
  }

  @Override
  public Map<String, String> driverProperties(OwnedPool.Options options) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("connectTimeout", Long.toString(options.connectTimeout().toSeconds()));
    properties.put("socketTimeout", Long.toString(options.socketTimeout().toSeconds()));
    properties.put("tcpKeepAlive", Boolean.toString(options.tcpKeepAlive()));
    return properties;
  }

  @Override
  public String describe(SQLException e) {
    return "SQL state " + e.getSQLState() + ": " + Database.firstLine(e);
  }
}
