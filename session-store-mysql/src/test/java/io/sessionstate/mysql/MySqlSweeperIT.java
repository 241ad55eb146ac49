package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.tck.LogCapture;
import io.sessionstate.tck.ManualScheduler;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The background sweeper against the shared server: 10,000 expired rows among 10,000 live ones.
 * "Untouched" is checked by a digest of each live row's key, expiry and blob; "no deadlock" by the
 * server's {@code Innodb_deadlocks} counter.
 */
class MySqlSweeperIT {
  private static final int EXPIRED = 10_000;
  private static final int LIVE = 10_000;

  private final String table = MySql.uniqueTable("sweep");
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void createRows() throws SQLException {
    MySqlSessionStore.builder()
        .jdbcUrl(MySql.jdbcUrl())
        .table(table)
        .createSchema(true)
        .sweeperEnabled(false)
        .build()
        .start()
        .close();
    try (Connection c = MySql.connect();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO "
                    + table
                    + " (session_key, session_data, expires_at)"
                    + " VALUES (?, UNHEX(MD5(?)), UTC_TIMESTAMP(3) + INTERVAL ? SECOND)")) {
      c.setAutoCommit(false);
      for (int i = 1; i <= EXPIRED + LIVE; i++) {
        boolean expired = i <= EXPIRED;
        int n = expired ? i : i - EXPIRED;
        s.setBytes(1, ((expired ? "expired" : "live") + n).getBytes(StandardCharsets.UTF_8));
        s.setString(2, Integer.toString(n));
        s.setInt(3, expired ? -(n % 600 + 1) : n % 600 + 60);
        s.addBatch();
        if (i % 2000 == 0) {
          s.executeBatch();
        }
      }
      c.commit();
    }
  }

  @AfterEach
  void dropTable() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    MySql.dropTable(table);
  }

  @Test
  void oneScheduledSweep_deletesEveryExpiredRow_andTouchesNoLiveRow() {
    String liveBefore = liveDigest();
    ManualScheduler scheduler = closing(new ManualScheduler());
    MySqlSessionStore store =
        closing(
            MySqlSessionStore.builder()
                .jdbcUrl(MySql.jdbcUrl())
                .table(table)
                .sweepInterval(Duration.ofSeconds(30))
                .sweeper(scheduler)
                .build());
    assertThat(scheduler.scheduled()).as("nothing is scheduled before the store starts").isEmpty();

    store.start();
    assertThat(scheduler.scheduled()).hasSize(1);
    assertThat(scheduler.scheduled().get(0).initialDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(scheduler.scheduled().get(0).delay()).isEqualTo(Duration.ofSeconds(30));

    scheduler.runSweep();

    assertThat(expiredRows()).isZero();
    assertThat(MySql.queryLong("SELECT count(*) FROM " + table)).isEqualTo(LIVE);
    assertThat(liveDigest()).isEqualTo(liveBefore);

    store.close();
    assertThat(scheduler.scheduled().get(0).future().isCancelled()).isTrue();
    assertThat(scheduler.isShutdown()).as("a caller's scheduler stays open").isFalse();
  }

  @Test
  void ownScheduler_sweepsWithinOneIntervalOfStarting() throws Exception {
    Duration interval = Duration.ofSeconds(1);
    MySqlSessionStore store =
        closing(
            MySqlSessionStore.builder()
                .jdbcUrl(MySql.jdbcUrl())
                .table(table)
                .sweepInterval(interval)
                .build());
    long started = System.nanoTime();
    store.start();

    // One interval, and generous room for a busy two-core machine to run the sweep itself.
    long deadline = started + interval.plusSeconds(14).toNanos();
    while (expiredRows() > 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
    }
    assertThat(expiredRows()).isZero();
    assertThat(MySql.queryLong("SELECT count(*) FROM " + table)).isEqualTo(LIVE);
  }

  @Test
  void twoSweepers_andEightRequestThreads_deadlockNever_andKeepEverySessionSavedAgain()
      throws Exception {
    MySqlSessionStore nodeA = closing(node());
    MySqlSessionStore nodeB = closing(node());
    String liveBefore = liveDigest();
    long deadlocksBefore = MySql.deadlocks();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      CompletableFuture<Long> sweepA = CompletableFuture.supplyAsync(nodeA::sweepExpired, pool);
      CompletableFuture<Long> sweepB = CompletableFuture.supplyAsync(nodeB::sweepExpired, pool);
      List<CompletableFuture<?>> requests = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        requests.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < 60; i++) {
                    String key = "request" + thread + "_" + i;
                    nodeA.save(key, new byte[] {1, 2, 3}, Duration.ofMinutes(5));
                    assertThat(nodeB.loadAndTouch(key, Duration.ofMinutes(5))).isPresent();
                    // An expired row a sweeper may be deleting this instant: found absent, then
                    // saved again under its key (a visitor back after the idle timeout), the
                    // write that would meet the sweeper's locks in the other order.
                    String expired = "expired" + (1 + i * 160 + thread * 20);
                    assertThat(nodeA.loadAndTouch(expired, Duration.ofMinutes(5))).isEmpty();
                    nodeB.save(expired, new byte[] {9}, Duration.ofMinutes(5));
                    nodeA.touch(key, Duration.ofMinutes(6));
                  }
                },
                pool));
      }

      CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new))
          .get(120, TimeUnit.SECONDS);
      long deleted = sweepA.get(120, TimeUnit.SECONDS) + sweepB.get(120, TimeUnit.SECONDS);
      // Each expired row is deleted once, by one node, unless a request saved it again first.
      assertThat(deleted).isBetween((long) EXPIRED - 8 * 60, (long) EXPIRED);
    } finally {
      pool.shutdownNow();
    }

    assertThat(MySql.deadlocks()).as("Innodb_deadlocks").isEqualTo(deadlocksBefore);
    nodeA.sweepExpired();
    assertThat(MySql.queryLong("SELECT count(*) FROM " + table + " WHERE session_data = X'09'"))
        .as("expired sessions saved again survive every sweep")
        .isEqualTo(8 * 60);
    assertThat(
            MySql.queryLong(
                "SELECT count(*) FROM "
                    + table
                    + " WHERE session_key LIKE 'expired%' AND expires_at < UTC_TIMESTAMP(3)"))
        .isZero();
    assertThat(liveDigest()).isEqualTo(liveBefore);
  }

  /**
   * The deadlock a sweep that scans the expiry index would meet, set up on purpose: a request holds
   * an expired row's primary key (as a save does before it moves the row's expiry) when the sweep
   * reaches the row, then moves the expiry. A sweep that locked the expiry index first would hold
   * the row's index entry the request now needs, while waiting for the key the request holds.
   */
  @Test
  void aSweep_thatMeetsARowARequestIsSavingAgain_waitsForIt_andNeitherDeadlocks() throws Exception {
    MySqlSessionStore node = closing(node());
    String liveBefore = liveDigest();
    long deadlocksBefore = MySql.deadlocks();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection request = MySql.connect()) {
      request.setAutoCommit(false);
      try (PreparedStatement lock =
          request.prepareStatement(
              "SELECT session_key FROM " + table + " WHERE session_key = ? FOR UPDATE")) {
        lock.setBytes(1, "expired5000".getBytes(StandardCharsets.UTF_8));
        lock.executeQuery().close();
      }
      CompletableFuture<Long> sweep = CompletableFuture.supplyAsync(node::sweepExpired, pool);
      // Time for the sweep to reach the held row and wait on it.
      Thread.sleep(1500);
      assertThat(sweep).as("the sweep waits on the held row").isNotDone();

      try (PreparedStatement save =
          request.prepareStatement(
              "UPDATE "
                  + table
                  + " SET session_data = X'09', expires_at = UTC_TIMESTAMP(3) + INTERVAL 5 MINUTE"
                  + " WHERE session_key = ?")) {
        save.setBytes(1, "expired5000".getBytes(StandardCharsets.UTF_8));
        assertThat(save.executeUpdate()).isEqualTo(1);
      }
      request.commit();

      assertThat(sweep.get(60, TimeUnit.SECONDS)).isEqualTo(EXPIRED - 1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(MySql.deadlocks()).as("Innodb_deadlocks").isEqualTo(deadlocksBefore);
    assertThat(node.loadAndTouch("expired5000", Duration.ofMinutes(5)))
        .hasValueSatisfying(b -> assertThat(b).containsExactly(9));
    assertThat(liveDigest()).isEqualTo(liveBefore);
  }

  @Test
  void failingSweep_isLogged_andTheScheduleGoesOn() {
    ManualScheduler scheduler = closing(new ManualScheduler());
    MySqlSessionStore store =
        closing(
            MySqlSessionStore.builder()
                .jdbcUrl(MySql.jdbcUrl())
                .table(table)
                .sweeper(scheduler)
                .build()
                .start());
    try (LogCapture err = LogCapture.systemErr()) {
      scheduler.runSweep();
      assertThat(err.text())
          .as("a sweep that works logs nothing")
          .doesNotContain(MySqlSessionStore.class.getName());
    }
    MySql.dropTable(table);

    try (LogCapture err = LogCapture.systemErr()) {
      scheduler.runSweep();
      assertThat(err.text())
          .contains("WARN " + MySqlSessionStore.class.getName())
          .contains("Sweeping expired sessions from " + table + " failed")
          .contains("SQL state 42S02 (error 1146)");
    }
    assertThat(scheduler.scheduled().get(0).future().isCancelled()).isFalse();
    store.close();
  }

  private MySqlSessionStore node() {
    return MySqlSessionStore.builder()
        .jdbcUrl(MySql.jdbcUrl())
        .table(table)
        .sweepBatchSize(200)
        .sweeperEnabled(false)
        .build()
        .start();
  }

  private long expiredRows() {
    return MySql.queryLong("SELECT count(*) FROM " + table + " WHERE session_key LIKE 'expired%'");
  }

  private String liveDigest() {
    return MySql.query(
            "SELECT CONCAT(count(*), ':', BIT_XOR(CRC32(CONCAT_WS(':', session_key,"
                + " DATE_FORMAT(expires_at, '%Y-%m-%d %H:%i:%s.%f'), MD5(session_data))))) FROM "
                + table
                + " WHERE session_key LIKE 'live%'")
        .orElseThrow();
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }
}
