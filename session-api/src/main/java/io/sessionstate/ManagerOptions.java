package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options of a {@link SessionManager.Builder}: each setter checks its argument at once and
 * names the option and the bad value in its message; {@link #validate()} checks that they fit
 * together. Not thread-safe.
 */
final class ManagerOptions {
  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);
  // The longest finite timeout a timer can count in nanoseconds.
  static final Duration MAX_FINITE_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE);

  private @Nullable SessionStore store;
  private Duration idleTimeout = SessionManager.DEFAULT_IDLE_TIMEOUT;
  private Duration ioTimeout = SessionManager.DEFAULT_IO_TIMEOUT;
  private @Nullable Duration absoluteLifetime;
  private boolean requireExplicitLoad;
  private boolean renewUnknownKeys;
  private CookieOptions cookieOptions = CookieOptions.defaults();
  private @Nullable KeyRing keyRing;
  private @Nullable Boolean blobIntegrity;
  private @Nullable Executor executor;
  private Clock clock = Clock.systemUTC();
  private SessionListener listener = SessionListener.NONE;
  private SessionObserver observer = SessionObserver.NONE;
  private @Nullable ValueCodec valueCodec;
  private int maxValueSize = SessionManager.DEFAULT_MAX_SIZE;
  private int maxSessionSize = SessionManager.DEFAULT_MAX_SIZE;
  private @Nullable Duration touchInterval;
  private CommitMode commitMode = CommitMode.COHERENT;
  private @Nullable Duration tombstoneTtl;
  private int maxSessionsPerPrincipal;
  private SessionLimitPolicy sessionLimitPolicy = SessionLimitPolicy.REFUSE_NEW;

  void maxSessionsPerPrincipal(int max, SessionLimitPolicy policy) {
    if (max <= 0) {
      throw new IllegalArgumentException("maxSessionsPerPrincipal must be positive: " + max);
    }
    this.sessionLimitPolicy = requireNonNull(policy, "policy");
    this.maxSessionsPerPrincipal = max;
  }

  Principals principals(SessionOptions sessionOptions, StoreCalls calls) {
    return new Principals(
        sessionOptions,
        calls,
        requireStore() instanceof PrincipalIndex p ? p : null,
        maxSessionsPerPrincipal,
        sessionLimitPolicy);
  }

  void store(SessionStore store) {
    this.store = requireNonNull(store, "store");
  }

  void idleTimeout(Duration idleTimeout) {
    positive("idleTimeout", idleTimeout);
    if (idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException(
          "idleTimeout must be at least 1 millisecond: " + idleTimeout);
    }
    this.idleTimeout = idleTimeout;
  }

  void touchInterval(Duration touchInterval) {
    this.touchInterval = positive("touchInterval", touchInterval);
  }

  void ioTimeout(Duration ioTimeout) {
    positive("ioTimeout", ioTimeout);
    if (!ioTimeout.equals(SessionManager.INFINITE_TIMEOUT)
        && ioTimeout.compareTo(MAX_FINITE_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "ioTimeout must be at most "
              + MAX_FINITE_TIMEOUT
              + ", or SessionManager.INFINITE_TIMEOUT: "
              + ioTimeout);
    }
    this.ioTimeout = ioTimeout;
  }

  void absoluteLifetime(@Nullable Duration absoluteLifetime) {
    this.absoluteLifetime =
        absoluteLifetime == null ? null : positive("absoluteLifetime", absoluteLifetime);
  }

  void requireExplicitLoad(boolean requireExplicitLoad) {
    this.requireExplicitLoad = requireExplicitLoad;
  }

  void renewUnknownKeys(boolean renewUnknownKeys) {
    this.renewUnknownKeys = renewUnknownKeys;
  }

  void cookie(CookieOptions cookieOptions) {
    this.cookieOptions = requireNonNull(cookieOptions, "cookieOptions");
  }

  void keyRing(KeyRing keyRing) {
    this.keyRing = requireNonNull(keyRing, "keyRing");
  }

  void blobIntegrity(boolean blobIntegrity) {
    this.blobIntegrity = blobIntegrity;
  }

  void executor(Executor executor) {
    this.executor = requireNonNull(executor, "executor");
  }

  void clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  void listener(SessionListener listener) {
    this.listener = requireNonNull(listener, "listener");
  }

  void observer(SessionObserver observer) {
    this.observer = requireNonNull(observer, "observer");
  }

  void valueCodec(ValueCodec valueCodec) {
    this.valueCodec = requireNonNull(valueCodec, "valueCodec");
  }

  void maxValueSize(int maxValueSize) {
    if (maxValueSize < 1) {
      throw new IllegalArgumentException("maxValueSize must be positive: " + maxValueSize);
    }
    this.maxValueSize = maxValueSize;
  }

  void maxSessionSize(int maxSessionSize) {
    if (maxSessionSize < BlobFormat.HEADER_BYTES || maxSessionSize > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "maxSessionSize must be between "
              + BlobFormat.HEADER_BYTES
              + " and "
              + Integer.MAX_VALUE / 2
              + " bytes: "
              + maxSessionSize);
    }
    this.maxSessionSize = maxSessionSize;
  }

  void commitMode(CommitMode commitMode) {
    this.commitMode = requireNonNull(commitMode, "commitMode");
  }

  void tombstoneTtl(Duration tombstoneTtl) {
    positive("tombstoneTtl", tombstoneTtl);
    if (tombstoneTtl.toMillis() < 1) {
      throw new IllegalArgumentException(
          "tombstoneTtl must be at least 1 millisecond: " + tombstoneTtl);
    }
    this.tombstoneTtl = tombstoneTtl;
  }

  /** Checks what no single option can: see {@link SessionManager.Builder#build()}. */
  void validate() {
    SessionStore store = requireStore();
    if (touchInterval != null && touchInterval.compareTo(idleTimeout) >= 0) {
      throw new IllegalArgumentException(
          "touchInterval must be shorter than idleTimeout (" + idleTimeout + "): " + touchInterval);
    }
    if (commitMode != CommitMode.COHERENT && !(store instanceof VersionedSessionStore)) {
      throw new IllegalStateException(
          "commitMode "
              + commitMode
              + " needs a store with versions (VersionedSessionStore): the store "
              + store.name()
              + " has none");
    }
    if (maxSessionsPerPrincipal > 0 && !(store instanceof PrincipalIndex)) {
      throw new IllegalStateException(
          "maxSessionsPerPrincipal needs a store with a principal index (PrincipalIndex): the store "
              + store.name()
              + " has none");
    }
    if (tombstoneTtl != null
        && !ioTimeout.equals(SessionManager.INFINITE_TIMEOUT)
        && tombstoneTtl.compareTo(ioTimeout) <= 0) {
      throw new IllegalStateException(
          "tombstoneTtl must be longer than ioTimeout ("
              + ioTimeout
              + "), which bounds a commit: "
              + tombstoneTtl);
    }
  }

  /** What the manager's sessions read, with a key ring generated for this process if none. */
  SessionOptions sessionOptions() {
    SessionStore store = requireStore();
    KeyRing keyRing = this.keyRing;
    if (keyRing == null) {
      log.warn(
          "No key ring configured: session cookies are signed with a key generated for this"
              + " process, so they will not survive a restart or be shared between nodes."
              + " Configure SessionManager.Builder.keyRing(...) for production.");
      keyRing = KeyRing.generate();
    }
    return new SessionOptions(
        idleTimeout,
        absoluteLifetime,
        requireExplicitLoad,
        renewUnknownKeys,
        cookieOptions,
        keyRing,
        new CookieProtector(keyRing),
        blobIntegrity != null ? blobIntegrity : store.isExternallyWritable(),
        clock,
        ObservingListener.of(listener, observer, store.name()),
        valueCodec,
        maxValueSize,
        maxSessionSize,
        commitMode,
        tombstoneTtl != null ? tombstoneTtl : defaultTombstoneTtl(ioTimeout));
  }

  /** The store as the application gave it, not as observed. */
  SessionStore store() {
    return requireStore();
  }

  /**
   * The store calls, over the executor given or a pool of the manager's own, to the store as
   * observed when an observer is set.
   */
  StoreCalls storeCalls() {
    return new StoreCalls(
        ObservedStore.wrap(requireStore(), observer),
        ioTimeout,
        executor,
        SessionManager.DEFAULT_MAX_IO_THREADS,
        SessionManager.DEFAULT_MAX_WAITING_IO_CALLS);
  }

  /** How often an untouched session is slid: as set, or by default from the idle timeout. */
  Duration resolvedTouchInterval() {
    return touchInterval != null ? touchInterval : defaultTouchInterval(idleTimeout);
  }

  /** This node's record of the slides it made, at {@code interval}. */
  IdleSlides idleSlides(Duration interval) {
    return new IdleSlides(idleTimeout, interval, clock);
  }

  /**
   * A twentieth of the idle timeout (1 minute of the default 20), at least 1 millisecond: a session
   * then lives at least 95% of its idle timeout after its last request, and a burst of page loads
   * costs one touch.
   */
  private static Duration defaultTouchInterval(Duration idleTimeout) {
    return Duration.ofMillis(Math.max(1, idleTimeout.toMillis() / 20));
  }

  /**
   * The I/O timeout plus {@link SessionManager#DEFAULT_TOMBSTONE_MARGIN}; without an I/O timeout,
   * the default one stands in for it, as the store's own timeouts bound a commit then.
   */
  private static Duration defaultTombstoneTtl(Duration ioTimeout) {
    Duration io =
        ioTimeout.equals(SessionManager.INFINITE_TIMEOUT)
            ? SessionManager.DEFAULT_IO_TIMEOUT
            : ioTimeout;
    return io.compareTo(MAX_FINITE_TIMEOUT.minus(SessionManager.DEFAULT_TOMBSTONE_MARGIN)) > 0
        ? MAX_FINITE_TIMEOUT
        : io.plus(SessionManager.DEFAULT_TOMBSTONE_MARGIN);
  }

  private SessionStore requireStore() {
    SessionStore store = this.store;
    if (store == null) {
      throw new IllegalStateException("store is required: call store(...) before build()");
    }
    return store;
  }

  private static Duration positive(String option, Duration value) {
    requireNonNull(value, option);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(option + " must be positive: " + value);
    }
    return value;
  }
}
