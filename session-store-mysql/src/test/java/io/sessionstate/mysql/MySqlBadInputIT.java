package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failures of the database, as the store reports them: the library's error, no key, no blob. */
class MySqlBadInputIT {

  @Test
  void missingTable_isAStoreErrorNamingTheOperationAndSqlState_withoutTheKey() {
    String table = MySql.uniqueTable("missing");
    try (MySqlSessionStore store =
        MySqlSessionStore.builder().jdbcUrl(MySql.jdbcUrl()).table(table).build()) {
      assertThatThrownBy(() -> store.loadAndTouch("secret-key", Duration.ofMinutes(1)))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith("mysql store failed to load: SQL state 42S02 (error 1146): ")
          .hasMessageContaining(table)
          .hasMessageNotContaining("secret-key");
      assertThatThrownBy(() -> store.save("secret-key", new byte[] {1}, Duration.ofMinutes(1)))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith("mysql store failed to save: SQL state 42S02 (error 1146): ")
          .hasMessageNotContaining("secret-key");
      assertThatThrownBy(store::sweepExpired)
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith("mysql store failed to sweep: SQL state 42S02 (error 1146): ");
    }
  }

  @Test
  void createSchema_inAMissingDatabase_failsTheStart_andALaterStartTriesAgain() {
    String database = MySql.uniqueTable("nodb");
    try (MySqlSessionStore store =
        MySqlSessionStore.builder()
            .jdbcUrl(MySql.jdbcUrl())
            .database(database)
            .createSchema(true)
            .sweeperEnabled(false)
            .build()) {
      assertThatThrownBy(store::start)
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith(
              "mysql store failed to start: could not create the sessions table: SQL state 42000"
                  + " (error 1049): ")
          .hasMessageContaining(database);

      MySql.execute("CREATE DATABASE " + database);
      try {
        store.start();
        store.save("k", new byte[] {4}, Duration.ofMinutes(1));
        assertThat(store.loadAndTouch("k", Duration.ofMinutes(1)))
            .hasValueSatisfying(v -> assertThat(v).containsExactly(4));
      } finally {
        MySql.execute("DROP DATABASE " + database);
      }
    }
  }

  @Test
  void unreachableServer_failsWithinTheConnectionTimeout_asAStoreError() {
    try (MySqlSessionStore store =
        MySqlSessionStore.builder()
            .jdbcUrl("jdbc:mariadb://127.0.0.1:1/none?sslMode=disable")
            .connectionTimeout(Duration.ofMillis(500))
            .connectTimeout(Duration.ofMillis(500))
            .build()) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> store.delete("k"))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith("mysql store failed to delete: SQL state ");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
  }
}
