package io.sessionstate.tck;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A real scheduler, for the tests of a store's background sweeper, that records each task scheduled
 * with a fixed delay and postpones it by a year, so a test can see what the store scheduled and run
 * a sweep at the moment of its choosing with {@link #runSweep()}. Hand it to the store's builder as
 * the sweeper's scheduler. Thread-safe, as any {@link ScheduledThreadPoolExecutor}.
 */
public final class ManualScheduler extends ScheduledThreadPoolExecutor implements AutoCloseable {

  /**
   * One task scheduled with a fixed delay: the task, the delays the store asked for, and the future
   * of the postponed schedule.
   *
   * @param task what the store scheduled
   * @param initialDelay the delay before the first run the store asked for
   * @param delay the delay between runs the store asked for
   * @param future the schedule, postponed by a year
   */
  public record Scheduled(
      Runnable task, Duration initialDelay, Duration delay, ScheduledFuture<?> future) {}

  private final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();

  /** A scheduler of one thread, with nothing scheduled. */
  public ManualScheduler() {
    super(1);
  }

  /** What was scheduled with a fixed delay so far, in order; a live view. */
  public List<Scheduled> scheduled() {
    return scheduled;
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    ScheduledFuture<?> future = super.scheduleWithFixedDelay(command, 365, 365, TimeUnit.DAYS);
    scheduled.add(
        new Scheduled(
            command,
            Duration.ofNanos(unit.toNanos(initialDelay)),
            Duration.ofNanos(unit.toNanos(delay)),
            future));
    return future;
  }

  /** Shuts the scheduler down at once. */
  @Override
  public void close() {
    shutdownNow();
  }

  /**
   * Runs the one scheduled task on the calling thread, as the schedule would.
   *
   * @throws IllegalStateException if not exactly one task was scheduled
   */
  public void runSweep() {
    if (scheduled.size() != 1) {
      throw new IllegalStateException("expected one scheduled sweep: " + scheduled);
    }
    scheduled.get(0).task().run();
  }
}
