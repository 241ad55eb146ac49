package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired rows in small batches, one short statement each, on a schedule or when asked. The
 * statement skips rows another transaction holds, so it never waits on a request's write and
 * several nodes can sweep one table at once. Thread-safe.
 */
final class Sweeper {

  // Bounded so that schedule() can hand it to the scheduler in nanoseconds without overflow.
  static final Duration MAX_INTERVAL = Duration.ofDays(365);
  static final int MAX_BATCH_SIZE = 100_000;

  // Under the store's name: that is the logger an application configures for the store.
  private static final Logger log = LoggerFactory.getLogger(PostgresSessionStore.class);

  private final Database db;
  private final String statement;
  private final String qualifiedTable;
  private final Duration interval;
  private final int batchSize;
  private final @Nullable ScheduledExecutorService callerScheduler;

  // Read without the lock by a sweep in progress, so that it ends at the next batch.
  private volatile boolean stopped;
  private @Nullable ScheduledExecutorService ownScheduler;
  private @Nullable ScheduledFuture<?> schedule;

  /**
   * A sweeper that schedules itself on {@code callerScheduler}, or where that is null on a daemon
   * thread of its own that {@link #stop()} shuts down.
   */
  Sweeper(
      Database db,
      Statements sql,
      String schema,
      String table,
      Duration interval,
      int batchSize,
      @Nullable ScheduledExecutorService callerScheduler) {
    this.db = db;
    this.statement = sql.sweep;
    this.qualifiedTable = schema + "." + table;
    this.interval = interval;
    this.batchSize = batchSize;
    this.callerScheduler = callerScheduler;
  }

  static Duration requireInterval(Duration interval) {
    requireNonNull(interval, "sweepInterval");
    if (interval.isNegative() || interval.isZero() || interval.compareTo(MAX_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "sweepInterval must be positive and at most 365 days: " + interval);
    }
    return interval;
  }

  static int requireBatchSize(int batchSize) {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "sweepBatchSize must be between 1 and 100000: " + batchSize);
    }
    return batchSize;
  }

  /**
   * Schedules a sweep every interval, the first one interval from now. Once only: a stopped sweeper
   * or one already scheduled schedules nothing.
   */
  synchronized void schedule() {
    if (stopped || schedule != null) {
      return;
    }
    ScheduledExecutorService scheduler = callerScheduler;
    if (scheduler == null) {
      ScheduledThreadPoolExecutor own =
          new ScheduledThreadPoolExecutor(
              1,
              runnable -> {
                Thread t = new Thread(runnable, "sessionstate-postgresql-sweeper");
                t.setDaemon(true);
                return t;
              });
      own.setRemoveOnCancelPolicy(true);
      ownScheduler = own;
      scheduler = own;
    }
    long nanos = interval.toNanos();
    schedule =
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Deletes expired rows a batch at a time until a batch finds fewer rows than its size, or the
   * sweeper is stopped.
   *
   * @return the number of rows deleted
   * @throws io.sessionstate.SessionStoreException (operation {@code sweep}) if a statement fails;
   *     the batches before it stay deleted
   */
  long sweepExpired() {
    long deleted = 0;
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(statement)) {
      s.setInt(1, batchSize);
      int batch;
      do {
        batch = s.executeUpdate();
        deleted += batch;
      } while (batch >= batchSize && !stopped);
      return deleted;
    } catch (SQLException e) {
      throw Database.failure("sweep", e);
    }
  }

  /** The scheduled sweep: a failure is logged, never thrown, since that would end the schedule. */
  private void sweepQuietly() {
    if (stopped) {
      return;
    }
    try {
      sweepExpired();
    } catch (RuntimeException e) {
      if (!stopped) {
        log.warn(
            "Sweeping expired sessions from {} failed; the next sweep is in {}: {}",
            qualifiedTable,
            interval,
            e.getMessage());
      }
    }
  }

  /**
   * Cancels the schedule, ends a sweep in progress after its current batch, and shuts down the
   * scheduler if the sweeper made it; a caller's scheduler stays open. Calling it again does
   * nothing.
   */
  synchronized void stop() {
    stopped = true;
    if (schedule != null) {
      schedule.cancel(false);
    }
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
  }
}
