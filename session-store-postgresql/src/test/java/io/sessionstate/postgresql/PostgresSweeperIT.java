package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.tck.LogCapture;
import io.sessionstate.tck.ManualScheduler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The background sweeper against the shared server: 10,000 expired rows among 10,000 live ones.
 * "Untouched" is checked by each live row's {@code xmin} (the transaction that last wrote it), its
 * expiry and a digest of its blob.
 */
class PostgresSweeperIT {
  private static final int EXPIRED = 10_000;
  private static final int LIVE = 10_000;

  private final String table = Postgres.uniqueTable("sweep");
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void createRows() {
    PostgresSessionStore.builder()
        .jdbcUrl(Postgres.jdbcUrl())
        .table(table)
        .createSchema(true)
        .sweeperEnabled(false)
        .build()
        .start()
        .close();
    Postgres.execute(
        "INSERT INTO public."
            + table
            + " (session_key, blob, expires_at) SELECT 'expired' || i, decode(md5(i::text), 'hex'),"
            + " now() - (i % 600 + 1) * interval '1 second' FROM generate_series(1, ?) i",
        EXPIRED);
    Postgres.execute(
        "INSERT INTO public."
            + table
            + " (session_key, blob, expires_at) SELECT 'live' || i, decode(md5(i::text), 'hex'),"
            + " now() + (i % 600 + 60) * interval '1 second' FROM generate_series(1, ?) i",
        LIVE);
  }

  @AfterEach
  void dropTable() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    Postgres.dropTable(table);
  }

  @Test
  void oneScheduledSweep_deletesEveryExpiredRow_andTouchesNoLiveRow() {
    String liveBefore = liveDigest();
    ManualScheduler scheduler = closing(new ManualScheduler());
    PostgresSessionStore store =
        closing(
            PostgresSessionStore.builder()
                .jdbcUrl(Postgres.jdbcUrl())
                .table(table)
                .sweepInterval(Duration.ofSeconds(30))
                .sweepBatchSize(500)
                .sweeper(scheduler)
                .build());
    assertThat(scheduler.scheduled()).as("nothing is scheduled before the store starts").isEmpty();

    store.start();
    assertThat(scheduler.scheduled()).hasSize(1);
    assertThat(scheduler.scheduled().get(0).initialDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(scheduler.scheduled().get(0).delay()).isEqualTo(Duration.ofSeconds(30));

    scheduler.runSweep();

    assertThat(expiredRows()).isZero();
    assertThat(Postgres.queryLong("SELECT count(*) FROM public." + table)).isEqualTo(LIVE);
    assertThat(liveDigest()).isEqualTo(liveBefore);

    store.close();
    assertThat(scheduler.scheduled().get(0).future().isCancelled()).isTrue();
    assertThat(scheduler.isShutdown()).as("a caller's scheduler stays open").isFalse();
  }

  @Test
  void ownScheduler_sweepsWithinOneIntervalOfStarting() throws Exception {
    Duration interval = Duration.ofSeconds(1);
    PostgresSessionStore store =
        closing(
            PostgresSessionStore.builder()
                .jdbcUrl(Postgres.jdbcUrl())
                .table(table)
                .sweepInterval(interval)
                .build());
    long started = System.nanoTime();
    store.start();

    // One interval, and generous room for a busy two-core machine to run the sweep itself.
    long deadline = started + interval.plusSeconds(9).toNanos();
    while (expiredRows() > 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
    }
    assertThat(expiredRows()).isZero();
    assertThat(Postgres.queryLong("SELECT count(*) FROM public." + table)).isEqualTo(LIVE);
  }

  @Test
  void twoSweepers_andRequests_neverWaitOnRowsAnotherSweeperHolds() throws Exception {
    PostgresSessionStore nodeA = closing(node());
    PostgresSessionStore nodeB = closing(node());
    String liveBefore = liveDigest();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try (Connection holder = Postgres.connect()) {
      // A third sweeper, stopped in the middle of its batch: it holds 500 expired rows locked.
      holder.setAutoCommit(false);
      try (PreparedStatement lock =
          holder.prepareStatement(
              "SELECT session_key FROM public."
                  + table
                  + " WHERE expires_at < now() LIMIT 500 FOR UPDATE SKIP LOCKED")) {
        lock.executeQuery().close();
      }

      CompletableFuture<Long> sweepA = CompletableFuture.supplyAsync(nodeA::sweepExpired, pool);
      CompletableFuture<Long> sweepB = CompletableFuture.supplyAsync(nodeB::sweepExpired, pool);
      List<CompletableFuture<?>> requests = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        requests.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    String key = "request" + thread + "_" + i;
                    nodeA.save(key, new byte[] {1, 2, 3}, Duration.ofMinutes(5));
                    assertThat(nodeB.loadAndTouch(key, Duration.ofMinutes(5))).isPresent();
                    // An expired row, perhaps one the held batch has locked: found absent, at once.
                    Optional<byte[]> expired =
                        nodeA.loadAndTouch(
                            "expired" + (1 + i * 37 + thread), Duration.ofMinutes(5));
                    assertThat(expired).isEmpty();
                  }
                },
                pool));
      }

      // Everything finishes while the held locks are still held: nothing waited on them.
      CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long deleted = sweepA.get(60, TimeUnit.SECONDS) + sweepB.get(60, TimeUnit.SECONDS);
      assertThat(deleted).isEqualTo(EXPIRED - 500);
      assertThat(expiredRows()).isEqualTo(500);
      holder.rollback();
    } finally {
      pool.shutdownNow();
    }

    assertThat(nodeA.sweepExpired()).isEqualTo(500);
    assertThat(expiredRows()).isZero();
    assertThat(liveDigest()).isEqualTo(liveBefore);
  }

  @Test
  void failingSweep_isLogged_andTheScheduleGoesOn() {
    ManualScheduler scheduler = closing(new ManualScheduler());
    PostgresSessionStore store =
        closing(
            PostgresSessionStore.builder()
                .jdbcUrl(Postgres.jdbcUrl())
                .table(table)
                .sweeper(scheduler)
                .build()
                .start());
    try (LogCapture err = LogCapture.systemErr()) {
      scheduler.runSweep();
      assertThat(err.text())
          .as("a sweep that works logs nothing")
          .doesNotContain(PostgresSessionStore.class.getName());
    }
    Postgres.dropTable(table);

    try (LogCapture err = LogCapture.systemErr()) {
      scheduler.runSweep();
      assertThat(err.text())
          .contains("WARN " + PostgresSessionStore.class.getName())
          .contains("Sweeping expired sessions from public." + table + " failed")
          .contains("SQL state 42P01");
    }
    assertThat(scheduler.scheduled().get(0).future().isCancelled()).isFalse();
    store.close();
  }

  private PostgresSessionStore node() {
    return PostgresSessionStore.builder()
        .jdbcUrl(Postgres.jdbcUrl())
        .table(table)
        .sweepBatchSize(200)
        .sweeperEnabled(false)
        .build()
        .start();
  }

  private long expiredRows() {
    return Postgres.queryLong(
        "SELECT count(*) FROM public." + table + " WHERE session_key LIKE 'expired%'");
  }

  private String liveDigest() {
    return Postgres.query(
            "SELECT count(*) || ':' || md5(string_agg(session_key || ':' || xmin || ':' ||"
                + " expires_at || ':' || md5(blob), ',' ORDER BY session_key)) FROM public."
                + table
                + " WHERE session_key LIKE 'live%'")
        .orElseThrow();
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }
}
