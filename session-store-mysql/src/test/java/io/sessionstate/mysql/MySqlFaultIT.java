package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sessionstate.SessionStoreException;
import io.sessionstate.SessionTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Faults with 16 concurrent clients: a MariaDB of the test's own killed with SIGKILL and started
 * again 2 s later, and the shared server frozen for 3 s behind a stalling proxy. The store's own
 * timeouts (1 s) sit below the manager's I/O timeout, so failures are the store's errors.
 */
class MySqlFaultIT {
  private static final int CLIENTS = 16;
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void killedServer_andRestart_failsBoundedRecoversAndLosesNoAcknowledgedCommit() throws Exception {
    assumeTrue(MariadbProcess.available(), "no mariadbd and mariadb-install-db here");
    try (MariadbProcess server = MariadbProcess.launch()) {
      FaultClients clients = new FaultClients(store(server.jdbcUrl()), IO_TIMEOUT, CLIENTS);
      try {
        clients.start();
        Thread.sleep(1000);
        long stopped = System.nanoTime();
        server.kill();
        Thread.sleep(2000);
        server.start();
        long back = System.nanoTime();
        Thread.sleep(4000);
        List<String> stuck = clients.stop(Duration.ofSeconds(10));
        System.out.println("killed and restarted: " + clients.summary());

        assertThat(stuck).as("clients still running").isEmpty();
        assertBounded(clients, IO_TIMEOUT.plusMillis(250));
        assertThat(failuresBetween(clients, stopped, back))
            .as("requests failed while the server was down")
            .isPositive();
        assertRecovered(clients, back + Duration.ofSeconds(2).toNanos());
        for (int c = 0; c < CLIENTS; c++) {
          long stored = clients.stored(c);
          assertThat(stored)
              .as("client %d: stored counter against acknowledged and attempted ones", c)
              .isBetween(
                  clients.acknowledged.get(c),
                  Math.max(clients.acknowledged.get(c), clients.attempted.get(c)));
        }
      } finally {
        clients.manager.close();
      }
    }
  }

  @Test
  void frozenServer_noRequestPassesTheIoTimeout_andNoneIsStuckAfterwards() throws Exception {
    Matcher m = Pattern.compile("jdbc:mariadb://([^:/]+):(\\d+)(/.*)").matcher(MySql.jdbcUrl());
    assertThat(m.matches()).as("shared server URL %s", MySql.jdbcUrl()).isTrue();
    try (StallingProxy proxy = new StallingProxy(m.group(1), Integer.parseInt(m.group(2)))) {
      String url = "jdbc:mariadb://127.0.0.1:" + proxy.port() + m.group(3);
      String table = MySql.uniqueTable("frozen");
      FaultClients clients =
          new FaultClients(
              MySqlSessionStore.builder()
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
        Thread.sleep(4000);
        List<String> stuck = clients.stop(Duration.ofSeconds(10));
        System.out.println("frozen server: " + clients.summary());

        assertThat(stuck).as("clients still running").isEmpty();
        long limit = (long) (IO_TIMEOUT.toNanos() * 1.1);
        assertBounded(clients, Duration.ofNanos(limit));
        assertThat(failuresBetween(clients, frozen, thawed))
            .as("requests failed while the server was frozen")
            .isPositive();
        assertRecovered(clients, thawed + Duration.ofSeconds(2).toNanos());
      } finally {
        clients.manager.close();
        MySql.dropTable(table);
      }
    }
  }

  private static MySqlSessionStore store(String url) {
    return MySqlSessionStore.builder()
        .jdbcUrl(url)
        .table("sessions")
        .createSchema(true)
        .maximumPoolSize(CLIENTS)
        .connectionTimeout(SECOND)
        .connectTimeout(SECOND)
        .socketTimeout(SECOND)
        .build()
        .start();
  }

  /** Every request ended within {@code limit}, and every failure is the library's error. */
  private static void assertBounded(FaultClients clients, Duration limit) {
    for (FaultClients.Outcome o : clients.outcomes) {
      assertThat(o.duration()).as("request of client %d took", o.client()).isLessThan(limit);
      if (!o.ok()) {
        assertThat(o.error())
            .as("failure of client %d", o.client())
            .isInstanceOfAny(SessionStoreException.class, SessionTimeoutException.class);
        if (o.error() instanceof SessionStoreException e) {
          assertThat(e.getMessage()).startsWith("mysql store failed to ").contains("SQL state ");
        }
      }
    }
  }

  private static long failuresBetween(FaultClients clients, long from, long to) {
    return clients.outcomes.stream()
        .filter(o -> !o.ok() && o.endNanos() - from > 0 && o.startNanos() - to < 0)
        .count();
  }

  /** Every request begun after {@code since} succeeded, and every client made at least one. */
  private static void assertRecovered(FaultClients clients, long since) {
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      List<FaultClients.Outcome> after =
          clients.outcomes.stream()
              .filter(o -> o.client() == client && o.startNanos() - since >= 0)
              .toList();
      assertThat(after).as("requests of client %d after recovery", c).isNotEmpty();
      assertThat(after)
          .as("requests of client %d after recovery", c)
          .allSatisfy(o -> assertThat(o.error()).isNull());
    }
  }
}
