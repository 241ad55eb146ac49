package io.sessionstate;

import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How one manager calls its store: on the calling thread where the caller waits for the call
 * anyway, and always for a {@linkplain SessionStore#isNonBlocking() non-blocking} store; otherwise
 * on the executor under the I/O timeout. Every future it returns fails only with a {@link
 * SessionException}. Owns the store, the timeout timer and, unless one was given, the executor;
 * {@link #close()} releases them. Thread-safe.
 */
final class StoreCalls {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final SessionStore store;
  private final Duration ioTimeout;
  // Asked once: a store's answer describes what it is, not its state.
  private final boolean inline;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  // Fires I/O timeouts; null when there is none. The manager's own thread, not the JDK's shared
  // delay scheduler, so a continuation that blocks on a timed-out future stalls only this
  // manager's timeouts.
  private final @Nullable IoDeadlines deadlines;
  private volatile boolean closed;
  // Pauses not yet over, completed by close(), so no commit waits out its pause on a closed
  // manager.
  private final Set<CompletableFuture<Void>> pauses = ConcurrentHashMap.newKeySet();

  /**
   * Calls {@code store} on {@code executor}, or, when that is null, on a pool of its own of {@code
   * maxThreads} threads and a queue of {@code maxWaiting} calls.
   */
  StoreCalls(
      SessionStore store,
      Duration ioTimeout,
      @Nullable Executor executor,
      int maxThreads,
      int maxWaiting) {
    this.store = store;
    this.ioTimeout = ioTimeout;
    this.inline = store.isNonBlocking();
    if (executor != null) {
      this.executor = executor;
      this.ownedExecutor = null;
    } else {
      // Threads start with the first asynchronous store call and stop after a minute idle. Past
      // maxThreads, calls wait in a bounded queue rather than park a thread each behind a store
      // that hangs (more threads than the store's connections would only wait for a connection);
      // one that waits past its I/O timeout is never made, and past the queue's bound a call
      // fails at once.
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              maxThreads,
              maxThreads,
              60,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(maxWaiting),
              daemonThreads("sessionstate-io-"));
      pool.allowCoreThreadTimeOut(true);
      this.executor = pool;
      this.ownedExecutor = pool;
    }
    this.deadlines =
        ioTimeout.equals(SessionManager.INFINITE_TIMEOUT) ? null : new IoDeadlines(ioTimeout);
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
  CompletableFuture<Stored> load(String key, Duration ttl, boolean callerWaits) {
    VersionedSessionStore versioned = versioned();
    if (versioned != null) {
      return call("load", callerWaits, () -> versioned.loadVersioned(key, ttl));
    }
    return call(
        "load",
        callerWaits,
        // The store returned an array of the caller's own: no second copy.
        () ->
            store
                .loadAndTouch(key, ttl)
                .map(b -> Stored.presentUncopied(b, 0))
                .orElse(Stored.absent()));
  }

  /**
   * {@link #load} on the calling thread, for a caller that waits for it anyway: no future, no
   * function object beyond the store's own work.
   *
   * @throws SessionException if the manager is closed or the store call fails
   */
  Stored loadNow(String key, Duration ttl) {
    if (closed) {
      throw new SessionStoreException(store.name(), "load", "the session manager is closed", null);
    }
    VersionedSessionStore versioned = versioned();
    try {
      if (versioned != null) {
        return versioned.loadVersioned(key, ttl);
      }
      // The store returned an array of the caller's own: no second copy.
      byte[] blob = store.loadAndTouch(key, ttl).orElse(null);
      return blob == null ? Stored.absent() : Stored.presentUncopied(blob, 0);
    } catch (SessionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SessionStoreException(store.name(), "load", e);
    }
  }

  CompletableFuture<Outcome> saveIf(
      String key, Condition condition, byte[] blob, Duration ttl, boolean callerWaits) {
    VersionedSessionStore versioned = requireVersioned();
    if ((inline || callerWaits) && !closed) {
      // The commit's usual write, made here on the calling thread as call() would: without the
      // function object that carries it to an executor.
      try {
        return CompletableFuture.completedFuture(versioned.saveIf(key, condition, blob, ttl));
      } catch (SessionException e) {
        return CompletableFuture.failedFuture(e);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(new SessionStoreException(store.name(), "save", e));
      }
    }
    return call("save", callerWaits, () -> versioned.saveIf(key, condition, blob, ttl));
  }

  CompletableFuture<Outcome> replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl,
      boolean callerWaits) {
    VersionedSessionStore versioned = requireVersioned();
    return call(
        "replace",
        callerWaits,
        () -> versioned.replaceIf(oldKey, condition, newKey, blob, ttl, tombstoneTtl));
  }

  /**
   * Ends {@code keys}: each gets a tombstone, except {@code plainDelete} (may be null), which is
   * deleted, as an emptied session is: it was not signed out.
   */
  CompletableFuture<Void> invalidate(
      List<String> keys, @Nullable String plainDelete, Duration tombstoneTtl, boolean callerWaits) {
    VersionedSessionStore versioned = requireVersioned();
    return call(
        "delete",
        callerWaits,
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

  /** Slides {@code key}'s expiry; nobody waits for a touch, so it always runs asynchronously. */
  CompletableFuture<Void> touch(String key, Duration ttl) {
    return call(
        "touch",
        false,
        () -> {
          store.touch(key, ttl);
          return null;
        });
  }

  CompletableFuture<Void> delete(CommitDecision.Delete delete, boolean callerWaits) {
    return call(
        "delete",
        callerWaits,
        () -> {
          delete.keys().forEach(store::delete);
          return null;
        });
  }

  CompletableFuture<Void> write(
      CommitDecision.Write write, byte[] blob, Duration ttl, boolean callerWaits) {
    if (write instanceof CommitDecision.Replace replace) {
      ReplacingSessionStore replacing = (ReplacingSessionStore) store;
      return call(
          "replace",
          callerWaits,
          () -> {
            replacing.replace(replace.oldKey(), replace.key(), blob, ttl);
            return null;
          });
    }
    List<String> staleKeys = ((CommitDecision.Save) write).staleKeys();
    return call(
        "save",
        callerWaits,
        () -> {
          store.save(write.key(), blob, ttl);
          staleKeys.forEach(store::delete);
          return null;
        });
  }

  /**
   * Completes after {@code delay}. Where {@code callerWaits}, the calling thread sleeps it out, as
   * it would wait for the store call that follows; otherwise the future completes on a JDK delay
   * thread, and what follows hands any store work to {@link #call}. At once when the manager closes
   * meanwhile, so no commit waits on a pause that nobody ends.
   */
  CompletableFuture<Void> pause(Duration delay, boolean callerWaits) {
    if (callerWaits) {
      try {
        TimeUnit.NANOSECONDS.sleep(delay.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the store call that follows still runs, once
      }
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    pauses.add(done);
    done.whenComplete((ignored, failure) -> pauses.remove(done));
    CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS)
        .execute(() -> done.complete(null));
    if (closed) {
      done.complete(null);
    }
    return done;
  }

  // ---- the machinery

  /**
   * Runs one store operation. Where {@code callerWaits} (an implicit load, {@code finish()}, {@code
   * invalidate()}), and always for a non-blocking store, it runs now on the calling thread, bounded
   * by the store's own connect and operation timeouts: a hop to another thread would only add two
   * wake-ups while the caller waits. Otherwise it runs on the executor under the I/O timeout, and
   * the future completes on the executor's thread, or on the timer thread when the timeout fires.
   */
  <T> CompletableFuture<T> call(String operation, boolean callerWaits, Supplier<T> storeCall) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new SessionStoreException(
              store.name(), operation, "the session manager is closed", null));
    }
    if (inline || callerWaits) {
      try {
        return CompletableFuture.completedFuture(guarded(operation, storeCall));
      } catch (SessionException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    IoDeadlines.Timed<T> result =
        deadlines != null ? deadlines.start(operation) : new IoDeadlines.Timed<>(operation, 0);
    Runnable task =
        () -> {
          if (result.isDone()) {
            return; // timed out while it waited for a thread: its caller has given up
          }
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
    if (deadlines != null && !result.isDone()) {
      deadlines.watch(result);
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
    if (deadlines != null) {
      deadlines.close();
    }
    pauses.forEach(pause -> pause.complete(null));
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
