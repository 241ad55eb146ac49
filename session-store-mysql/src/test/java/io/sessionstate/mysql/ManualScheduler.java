package io.sessionstate.mysql;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A real scheduler that records what the store schedules and postpones it for a year, so a test can
 * run a sweep at the moment of its choosing with {@link #runSweep()}.
 */
final class ManualScheduler extends ScheduledThreadPoolExecutor implements AutoCloseable {
  record Scheduled(
      Runnable task, Duration initialDelay, Duration delay, ScheduledFuture<?> future) {}

  final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();

  ManualScheduler() {
    super(1);
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

  @Override
  public void close() {
    shutdownNow();
  }

  /** Runs the one scheduled sweep on the calling thread, as the schedule would. */
  void runSweep() {
    if (scheduled.size() != 1) {
      throw new IllegalStateException("expected one scheduled sweep: " + scheduled);
    }
    scheduled.get(0).task().run();
  }
}
