package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sessionstate.tck.FaultClients;
import io.sessionstate.tck.StallingProxy;
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
        // Until every client has a request judged by assertRecovered below, not a fixed while.
        clients.awaitRequestsSince(back + Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(15));
        List<String> stuck = clients.stop(Duration.ofSeconds(10));
        System.out.println("killed and restarted: " + clients.summary());

        assertThat(stuck).as("clients still running").isEmpty();
        clients.assertBounded(IO_TIMEOUT.plusMillis(250), "mysql", "SQL state ");
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
        // Until every client has a request judged by assertRecovered below, not a fixed while.
        clients.awaitRequestsSince(
            thawed + Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(15));
        List<String> stuck = clients.stop(Duration.ofSeconds(10));
        System.out.println("frozen server: " + clients.summary());

        assertThat(stuck).as("clients still running").isEmpty();
        long limit = (long) (IO_TIMEOUT.toNanos() * 1.1);
        clients.assertBounded(Duration.ofNanos(limit), "mysql", "SQL state ");
        assertThat(clients.failuresBetween(frozen, thawed))
            .as("requests failed while the server was frozen")
            .isPositive();
        clients.assertRecovered(thawed + Duration.ofSeconds(2).toNanos());
      } finally {
        clients.manager().close();
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
}
