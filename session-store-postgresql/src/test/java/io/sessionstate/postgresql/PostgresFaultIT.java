package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sessionstate.SessionStoreException;
import io.sessionstate.tck.FaultClients;
import io.sessionstate.tck.StallingProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Faults with 16 concurrent clients: a server of the test's own stopped with {@code -m immediate}
 * and started 2 s later, and the shared server frozen for 3 s behind a stalling proxy. The store's
 * own timeouts (1 s) sit below the manager's I/O timeout, so failures are the store's errors.
 */
class PostgresFaultIT {
  private static final int CLIENTS = 16;
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void immediateStop_andRestart_failsBoundedRecoversAndLosesNoAcknowledgedCommit()
      throws Exception {
    Optional<Path> bin = PostgresProcess.binaries();
    assumeTrue(bin.isPresent(), "no PostgreSQL binaries under /usr/lib/postgresql");
    try (PostgresProcess server = PostgresProcess.start(bin.get())) {
      FaultClients clients = new FaultClients(store(server.jdbcUrl(), false), IO_TIMEOUT, CLIENTS);
      try {
        clients.start();
        Thread.sleep(1000);
        long stopped = System.nanoTime();
        server.stopImmediately();
        Thread.sleep(2000);
        server.start();
        long back = System.nanoTime();
        // Until every client has a request judged by assertRecovered below, not a fixed while.
        clients.awaitRequestsSince(back + Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(15));
        List<String> stuck = clients.stop(Duration.ofSeconds(10));
        System.out.println("immediate stop and restart: " + clients.summary());

        assertThat(stuck).as("clients still running").isEmpty();
        clients.assertBounded(IO_TIMEOUT.plusMillis(250), "postgresql", "SQL state ");
        assertThat(clients.failuresBetween(stopped, back))
            .as("requests failed while the server was down")
            .isPositive();
        clients.assertRecovered(back + Duration.ofSeconds(2).toNanos());
        clients.assertNoAcknowledgedCommitLost();
      } finally {
        clients.manager().close();
      }
    }
  }

  @Test
  void immediateStop_emptiesAnUnloggedTable_andKeepsALoggedOne() throws Exception {
    Optional<Path> bin = PostgresProcess.binaries();
    assumeTrue(bin.isPresent(), "no PostgreSQL binaries under /usr/lib/postgresql");
    try (PostgresProcess server = PostgresProcess.start(bin.get());
        PostgresSessionStore logged = store(server.jdbcUrl(), false);
        PostgresSessionStore unlogged = store(server.jdbcUrl(), true)) {
      logged.save("k", new byte[] {1}, Duration.ofMinutes(5));
      unlogged.save("k", new byte[] {2}, Duration.ofMinutes(5));

      server.stopImmediately();
      server.start();

      // Crash recovery resets every unlogged table to empty: what UNLOGGED trades away.
      assertThat(eventually(() -> logged.loadAndTouch("k", Duration.ofMinutes(5))))
          .hasValueSatisfying(b -> assertThat(b).containsExactly(1));
      assertThat(eventually(() -> unlogged.loadAndTouch("k", Duration.ofMinutes(5)))).isEmpty();
    }
  }

  @Test
  void frozenServer_noRequestPassesTheIoTimeout_andNoneIsStuckAfterwards() throws Exception {
    Matcher m =
        Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)(/.*)").matcher(Postgres.jdbcUrl());
    assertThat(m.matches()).as("shared server URL %s", Postgres.jdbcUrl()).isTrue();
    try (StallingProxy proxy = new StallingProxy(m.group(1), Integer.parseInt(m.group(2)))) {
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + m.group(3);
      String table = Postgres.uniqueTable("frozen");
      FaultClients clients =
          new FaultClients(
              PostgresSessionStore.builder()
                  .jdbcUrl(url)
                  .table(table)
                  .createSchema(true)
                  .maximumPoolSize(CLIENTS)
                  .connectionTimeout(SECOND)
                  .connectTimeout(SECOND)
                  .socketTimeout(SECOND)
                  .build(),
              IO_TIMEOUT,
              CLIENTS);
      try {
        clients.start();
        Thread.sleep(1000);
        long frozen = System.nanoTime();
        proxy.freeze();
        Thread.sleep(3000);
        proxy.thaw();
        long thawed = System.nanoTime();
        // Until every client has a request judged by assertRecovered below, not a fixed while.
        clients.awaitRequestsSince(
            thawed + Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(15));
        List<String> stuck = clients.stop(Duration.ofSeconds(10));
        System.out.println("frozen server: " + clients.summary());

        assertThat(stuck).as("clients still running").isEmpty();
        long limit = (long) (IO_TIMEOUT.toNanos() * 1.1);
        clients.assertBounded(Duration.ofNanos(limit), "postgresql", "SQL state ");
        assertThat(clients.failuresBetween(frozen, thawed))
            .as("requests failed while the server was frozen")
            .isPositive();
        clients.assertRecovered(thawed + Duration.ofSeconds(2).toNanos());
      } finally {
        clients.manager().close();
        Postgres.dropTable(table);
      }
    }
  }

  private static PostgresSessionStore store(String url, boolean unlogged) {
    return PostgresSessionStore.builder()
        .jdbcUrl(url)
        .table(unlogged ? "sessions_unlogged" : "sessions")
        .unlogged(unlogged)
        .createSchema(true)
        .maximumPoolSize(CLIENTS)
        .connectionTimeout(SECOND)
        .connectTimeout(SECOND)
        .socketTimeout(SECOND)
        .build()
        .start();
  }

  /** Retries while the pool replaces the connections the restart broke. */
  private static <T> T eventually(java.util.function.Supplier<T> call) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return call.get();
      } catch (SessionStoreException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
