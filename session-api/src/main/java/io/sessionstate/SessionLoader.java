package io.sessionstate;

import io.sessionstate.SessionState.Phase;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load of one request's session: at most one in flight, which every access of the request
 * shares, and one synchronous try on first access if none succeeded. Used by the request's thread.
 */
final class SessionLoader {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final SessionOptions options;
  private final StoreCalls calls;
  private final IdleSlides slides;

  /**
   * The load in flight, so a second loadAsync() or a read waits for it instead of loading again.
   * Never handed out: a caller gets a copy, so cancelling or timing out its future cannot stop the
   * load or leave the session half loaded.
   */
  private @Nullable CompletableFuture<Void> loading;

  /** Whether this request asked the store for the session, whatever came of it. */
  private boolean tried;

  SessionLoader(SessionOptions options, StoreCalls calls, IdleSlides slides) {
    this.options = options;
    this.calls = calls;
    this.slides = slides;
  }

  /**
   * The session's own load, shared by every access of this request; never given to a caller. With
   * {@code callerWaits} the store is called on this thread, bounded by its own timeouts; otherwise
   * on the manager's executor, under the I/O timeout.
   */
  CompletableFuture<Void> load(SessionState s, boolean callerWaits) {
    if (s.phase != Phase.UNLOADED) {
      return CompletableFuture.completedFuture(null);
    }
    String key = s.key.current();
    if (key == null) {
      // No cookie, so nothing can be stored: a new session costs no round trip.
      s.phase = Phase.LOADED;
      return CompletableFuture.completedFuture(null);
    }
    if (loading != null) {
      return loading;
    }
    if (callerWaits) {
      try {
        loadNow(s);
        return CompletableFuture.completedFuture(null);
      } catch (SessionException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    Duration ttl = slides.loadTtl(key);
    tried = true;
    CompletableFuture<Void> load =
        calls
            .load(key, ttl, callerWaits)
            .handle(
                (stored, failure) -> {
                  if (failure != null) {
                    loading = null; // a later access may try once more, synchronously
                    SessionException error = (SessionException) StoreCalls.unwrap(failure);
                    options.notify("failed", l -> l.failed(null, "load", error));
                    throw new CompletionException(error);
                  }
                  applyLoaded(s, key, stored, ttl);
                  return null;
                });
    if (!load.isDone()) {
      loading = load;
    }
    return load;
  }

  /**
   * The load on this thread, for a caller that waits for it anyway: the store call and what it
   * found applied, without a future.
   *
   * @throws SessionException if the store call fails
   */
  private void loadNow(SessionState s) {
    if (s.phase != Phase.UNLOADED) {
      return;
    }
    String key = s.key.current();
    if (key == null) {
      s.phase = Phase.LOADED; // a new session: nothing can be stored, no round trip
      return;
    }
    Duration ttl = slides.loadTtl(key);
    tried = true;
    Stored stored;
    try {
      stored = calls.loadNow(key, ttl);
    } catch (SessionException error) {
      options.notify("failed", l -> l.failed(null, "load", error));
      throw error;
    }
    applyLoaded(s, key, stored, ttl);
  }

  private void applyLoaded(SessionState s, String key, Stored stored, Duration ttl) {
    // Into the state the load was for: if invalidate() ended it meanwhile, the loaded session is
    // gone too.
    s.applyLoaded(key, stored, ttl, options);
    if (s.slidBy != null) {
      slides.slid(key, s.values.ownIdleTimeoutMillis());
    }
  }

  /**
   * Loads synchronously on first access, as ASP.NET Core does, unless the manager forbids it: on
   * this thread, which waits for the store anyway.
   */
  void ensureLoaded(SessionState state) {
    if (state.phase != Phase.UNLOADED) {
      return;
    }
    CompletableFuture<Void> inFlight = loading;
    if (inFlight != null) {
      try {
        StoreCalls.await(inFlight);
        return;
      } catch (SessionException e) {
        // the async caller saw the failure; this access falls through to one synchronous try
      }
    }
    if (options.requireExplicitLoad()) {
      throw new IllegalStateException(
          "session accessed before loadAsync() completed, and requireExplicitLoad is on");
    }
    try {
      loadNow(state);
    } catch (SessionException e) {
      state.phase = Phase.UNAVAILABLE;
      state.unavailableBecause = e;
      log.warn("Session unavailable for this request: load failed: {}", e.getMessage());
    }
  }

  /** The load in flight, if any; never handed to a caller of {@code loadAsync()}. */
  @Nullable CompletableFuture<Void> inFlight() {
    return loading;
  }

  /** Waits for the load in flight, if any, whatever comes of it: its caller sees its failure. */
  void awaitInFlight() {
    CompletableFuture<Void> inFlight = loading;
    if (inFlight != null) {
      try {
        StoreCalls.await(inFlight);
      } catch (SessionException e) {
        // the caller of loadAsync() saw it; the state says what is left to do
      }
    }
  }

  /** Whether this request asked the store for the session, whatever came of it. */
  boolean tried() {
    return tried;
  }
}
