package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.Sweeper;
import io.sessionstate.tck.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sweeper on its own, against the shared server: 25 expired rows and 5 live ones. */
class SweeperIT {
  private static final int EXPIRED = 25;
  private static final int LIVE = 5;

  private final String table = Postgres.uniqueTable("sweeper");
  private final ManualScheduler scheduler = new ManualScheduler();

  @BeforeEach
  void createRows() {
    Statements sql = new Statements("public", table, false);
    Postgres.execute(sql.createTable);
    insertExpiredRows("expired");
    Postgres.execute(
        "INSERT INTO public."
            + table
            + " SELECT 'live' || i, '\\x01', now() + interval '1 hour'"
            + " FROM generate_series(1, ?) i",
        LIVE);
  }

  @AfterEach
  void dropTable() {
    scheduler.close();
    Postgres.dropTable(table);
  }

  @Test
  void sweepExpired_deletesBatchAfterBatch_untilOneComesShort() {
    Sweeper sweeper = sweeper(10, scheduler);

    assertThat(sweeper.sweepExpired()).isEqualTo(EXPIRED);
    assertThat(expiredRows()).isZero();
    assertThat(liveRows()).isEqualTo(LIVE);
    assertThat(sweeper.sweepExpired()).isZero();
  }

  @Test
  void stop_endsASweepAfterItsCurrentBatch() {
    Sweeper sweeper = sweeper(10, scheduler);
    sweeper.stop();

    assertThat(sweeper.sweepExpired()).isEqualTo(10);
    assertThat(expiredRows()).isEqualTo(EXPIRED - 10);
  }

  @Test
  void schedule_onACallersScheduler_happensOnce_everyInterval() {
    Sweeper sweeper = sweeper(10, scheduler);
    assertThat(scheduler.scheduled()).as("nothing is scheduled before schedule()").isEmpty();

    sweeper.schedule();
    sweeper.schedule();

    assertThat(scheduler.scheduled()).hasSize(1);
    assertThat(scheduler.scheduled().get(0).initialDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(scheduler.scheduled().get(0).delay()).isEqualTo(Duration.ofSeconds(30));
    scheduler.runSweep();
    assertThat(expiredRows()).isZero();
  }

  @Test
  void stop_cancelsTheSchedule_andLeavesACallersSchedulerOpen() {
    Sweeper sweeper = sweeper(10, scheduler);
    sweeper.schedule();

    sweeper.stop();

    assertThat(scheduler.scheduled().get(0).future().isCancelled()).isTrue();
    assertThat(scheduler.isShutdown()).isFalse();
  }

  @Test
  void aScheduledSweep_thatRunsAfterStop_deletesNothing() {
    Sweeper sweeper = sweeper(10, scheduler);
    sweeper.schedule();
    sweeper.stop();

    // A run the scheduler had already begun when the sweeper stopped.
    scheduler.scheduled().get(0).task().run();

    assertThat(expiredRows()).isEqualTo(EXPIRED);
  }

  @Test
  void schedule_afterStop_schedulesNothing() {
    Sweeper sweeper = sweeper(10, scheduler);
    sweeper.stop();

    sweeper.schedule();

    assertThat(scheduler.scheduled()).isEmpty();
  }

  @Test
  void aScheduledSweep_thatFails_throwsNothing_forAThrowWouldEndTheSchedule() {
    Sweeper sweeper = sweeper(10, scheduler);
    sweeper.schedule();
    Postgres.dropTable(table);

    assertThatCode(scheduler::runSweep).doesNotThrowAnyException();
  }

  @Test
  void sweepExpired_thatFails_isAStoreErrorNamingTheSqlState() {
    Sweeper sweeper = sweeper(10, scheduler);
    Postgres.dropTable(table);

    assertThatThrownBy(sweeper::sweepExpired)
        .isExactlyInstanceOf(SessionStoreException.class)
        .hasMessageStartingWith(
            "postgresql store failed to sweep: SQL state 42P01: ERROR: relation")
        .hasMessageContaining(table);
  }

  @Test
  void ownScheduler_sweeps_untilStopped() throws Exception {
    Sweeper sweeper = sweeper(10, null);
    sweeper.schedule();
    awaitExpiredRows(0);

    sweeper.stop();
    // Room for a sweep that had begun before stop() to end after its one batch.
    Thread.sleep(300);
    insertExpiredRows("expired_again");
    // Five intervals: a scheduler still running would have swept by now.
    Thread.sleep(500);

    assertThat(expiredRows()).isEqualTo(EXPIRED);
  }

  private Sweeper sweeper(int batchSize, ScheduledExecutorService callerScheduler) {
    Duration interval = callerScheduler == null ? Duration.ofMillis(100) : Duration.ofSeconds(30);
    return new Sweeper(
        Database.of(PostgresDialect.INSTANCE, Postgres.dataSource()),
        new ExpiredRows(new Statements("public", table, false)),
        "public." + table,
        interval,
        batchSize,
        callerScheduler);
  }

  /** Keys start with "expired", so expiredRows() counts them. */
  private void insertExpiredRows(String prefix) {
    Postgres.execute(
        "INSERT INTO public."
            + table
            + " SELECT ? || i, '\\x01', now() - interval '1 second' FROM generate_series(1, ?) i",
        prefix,
        EXPIRED);
  }

  private void awaitExpiredRows(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (expiredRows() != expected && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
    }
    assertThat(expiredRows()).isEqualTo(expected);
  }

  private long expiredRows() {
    return Postgres.queryLong(
        "SELECT count(*) FROM public." + table + " WHERE session_key LIKE 'expired%'");
  }

  private long liveRows() {
    return Postgres.queryLong(
        "SELECT count(*) FROM public." + table + " WHERE session_key LIKE 'live%'");
  }
}
