package io.sessionstate.postgresql;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Properties;
import javax.sql.DataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL the integration tests share: {@code SESSIONSTATE_POSTGRES_URL} (a {@code
 * jdbc:postgresql:} or {@code postgresql://} URL), else 127.0.0.1:5432 database {@code test} as
 * {@code postgres}; where nothing answers and Docker runs, a Testcontainers PostgreSQL. Every test
 * works in tables of its own, named at random, and drops them.
 */
final class Postgres {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static String jdbcUrl;
  private static HikariDataSource pool;
  private static PostgreSQLContainer container;

  private Postgres() {}

  /** The JDBC URL of the shared server, with its user (and password) as URL parameters. */
  static synchronized String jdbcUrl() {
    if (jdbcUrl == null) {
      String configured = System.getenv("SESSIONSTATE_POSTGRES_URL");
      String url =
          configured == null || configured.isBlank()
              ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
              : toJdbc(configured);
      SQLException refused = reachable(url);
      if (refused == null) {
        jdbcUrl = url;
      } else if (DockerClientFactory.instance().isDockerAvailable()) {
        container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        jdbcUrl =
            container.getJdbcUrl()
                + "&user="
                + container.getUsername()
                + "&password="
                + container.getPassword();
      } else {
        fail(
            "PostgreSQL is not reachable at "
                + url.replaceAll("password=[^&]*", "password=***")
                + " and Docker is not available: start PostgreSQL (bash scripts/services) or set"
                + " SESSIONSTATE_POSTGRES_URL",
            refused);
      }
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

  static java.util.Optional<String> query(String sql, Object... params) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? java.util.Optional.ofNullable(rs.getString(1))
            : java.util.Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  static void dropTable(String table) {
    // The principal index's side table references the sessions table: it goes first.
    execute("DROP TABLE IF EXISTS public." + table + "_principals");
    execute("DROP TABLE IF EXISTS public." + table);
  }

  private static void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
  }

  private static SQLException reachable(String url) {
    Properties props = new Properties();
    props.setProperty("connectTimeout", "3");
    props.setProperty("loginTimeout", "3");
    try (Connection c = DriverManager.getConnection(url, props)) {
      return c.isValid(3) ? null : new SQLException("the connection is not valid");
    } catch (SQLException e) {
      return e;
    }
  }

  /** {@code postgresql://user:password@host:port/db} as a JDBC URL; a JDBC URL as it is. */
  static String toJdbc(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return url;
    }
    URI uri = URI.create(url);
    StringBuilder out =
        new StringBuilder("jdbc:postgresql://")
            .append(uri.getHost())
            .append(':')
            .append(uri.getPort() == -1 ? 5432 : uri.getPort())
            .append(uri.getPath() == null || uri.getPath().isEmpty() ? "/postgres" : uri.getPath());
    String userInfo = uri.getUserInfo();
    String user = userInfo == null ? "postgres" : userInfo.split(":", 2)[0];
    out.append("?user=").append(user);
    if (userInfo != null && userInfo.contains(":")) {
      out.append("&password=").append(userInfo.split(":", 2)[1]);
    }
    return out.toString();
  }
}
