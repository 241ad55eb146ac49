package io.sessionstate.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired rows in small batches, on a schedule or when asked: the schedule, the stop and
 * the logging of a failed sweep are here, the statements of a batch are the store's {@link
 * ExpiredRows}. Thread-safe. Public for the stores' packages only; not an API.
 */
public final class Sweeper {

  // Bounded so that schedule() can hand it to the scheduler in nanoseconds without overflow.
  static final Duration MAX_INTERVAL = Duration.ofDays(365);

  /** A store's statements that delete expired rows. */
  @FunctionalInterface
  public interface ExpiredRows {
    /**
     * Deletes expired rows a batch at a time, each batch its own short transaction, until a batch
     * finds fewer rows than its size or {@code stopped} says the sweeper has stopped.
     *
     * @param c a connection in autocommit, which the sweeper closes
     * @param batchSize the most rows one batch deletes
     * @param stopped asked between batches: true once the sweeper has stopped
     * @return the number of rows deleted
     * @throws SQLException if a statement fails; the batches before it stay deleted
     */
    long deleteExpired(Connection c, int batchSize, BooleanSupplier stopped) throws SQLException;
  }

  private final Database db;
  private final ExpiredRows rows;
  private final String tableName;
  private final Duration interval;
  private final int batchSize;
  private final @Nullable ScheduledExecutorService callerScheduler;
  // Under the store's name: that is the logger an application configures for the store.
  private final Logger log;

  // Read without the lock by a sweep in progress, so that it ends at the next batch.
  private volatile boolean stopped;
  private @Nullable ScheduledExecutorService ownScheduler;
  private @Nullable ScheduledFuture<?> schedule;

  /**
   * A sweeper that schedules itself on {@code callerScheduler}, or where that is null on a daemon
   * thread of its own that {@link #stop()} shuts down.
   *
   * @param db the store's database
   * @param rows the store's statements that delete expired rows
   * @param tableName the table as its log line names it
   * @param interval the delay between the end of one sweep and the start of the next
   * @param batchSize the most rows one batch deletes
   * @param callerScheduler the application's scheduler, or null for one of the sweeper's own
   */
  public Sweeper(
      Database db,
      ExpiredRows rows,
      String tableName,
      Duration interval,
      int batchSize,
      @Nullable ScheduledExecutorService callerScheduler) {
    this.db = db;
    this.rows = rows;
    this.tableName = tableName;
    this.interval = interval;
    this.batchSize = batchSize;
    this.callerScheduler = callerScheduler;
    this.log = LoggerFactory.getLogger(db.dialect().storeClass());
  }

  static Duration requireInterval(Duration interval) {
    requireNonNull(interval, "sweepInterval");
    if (interval.isNegative() || interval.isZero() || interval.compareTo(MAX_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "sweepInterval must be positive and at most 365 days: " + interval);
    }
    return interval;
  }

  static int requireBatchSize(int batchSize, int maxBatchSize) {
    if (batchSize < 1 || batchSize > maxBatchSize) {
      throw new IllegalArgumentException(
          "sweepBatchSize must be between 1 and " + maxBatchSize + ": " + batchSize);
    }
    return batchSize;
  }

  /**
   * Schedules a sweep every interval, the first one interval from now. Once only: a stopped sweeper
   * or one already scheduled schedules nothing.
   */
  public synchronized void schedule() {
    if (stopped || schedule != null) {
      return;
    }
    ScheduledExecutorService scheduler = callerScheduler;
    if (scheduler == null) {
      String threadName = "sessionstate-" + db.dialect().storeName() + "-sweeper";
      ScheduledThreadPoolExecutor own =
          new ScheduledThreadPoolExecutor(
              1,
              runnable -> {
                Thread t = new Thread(runnable, threadName);
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
  public long sweepExpired() {
    try (Connection c = db.autocommit()) {
      return rows.deleteExpired(c, batchSize, () -> stopped);
    } catch (SQLException e) {
      throw db.failure("sweep", e);
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
            tableName,
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
  public synchronized void stop() {
    stopped = true;
    if (schedule != null) {
      schedule.cancel(false);
    }
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
  }
}
