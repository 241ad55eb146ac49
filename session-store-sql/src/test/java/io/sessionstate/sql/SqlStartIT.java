package io.sessionstate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starting and closing a store against the shared server. */
class SqlStartIT {
  private final String table = Postgres.uniqueTable("start");

  @AfterEach
  void dropTable() {
    Postgres.dropTable(table);
  }

  @Test
  void createSchema_onALiveTable_doesNotWaitForWritesInFlight() throws Exception {
    try (SqlSessionStore first = store()) {
      first.save("k", new byte[] {1}, Duration.ofMinutes(5));
    }
    try (Connection writer = Postgres.connect();
        SqlSessionStore starting = store()) {
      // A request's write in flight on another node: it holds the table's ROW EXCLUSIVE lock.
      writer.setAutoCommit(false);
      try (PreparedStatement s =
          writer.prepareStatement(
              "UPDATE public." + table + " SET expires_at = expires_at WHERE session_key = 'k'")) {
        assertThat(s.executeUpdate()).isEqualTo(1);
      }

      CompletableFuture<SqlSessionStore> start = CompletableFuture.supplyAsync(starting::start);
      try {
        assertThat(start).succeedsWithin(Duration.ofSeconds(5));
      } finally {
        writer.rollback();
        start.get(30, TimeUnit.SECONDS);
      }
    }
  }

  private SqlSessionStore store() {
    return SqlSessionStore.builder()
        .jdbcUrl(Postgres.jdbcUrl())
        .table(table)
        .createSchema(true)
        .sweeperEnabled(false)
        .build();
  }
}
