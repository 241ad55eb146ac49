package io.sessionstate;

import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How one manager calls its store: inline for a {@linkplain SessionStore#isNonBlocking()
 * non-blocking} store, otherwise on the executor under the I/O timeout. Every future it returns
 * fails only with a {@link SessionException}. Owns the store, the timeout timer and, unless one was
 * given, the executor; {@link #close()} releases them. Thread-safe.
 */
final class StoreCalls {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final SessionStore store;
  private final Duration ioTimeout;
  // Asked once: a store's answer describes what it is, not its state.
  private final boolean inline;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  // Fires I/O timeouts. The manager's own thread, not the JDK's shared delay scheduler, so a
  // continuation that blocks on a timed-out future stalls only this manager's timeouts.
  private final ScheduledThreadPoolExecutor timer;
  private volatile boolean closed;

  /** Calls {@code store} on {@code executor}, or, when that is null, on a pool of its own. */
  StoreCalls(SessionStore store, Duration ioTimeout, @Nullable Executor executor, int maxThreads) {
    this.store = store;
    this.ioTimeout = ioTimeout;
    this.inline = store.isNonBlocking();
    if (executor != null) {
      this.executor = executor;
      this.ownedExecutor = null;
    } else {
      // Threads start with the first blocking store call and are reused. No queue: a call either
      // gets a thread now or fails now, so a hung store cannot pile up waiting requests.
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              0,
              maxThreads,
              60,
              TimeUnit.SECONDS,
              new SynchronousQueue<>(),
              daemonThreads("sessionstate-io-"));
      this.executor = pool;
      this.ownedExecutor = pool;
    }
    this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("sessionstate-timeout-"));
    timer.setRemoveOnCancelPolicy(true);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  SessionStore store() {
    return store;
  }

  Duration ioTimeout() {
    return ioTimeout;
  }

  boolean isClosed() {
    return closed;
  }

  /** Whether the store can move a session to a new key in one call. */
  boolean canReplace() {
    return store instanceof ReplacingSessionStore;
  }

  /** The store as the versioned capability, or null when it has none. */
  @Nullable VersionedSessionStore versioned() {
    return store instanceof VersionedSessionStore v ? v : null;
  }

  /** The store as the versioned capability, for the calls only a store with versions serves. */
  private VersionedSessionStore requireVersioned() {
    if (store instanceof VersionedSessionStore v) {
      return v;
    }
    throw new IllegalStateException("the store " + store.name() + " has no versions");
  }

  // ---- the session's operations

  /**
   * What the store holds under {@code key}, its expiry slid: with versions and tombstones where the
   * store keeps them; from a store without, a blob at version 0 or nothing.
   */
  CompletableFuture<Stored> load(String key, Duration ttl) {
    VersionedSessionStore versioned = versioned();
    if (versioned != null) {
      return call("load", () -> versioned.loadVersioned(key, ttl));
    }
    return call(
        "load",
        () -> store.loadAndTouch(key, ttl).map(b -> Stored.present(b, 0)).orElse(Stored.absent()));
  }

  CompletableFuture<Outcome> saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    VersionedSessionStore versioned = requireVersioned();
    return call("save", () -> versioned.saveIf(key, condition, blob, ttl));
  }

  CompletableFuture<Outcome> replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl) {
    VersionedSessionStore versioned = requireVersioned();
    return call(
        "replace", () -> versioned.replaceIf(oldKey, condition, newKey, blob, ttl, tombstoneTtl));
  }

  /**
   * Ends {@code keys}: each gets a tombstone, except {@code plainDelete} (may be null), which is
   * deleted, as an emptied session is: it was not signed out.
   */
  CompletableFuture<Void> invalidate(
      List<String> keys, @Nullable String plainDelete, Duration tombstoneTtl) {
    VersionedSessionStore versioned = requireVersioned();
    return call(
        "delete",
        () -> {
          for (String key : keys) {
            if (key.equals(plainDelete)) {
              store.delete(key);
            } else {
              versioned.invalidate(key, tombstoneTtl);
            }
          }
          return null;
        });
  }

  CompletableFuture<Void> touch(String key, Duration ttl) {
    return call(
        "touch",
        () -> {
          store.touch(key, ttl);
          return null;
        });
  }

  CompletableFuture<Void> delete(CommitDecision.Delete delete) {
    return call(
        "delete",
        () -> {
          delete.keys().forEach(store::delete);
          return null;
        });
  }

  CompletableFuture<Void> write(CommitDecision.Write write, byte[] blob, Duration ttl) {
    if (write instanceof CommitDecision.Replace replace) {
      ReplacingSessionStore replacing = (ReplacingSessionStore) store;
      return call(
          "replace",
          () -> {
            replacing.replace(replace.oldKey(), replace.key(), blob, ttl);
            return null;
          });
    }
    List<String> staleKeys = ((CommitDecision.Save) write).staleKeys();
    return call(
        "save",
        () -> {
          store.save(write.key(), blob, ttl);
          staleKeys.forEach(store::delete);
          return null;
        });
  }

  // ---- the machinery

  /**
   * Runs one store operation: inline for a non-blocking store, otherwise on the executor under the
   * I/O timeout. The future completes on the executor's thread, or on the timer thread when the
   * timeout fires.
   */
  <T> CompletableFuture<T> call(String operation, Supplier<T> storeCall) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new SessionStoreException(
              store.name(), operation, "the session manager is closed", null));
    }
    if (inline) {
      try {
        return CompletableFuture.completedFuture(guarded(operation, storeCall));
      } catch (SessionException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable task =
        () -> {
          try {
            result.complete(guarded(operation, storeCall));
          } catch (SessionException e) {
            result.completeExceptionally(e);
          }
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new SessionStoreException(
              store.name(),
              operation,
              closed
                  ? "the session manager is closed"
                  : "no thread free to run it (the executor rejected the call)",
              e));
    }
    if (!ioTimeout.equals(SessionManager.INFINITE_TIMEOUT) && !result.isDone()) {
      ScheduledFuture<?> timeout;
      try {
        timeout =
            timer.schedule(
                () ->
                    result.completeExceptionally(new SessionTimeoutException(operation, ioTimeout)),
                ioTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        return result; // closing: the call still completes by itself
      }
      result.whenComplete((value, failure) -> timeout.cancel(false));
    }
    return result;
  }

  private <T> T guarded(String operation, Supplier<T> storeCall) {
    try {
      return storeCall.get();
    } catch (SessionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SessionStoreException(store.name(), operation, e);
    }
  }

  /** Waits for a future of {@link #call} and rethrows its failure as it is. */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof SessionException) {
        throw (SessionException) cause;
      }
      throw e;
    }
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Stops taking calls, waits up to the I/O timeout (at most 5 seconds) for calls in flight, then
   * closes the store, and the executor if these calls own it. Calling it again does nothing.
   */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
      try {
        Duration wait = ioTimeout.compareTo(CLOSE_WAIT) < 0 ? ioTimeout : CLOSE_WAIT;
        ownedExecutor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    store.close();
  }
}
