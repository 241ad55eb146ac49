package io.sessionstate.redis;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The retry policy of the Azure provider: with a retry timeout, a failure that may pass is tried
 * again after 20 ms, then every second until the retry timeout has passed since the first try, then
 * one last time. The clock and the sleep are given, so the schedule can be checked without waiting
 * for it. Thread-safe.
 */
final class RetryLoop {
  static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(20);
  static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
  // Keeps start + timeout within what the wrap-around comparison of nanoTime values can order.
  private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

  /** Sleeps for a span of the clock's nanoseconds. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final Duration timeout;
  private final long timeoutNanos;
  private final Predicate<Throwable> retryable;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;

  /** Retries what {@link RedisErrors#retryable} calls passing, on the system clock. */
  RetryLoop(Duration timeout) {
    this(
        timeout,
        RedisErrors::retryable,
        System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  RetryLoop(
      Duration timeout, Predicate<Throwable> retryable, LongSupplier nanoTime, Sleeper sleeper) {
    this.timeout = timeout;
    this.timeoutNanos =
        timeout.compareTo(Duration.ofNanos(MAX_TIMEOUT_NANOS)) >= 0
            ? MAX_TIMEOUT_NANOS
            : timeout.toNanos();
    this.retryable = retryable;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  Duration timeout() {
    return timeout;
  }

  /**
   * Returns what {@code call} returns, trying it again on a failure that may pass while time is
   * left and {@code stopped} is false. A closed store's pool never opens again, so retrying once it
   * is closed could only delay a shutdown.
   *
   * @throws RuntimeException the last failure; if the thread was interrupted while waiting, the
   *     failure before the wait, with the {@link InterruptedException} suppressed and the thread's
   *     interrupt flag set again
   */
  <T> T call(Supplier<T> call, BooleanSupplier stopped) {
    if (timeoutNanos == 0) {
      return call.get();
    }
    long start = nanoTime.getAsLong();
    long deadline = start + timeoutNanos;
    long delay = FIRST_RETRY_DELAY.toNanos();
    boolean last = false;
    while (true) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (last || stopped.getAsBoolean() || !retryable.test(e)) {
          throw e;
        }
        long next = nanoTime.getAsLong() + delay;
        if (next - deadline >= 0) {
          next = deadline;
          last = true;
        }
        sleepUntil(next, e);
        delay = RETRY_INTERVAL.toNanos();
      }
    }
  }

  private void sleepUntil(long time, RuntimeException failure) {
    long wait = time - nanoTime.getAsLong();
    if (wait <= 0) {
      return;
    }
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(ie);
      throw failure;
    }
  }
}
