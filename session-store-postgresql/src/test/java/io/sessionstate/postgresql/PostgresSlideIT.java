package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import io.sessionstate.tck.CountingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The throttled slide, seen from the table: a load or a touch whose row already expires between now
 * + ttl and now + ttl + a twentieth writes no new row version, one past that window writes it in
 * the same statement, and either way the request sends one statement. Whether a row was written is
 * read from its {@code xmin}, the transaction that wrote its current version.
 */
class PostgresSlideIT {
  private static final Duration TTL = Duration.ofMinutes(20);
  private static final Duration MARGIN = TTL.dividedBy(20);

  private final String table = Postgres.uniqueTable("slide");
  private CountingDataSource counting;
  private PostgresSessionStore store;

  @BeforeEach
  void setUp() {
    counting = CountingDataSource.wrap(Postgres.dataSource());
    store =
        PostgresSessionStore.builder()
            .dataSource(counting)
            .table(table)
            .createSchema(true)
            .sweeperEnabled(false)
            .build()
            .start();
  }

  @AfterEach
  void tearDown() {
    store.close();
    Postgres.dropTable(table);
  }

  @Test
  void save_setsTheExpiryToTheTtlAndTheMargin() {
    store.save("k", new byte[] {1}, TTL);

    assertThat(remaining("k")).isBetween(TTL.plus(MARGIN).minusSeconds(5), TTL.plus(MARGIN));
  }

  @Test
  void load_withinTheMargin_readsWithoutWriting_inOneStatement() {
    store.save("k", new byte[] {1, 2}, TTL);
    moveExpiryBack("k", MARGIN.minusSeconds(5));
    String written = xmin("k");
    counting.reset();

    assertThat(store.loadAndTouch("k", TTL)).hasValueSatisfying(b -> assertThat(b).hasSize(2));
    store.touch("k", TTL);

    assertThat(xmin("k")).isEqualTo(written);
    assertThat(counting.statements()).isEqualTo(2);
    assertThat(remaining("k")).isGreaterThanOrEqualTo(TTL);
  }

  @Test
  void load_pastTheMargin_slidesInTheSameStatement() {
    store.save("k", new byte[] {1, 2}, TTL);
    moveExpiryBack("k", MARGIN.plusSeconds(5));
    String written = xmin("k");
    counting.reset();

    assertThat(store.loadAndTouch("k", TTL)).hasValueSatisfying(b -> assertThat(b).hasSize(2));

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(xmin("k")).isNotEqualTo(written);
    assertThat(remaining("k")).isBetween(TTL.plus(MARGIN).minusSeconds(5), TTL.plus(MARGIN));
  }

  @Test
  void touch_pastTheMargin_slides() {
    store.save("k", new byte[] {1}, TTL);
    moveExpiryBack("k", MARGIN.plusSeconds(5));

    store.touch("k", TTL);

    assertThat(remaining("k")).isBetween(TTL.plus(MARGIN).minusSeconds(5), TTL.plus(MARGIN));
  }

  @Test
  void load_ofAnExpiryBeyondTheWindow_bringsItDown() {
    store.save("k", new byte[] {1}, TTL.multipliedBy(6));

    assertThat(store.loadAndTouch("k", TTL)).isPresent();

    assertThat(remaining("k")).isBetween(TTL, TTL.plus(MARGIN));
  }

  @Test
  void loadVersioned_withinTheMargin_readsWithoutWriting_andPastIt_slides() {
    long version = store.saveIf("k", Condition.absent(), new byte[] {3}, TTL).version();
    String written = xmin("k");
    counting.reset();

    Stored fresh = store.loadVersioned("k", TTL);
    assertThat(fresh.version()).isEqualTo(version);
    assertThat(xmin("k")).isEqualTo(written);

    moveExpiryBack("k", MARGIN.plusSeconds(5));
    written = xmin("k");
    Stored slid = store.loadVersioned("k", TTL);

    assertThat(slid.version()).as("a slide is no new version").isEqualTo(version);
    assertThat(xmin("k")).isNotEqualTo(written);
    assertThat(counting.statements()).isEqualTo(2);
    assertThat(remaining("k")).isGreaterThanOrEqualTo(TTL);
  }

  @Test
  void loadStatement_findsTheRowByItsKey_inBothParts() throws SQLException {
    store.save("k", new byte[] {1}, TTL);
    Statements sql = new Statements("public", table, false);

    List<String> plan = explain(sql.load, 72_000_000L, "k", 60_000_000L, 72_000_000L, "k");

    assertThat(plan).noneMatch(line -> line.contains("Seq Scan"));
    assertThat(plan.stream().filter(line -> line.contains(table + "_pkey")).count())
        .as("the UPDATE and the read each use the primary key: %s", plan)
        .isEqualTo(2);
  }

  /**
   * The plan of {@code sql} with these parameters, forced off sequential scans' small-table bias.
   */
  private static List<String> explain(String sql, Object... params) throws SQLException {
    try (Connection c = Postgres.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement off = c.prepareStatement("SET LOCAL enable_seqscan = off")) {
        off.execute();
      }
      List<String> lines = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("EXPLAIN (COSTS OFF) " + sql)) {
        for (int i = 0; i < params.length; i++) {
          s.setObject(i + 1, params[i]);
        }
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            lines.add(rs.getString(1));
          }
        }
      }
      c.rollback();
      return lines;
    }
  }

  private String xmin(String key) {
    return Postgres.query("SELECT xmin::text FROM public." + table + " WHERE session_key = ?", key)
        .orElseThrow();
  }

  private Duration remaining(String key) {
    return Duration.ofMillis(
        Postgres.queryLong(
            "SELECT (extract(epoch FROM expires_at - now()) * 1000)::bigint FROM public."
                + table
                + " WHERE session_key = ?",
            key));
  }

  private void moveExpiryBack(String key, Duration by) {
    Postgres.execute(
        "UPDATE public."
            + table
            + " SET expires_at = expires_at - ? * interval '1 millisecond' WHERE session_key = ?",
        by.toMillis(),
        key);
  }
}
