package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionDataException;
import io.sessionstate.SessionListener;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionStoreException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hostile data in the table, a missing table, an unreachable server, a multi-host URL. */
class PostgresBadInputIT {
  private final String table = Postgres.uniqueTable("bad");

  @AfterEach
  void dropTable() {
    Postgres.dropTable(table);
  }

  @Test
  void hostileBytesInTheBlobColumn_loadAsAnEmptySession_withAWarning() {
    List<SessionDataException> unreadable = new CopyOnWriteArrayList<>();
    byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
    Arrays.fill(secret, (byte) 3);
    try (SessionManager manager =
        SessionManager.builder()
            .store(
                PostgresSessionStore.builder()
                    .dataSource(Postgres.dataSource())
                    .table(table)
                    .createSchema(true)
                    .build())
            .keyRing(KeyRing.builder().addKey("k1", secret).build())
            .listener(
                new SessionListener() {
                  @Override
                  public void unreadableData(SessionDataException problem) {
                    unreadable.add(problem);
                  }
                })
            .build()) {
      SessionRequest first = manager.begin(null, false, () -> false);
      first.session().setString("user", "ada");
      String setCookie = first.finish().setCookie().orElseThrow();
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      String key = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf('.'));
      byte[] genuine =
          Postgres.query(
                  "SELECT encode(blob, 'hex') FROM public." + table + " WHERE session_key = ?", key)
              .map(java.util.HexFormat.of()::parseHex)
              .orElseThrow();

      List<byte[]> hostile = new ArrayList<>();
      hostile.add(new byte[0]);
      hostile.add("'; DROP TABLE x; --".getBytes(StandardCharsets.UTF_8));
      byte[] ones = new byte[4096];
      Arrays.fill(ones, (byte) 0xFF);
      hostile.add(ones);
      hostile.add(Arrays.copyOf(genuine, genuine.length / 2));
      byte[] flipped = genuine.clone();
      flipped[flipped.length - 1] ^= 1;
      hostile.add(flipped);

      for (byte[] bytes : hostile) {
        Postgres.execute(
            "UPDATE public." + table + " SET blob = ? WHERE session_key = ?", bytes, key);
        unreadable.clear();
        try (CapturedStderr err = new CapturedStderr()) {
          SessionRequest request = manager.begin(cookie, false, () -> false);
          assertThat(request.session().isAvailable()).isTrue();
          assertThat(request.session().keys()).isEmpty();
          request.finish();

          assertThat(err.text())
              .contains("WARN")
              .contains("Unreadable data for session key")
              .doesNotContain(key);
        }
        assertThat(unreadable).hasSize(1);
      }
    }
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
