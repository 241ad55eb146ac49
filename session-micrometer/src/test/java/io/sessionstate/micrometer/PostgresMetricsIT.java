package io.sessionstate.micrometer;

import io.sessionstate.postgresql.PostgresSessionStore;
import io.sessionstate.spi.SessionStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * The meter sequence over PostgreSQL: the shared server ({@code SESSIONSTATE_POSTGRES_URL}, default
 * 127.0.0.1:5432 database {@code test} as {@code postgres}) in a table of the test's own, an
 * unreadable blob written into its row, and a server that goes down: the store's connections run
 * through a forwarder the test cuts.
 */
class PostgresMetricsIT extends MeterSequence {
  private static final String URL = postgresUrl();

  private TcpForwarder forwarder;
  private final String table = "metrics_" + UUID.randomUUID().toString().replace("-", "");

  private static String postgresUrl() {
    String configured = System.getenv("SESSIONSTATE_POSTGRES_URL");
    return configured == null || configured.isBlank()
        ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
        : configured;
  }

  @Override
  SessionStore newStore() {
    return PostgresSessionStore.builder()
        .jdbcUrl(URL)
        .table(table)
        .createSchema(true)
        .sweeperEnabled(false)
        .build();
  }

  @Override
  void writeRaw(SessionStore store, String key, byte[] bytes) {
    try (Connection c = DriverManager.getConnection(URL);
        PreparedStatement update =
            c.prepareStatement("UPDATE public." + table + " SET blob = ? WHERE session_key = ?")) {
      update.setBytes(1, bytes);
      update.setString(2, key);
      if (update.executeUpdate() != 1) {
        throw new AssertionError("no row for the session to overwrite");
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  SessionStore storeToBringDown() {
    forwarder = TcpForwarder.to("127.0.0.1", 5432);
    return PostgresSessionStore.builder()
        .jdbcUrl(URL.replace(":5432/", ":" + forwarder.port() + "/"))
        .table(table)
        .createSchema(true)
        .connectionTimeout(Duration.ofMillis(500))
        .connectTimeout(Duration.ofSeconds(1))
        .sweeperEnabled(false)
        .build();
  }

  @Override
  void bringDown() {
    forwarder.close();
  }

  @AfterEach
  void dropTable() throws SQLException {
    if (forwarder != null) {
      forwarder.close();
    }
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS public." + table);
    }
  }

  @Override
  String systemName() {
    return "postgresql";
  }

  @Override
  Set<String> downErrorTypes() {
    // The pooled connection is cut: the driver's I/O error when the pool hands it out as it is,
    // or the pool's own timeout when it first checks the connection and cannot open another.
    return Set.of("org.postgresql.util.PSQLException", "java.sql.SQLTransientConnectionException");
  }
}
