package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A missing table, an unreachable server, a multi-host URL. Hostile bytes in the table are the
 * contract suite's back-door cases ({@link PostgresContractBase}).
 */
class PostgresBadInputIT {
  private final String table = Postgres.uniqueTable("bad");

  @AfterEach
  void dropTable() {
    Postgres.dropTable(table);
  }

  @Test
  void missingTable_failsWithTheStoreErrorNamingTheSqlState() {
    try (PostgresSessionStore store =
        PostgresSessionStore.builder().dataSource(Postgres.dataSource()).table(table).build()) {
      assertThatThrownBy(() -> store.loadAndTouch("k", Duration.ofMinutes(1)))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith(
              "postgresql store failed to load: SQL state 42P01: ERROR: relation")
          .hasMessageContaining(table)
          .satisfies(
              e -> {
                SessionStoreException s = (SessionStoreException) e;
                assertThat(s.storeName()).isEqualTo("postgresql");
                assertThat(s.operation()).isEqualTo("load");
              });
    }
  }

  @Test
  void unreachableServer_failsWithTheStoreErrorWithinTheConnectionTimeout() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (PostgresSessionStore store =
        PostgresSessionStore.builder()
            .jdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/test?user=postgres")
            .table(table)
            .connectionTimeout(Duration.ofMillis(500))
            .build()) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.save("k", new byte[] {1}, Duration.ofMinutes(1)))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith("postgresql store failed to save: SQL state 08001: ");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void start_whileTheServerIsUnreachable_failsWithTheStoreError_andMayBeCalledAgain()
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (PostgresSessionStore store =
        PostgresSessionStore.builder()
            .jdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/test?user=postgres")
            .table(table)
            .createSchema(true)
            .connectionTimeout(Duration.ofMillis(300))
            .build()) {
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(store::start)
            .isExactlyInstanceOf(SessionStoreException.class)
            .hasMessageStartingWith(
                "postgresql store failed to start: could not create the sessions table: SQL state 08001");
      }
    }
  }

  @Test
  void multiHostUrl_withTargetServerTypePrimary_findsTheServerThatAnswers() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String url = Postgres.jdbcUrl();
    String hostPart = url.substring("jdbc:postgresql://".length(), url.indexOf('/', 18));
    String multi =
        "jdbc:postgresql://127.0.0.1:"
            + closed
            + ","
            + hostPart
            + url.substring(url.indexOf('/', 18))
            + (url.contains("?") ? "&" : "?")
            + "targetServerType=primary";
    try (PostgresSessionStore store =
        PostgresSessionStore.builder().jdbcUrl(multi).table(table).createSchema(true).build()) {
      store.save("k", new byte[] {4, 2}, Duration.ofMinutes(1));
      assertThat(store.loadAndTouch("k", Duration.ofMinutes(1)))
          .hasValueSatisfying(b -> assertThat(b).containsExactly(4, 2));
    }
  }
}
