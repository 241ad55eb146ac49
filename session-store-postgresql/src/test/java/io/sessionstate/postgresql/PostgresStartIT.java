package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starting and closing a store against the shared server. */
class PostgresStartIT {
  private final String table = Postgres.uniqueTable("start");

  @AfterEach
  void dropTable() {
    Postgres.dropTable(table);
  }

  @Test
  void createSchema_onALiveTable_doesNotWaitForWritesInFlight() throws Exception {
    try (PostgresSessionStore first = store()) {
      first.save("k", new byte[] {1}, Duration.ofMinutes(5));
    }
    try (Connection writer = Postgres.connect();
        PostgresSessionStore starting = store()) {
      // A request's write in flight on another node: it holds the table's ROW EXCLUSIVE lock.
      writer.setAutoCommit(false);
      try (PreparedStatement s =
          writer.prepareStatement(
              "UPDATE public." + table + " SET expires_at = expires_at WHERE session_key = 'k'")) {
        assertThat(s.executeUpdate()).isEqualTo(1);
      }

      CompletableFuture<PostgresSessionStore> start =
          CompletableFuture.supplyAsync(starting::start);
      try {
        assertThat(start).succeedsWithin(Duration.ofSeconds(5));
      } finally {
        writer.rollback();
        start.get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aClosedStore_refusesEveryCall_alsoAfterItHadStarted() {
    // Over the application's data source, which stays open: only the store's own state can refuse.
    PostgresSessionStore store =
        PostgresSessionStore.builder()
            .dataSource(Postgres.dataSource())
            .table(table)
            .createSchema(true)
            .sweeperEnabled(false)
            .build()
            .start();
    store.save("k", new byte[] {1}, Duration.ofMinutes(5));
    store.close();

    assertThatThrownBy(store::start)
        .isExactlyInstanceOf(SessionStoreException.class)
        .hasMessage("postgresql store failed to start: the store is closed");
    assertThatThrownBy(() -> store.loadAndTouch("k", Duration.ofMinutes(5)))
        .isExactlyInstanceOf(SessionStoreException.class)
        .hasMessage("postgresql store failed to load: the store is closed");
    assertThatThrownBy(() -> store.save("k", new byte[] {2}, Duration.ofMinutes(5)))
        .isExactlyInstanceOf(SessionStoreException.class)
        .hasMessage("postgresql store failed to save: the store is closed");
    assertThatThrownBy(store::sweepExpired)
        .isExactlyInstanceOf(SessionStoreException.class)
        .hasMessage("postgresql store failed to sweep: the store is closed");
    assertThat(
            Postgres.query(
                "SELECT encode(blob, 'hex') FROM public." + table + " WHERE session_key = 'k'"))
        .hasValue("01");
  }

  @Test
  void sweepExpired_asTheFirstCall_startsTheStore_andCreatesTheTable() {
    try (PostgresSessionStore store = store()) {
      assertThat(store.sweepExpired()).isZero();
      assertThat(Postgres.queryLong("SELECT count(*) FROM public." + table)).isZero();
    }
  }

  private PostgresSessionStore store() {
    return PostgresSessionStore.builder()
        .jdbcUrl(Postgres.jdbcUrl())
        .table(table)
        .createSchema(true)
        .sweeperEnabled(false)
        .build();
  }
}
