package io.sessionstate.mysql;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The MariaDB (or MySQL) the integration tests share: {@code SESSIONSTATE_MYSQL_URL} (a {@code
 * jdbc:mariadb:} URL), else {@code jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable}.
 * Where nothing answers the tests fail with a message naming what to start; MySQL 8 in a container
 * is {@link MySqlTestcontainersIT}'s. Every test works in tables of its own, named at random, and
 * drops them.
 */
final class MySql {
  static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static String jdbcUrl;
  private static HikariDataSource pool;

  private MySql() {}

  /** The JDBC URL of the shared server, with its user (and password) as URL parameters. */
  static synchronized String jdbcUrl() {
    if (jdbcUrl == null) {
      String configured = System.getenv("SESSIONSTATE_MYSQL_URL");
      String url = configured == null || configured.isBlank() ? DEFAULT_URL : configured;
      SQLException refused = reachable(url);
      if (refused != null) {
        fail(
            "MariaDB is not reachable at "
                + url.replaceAll("password=[^&]*", "password=***")
                + ": start it (bash scripts/services) or set SESSIONSTATE_MYSQL_URL",
            refused);
      }
      jdbcUrl = url;
    }
    return jdbcUrl;
  }

  /** A pool over the shared server, for tests that hand the store a data source. */
  static synchronized DataSource dataSource() {
    if (pool == null) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl());
      config.setMaximumPoolSize(12);
      config.setPoolName("test-shared");
      pool = new HikariDataSource(config);
    }
    return pool;
  }

  /** A fresh connection in autocommit; the caller closes it. */
  static Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  /** A table name of the test's own: {@code prefix} and 12 random hex digits. */
  static String uniqueTable(String prefix) {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return prefix + "_" + HexFormat.of().formatHex(bytes);
  }

  static void execute(String sql, Object... params) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      s.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  static long queryLong(String sql, Object... params) {
    return query(sql, params).map(Long::parseLong).orElse(0L);
  }

  static Optional<String> query(String sql, Object... params) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The server's count of InnoDB deadlocks since it started. */
  static long deadlocks() {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'");
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("the server has no Innodb_deadlocks status variable");
      }
      return rs.getLong(2);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Raises the server's {@code max_allowed_packet} to MySQL 8's default of 64 MB where it is lower
   * (MariaDB's default is 16 MB), so that the suite's 20 MB blob fits in one row. It only raises a
   * limit, for connections opened afterwards.
   */
  static synchronized void allowPacketsOf64Megabytes() {
    long wanted = 64L << 20;
    if (queryLong("SELECT @@GLOBAL.max_allowed_packet") < wanted) {
      execute("SET GLOBAL max_allowed_packet = " + wanted);
    }
  }

  static void dropTable(String table) {
    execute("DROP TABLE IF EXISTS " + table);
  }

  private static void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
  }

  private static SQLException reachable(String url) {
    Properties props = new Properties();
    props.setProperty("connectTimeout", "3000");
    try (Connection c = DriverManager.getConnection(url, props)) {
      return c.isValid(3) ? null : new SQLException("the connection is not valid");
    } catch (SQLException e) {
      return e;
    }
  }
}
