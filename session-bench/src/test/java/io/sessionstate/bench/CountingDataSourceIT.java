package io.sessionstate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionstate.tck.CountingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The round-trip counter the PostgreSQL benchmarks report (the suite's {@link CountingDataSource}),
 * against the real server.
 */
class CountingDataSourceIT {
  private static final Env ENV = Env.fromEnvironment();
  private static HikariDataSource pool;

  @BeforeAll
  static void connect() {
    ENV.postgresProblem()
        .ifPresent(
            problem ->
                fail(
                    problem
                        + ": start PostgreSQL (bash scripts/services) or set"
                        + " SESSIONSTATE_POSTGRES_URL"));
    pool = ENV.newPool("counting-it");
  }

  @AfterAll
  static void close() {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void autocommitStatement_countsOne_andPreparingOrClosingCountsNothing() throws Exception {
    CountingDataSource counted = CountingDataSource.wrap(pool);

    try (Connection c = counted.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
      ps.setInt(1, 41);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
    }

    assertThat(counted.roundTrips()).isEqualTo(1);
  }

  @Test
  void transaction_countsEachStatementAndTheCommit() throws Exception {
    CountingDataSource counted = CountingDataSource.wrap(pool);

    try (Connection c = counted.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT 1");
        s.addBatch("SELECT 2");
        s.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
    }

    assertThat(counted.roundTrips()).isEqualTo(3);
  }

  @Test
  void rollback_counts() throws Exception {
    CountingDataSource counted = CountingDataSource.wrap(pool);

    try (Connection c = counted.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeQuery("SELECT 1").close();
      }
      c.rollback();
      c.setAutoCommit(true);
    }

    assertThat(counted.roundTrips()).isEqualTo(2);
  }
}
