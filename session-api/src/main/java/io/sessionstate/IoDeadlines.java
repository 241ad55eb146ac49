package io.sessionstate;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Fails the futures of asynchronous store calls that outlive the manager's I/O timeout, from one
 * thread of its own that it starts with the first call. A call costs one queue node and no timer
 * task: the thread wakes at the nearest deadline or, while calls are in flight, at least every
 * {@link #SWEEP} to drop finished ones. With nothing in flight it sleeps until a call comes. A
 * per-call scheduled task (what {@code ScheduledThreadPoolExecutor} or {@code
 * CompletableFuture.orTimeout} costs) takes a lock, a heap insertion and a removal on cancel, and
 * wakes the timer thread whenever its queue was empty. Thread-safe.
 */
final class IoDeadlines {
  /** How often finished calls are dropped while others are in flight. */
  static final Duration SWEEP = Duration.ofMillis(50);

  /** A future with the deadline of the store call it stands for. */
  static final class Timed<T> extends CompletableFuture<T> {
    final String operation;
    final long deadlineNanos;

    Timed(String operation, long deadlineNanos) {
      this.operation = operation;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private final Duration timeout;
  private final long timeoutNanos;
  private final ConcurrentLinkedQueue<Timed<?>> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile @Nullable Thread sweeper;
  private volatile boolean idle;
  private volatile boolean closed;

  IoDeadlines(Duration timeout) {
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
  }

  /** A future for {@code operation} that fails once the timeout has passed from now. */
  <T> Timed<T> start(String operation) {
    return new Timed<>(operation, System.nanoTime() + timeoutNanos);
  }

  /** Watches {@code call}, which a thread is now working on. */
  void watch(Timed<?> call) {
    pending.offer(call);
    if (started.compareAndSet(false, true)) {
      Thread t = new Thread(this::sweep, "sessionstate-timeout-1");
      t.setDaemon(true);
      sweeper = t;
      t.start();
    } else if (idle) {
      idle = false;
      LockSupport.unpark(sweeper);
    }
  }

  private void sweep() {
    while (!closed) {
      long now = System.nanoTime();
      long wait = SWEEP.toNanos();
      boolean any = false;
      for (Iterator<Timed<?>> it = pending.iterator(); it.hasNext(); ) {
        Timed<?> call = it.next();
        if (call.isDone()) {
          it.remove();
        } else if (call.deadlineNanos - now <= 0) {
          it.remove();
          call.completeExceptionally(new SessionTimeoutException(call.operation, timeout));
        } else {
          wait = Math.min(wait, call.deadlineNanos - now);
          any = true;
        }
      }
      if (any) {
        LockSupport.parkNanos(this, wait);
      } else {
        idle = true;
        // A call queued between the sweep and the flag would otherwise wait for the next one.
        if (pending.isEmpty() && !closed) {
          LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
        }
        idle = false;
      }
    }
  }

  /** Stops the thread; calls still in flight complete by themselves. */
  void close() {
    closed = true;
    Thread t = sweeper;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }
}
