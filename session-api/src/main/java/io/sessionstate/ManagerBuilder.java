package io.sessionstate;

import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The setters of {@link SessionManager.Builder}, its public face, apart from the manager's request
 * path: each hands its value to {@link ManagerOptions}, which checks it at once, and returns the
 * builder, so a later call to a setter replaces an earlier one (as a Spring Boot customizer relies
 * on). Javadoc documents these methods as {@link SessionManager.Builder}'s own; only that class
 * extends this one.
 */
abstract sealed class ManagerBuilder permits SessionManager.Builder {
  /** The options collected so far; {@link SessionManager.Builder#build()} checks them together. */
  final ManagerOptions options = new ManagerOptions();

  ManagerBuilder() {}

  private SessionManager.Builder self() {
    return (SessionManager.Builder) this;
  }

  /**
   * The store that holds the sessions; required. The manager closes it on {@link
   * SessionManager#close()}.
   *
   * @param store the store, which the manager then owns
   * @return this builder
   */
  public SessionManager.Builder store(SessionStore store) {
    options.store(store);
    return self();
  }

  /**
   * How long a session lives without a request; every request that carries its cookie resets it
   * (see {@code touchInterval}). Default 20 minutes. A session may set its own: {@link
   * Session#setIdleTimeout}.
   *
   * @param idleTimeout the idle timeout, at least 1 millisecond
   * @return this builder
   */
  public SessionManager.Builder idleTimeout(Duration idleTimeout) {
    options.idleTimeout(idleTimeout);
    return self();
  }

  /**
   * How often, at most, one node slides the expiry of a session for requests that carry its cookie
   * but never read it (pages, assets): such a request sends a touch that the response does not wait
   * for, and further such requests within the interval send nothing. A load or a save slides the
   * expiry too and restarts the interval. Default: a twentieth of the idle timeout (1 minute of the
   * default 20), so a session lives at least 95% of its idle timeout after its last request; must
   * be shorter than the idle timeout.
   *
   * @param touchInterval the longest time between two slides, shorter than the idle timeout
   * @return this builder
   */
  public SessionManager.Builder touchInterval(Duration touchInterval) {
    options.touchInterval(touchInterval);
    return self();
  }

  /**
   * How long one asynchronous load or commit ({@link Session#loadAsync()}, {@link
   * Session#commitAsync()}, {@link SessionRequest#finishAsync()}) may take before its future fails
   * with {@link SessionTimeoutException}. Default 1 minute; {@link SessionManager#INFINITE_TIMEOUT}
   * disables it. Where the caller waits anyway (a load on first access, {@link
   * SessionRequest#finish()}, {@link Session#invalidate()}) the store is called on the caller's
   * thread and its own timeouts (connect, operation or socket) bound the call instead, as ASP.NET
   * Core's I/O timeout applies only to asynchronous operations.
   *
   * @param ioTimeout the I/O timeout, positive, or {@link SessionManager#INFINITE_TIMEOUT}
   * @return this builder
   */
  public SessionManager.Builder ioTimeout(Duration ioTimeout) {
    options.ioTimeout(ioTimeout);
    return self();
  }

  /**
   * How long a session may live whatever its activity, counted from its creation; null (the
   * default) for no limit. OWASP recommends one alongside the idle timeout. A session past it is
   * deleted, its cookie is removed, and the visitor starts again under a fresh key.
   *
   * @param absoluteLifetime the longest life of a session, positive, or null for no limit
   * @return this builder
   */
  public SessionManager.Builder absoluteLifetime(@Nullable Duration absoluteLifetime) {
    options.absoluteLifetime(absoluteLifetime);
    return self();
  }

  /**
   * When true, reading or writing a session before {@link Session#loadAsync()} throws {@link
   * IllegalStateException} instead of loading synchronously. Default false.
   *
   * @param requireExplicitLoad whether a session must be loaded before use
   * @return this builder
   */
  public SessionManager.Builder requireExplicitLoad(boolean requireExplicitLoad) {
    options.requireExplicitLoad(requireExplicitLoad);
    return self();
  }

  /**
   * What happens when a cookie verifies but its session is gone from the store (it expired or was
   * deleted). False, the default, starts a new empty session under the same key, as ASP.NET Core
   * does; true starts it under a fresh key and sends a new cookie, as OWASP recommends. With an
   * {@link #absoluteLifetime} set, keys are always renewed, so an expired key never comes back.
   *
   * @param renewUnknownKeys whether a cookie whose session is gone starts under a fresh key
   * @return this builder
   */
  public SessionManager.Builder renewUnknownKeys(boolean renewUnknownKeys) {
    options.renewUnknownKeys(renewUnknownKeys);
    return self();
  }

  /**
   * The session cookie's options. Default {@link CookieOptions#defaults()}.
   *
   * @param cookieOptions the cookie's options
   * @return this builder
   */
  public SessionManager.Builder cookie(CookieOptions cookieOptions) {
    options.cookie(cookieOptions);
    return self();
  }

  /**
   * The secrets that sign cookies and blobs. Without one the manager generates a key for this
   * process alone and logs a warning: cookies then do not survive a restart or work across nodes.
   *
   * @param keyRing the key ring
   * @return this builder
   */
  public SessionManager.Builder keyRing(KeyRing keyRing) {
    options.keyRing(keyRing);
    return self();
  }

  /**
   * Whether stored blobs carry an HMAC-SHA256 tag under the key ring, verified before any byte is
   * decoded, so that whoever can write to the store cannot feed the application their bytes.
   * Default: on, unless the store says nothing outside this process can write its blobs ({@link
   * SessionStore#isExternallyWritable()}), as the memory store does.
   *
   * @param blobIntegrity whether blobs are tagged and verified
   * @return this builder
   */
  public SessionManager.Builder blobIntegrity(boolean blobIntegrity) {
    options.blobIntegrity(blobIntegrity);
    return self();
  }

  /**
   * Where the asynchronous calls of a blocking store run ({@link Session#loadAsync()}, {@link
   * Session#commitAsync()}, {@link SessionRequest#finishAsync()}, and the touches a commit does not
   * wait for). Default: a pool of daemon threads owned by the manager. Synchronous calls run on the
   * caller's thread, and {@linkplain SessionStore#isNonBlocking() non-blocking} stores never use
   * it.
   *
   * @param executor where asynchronous store calls run; the manager does not shut it down
   * @return this builder
   */
  public SessionManager.Builder executor(Executor executor) {
    options.executor(executor);
    return self();
  }

  /**
   * The clock for session creation times and the absolute lifetime. Default UTC system clock.
   *
   * @param clock the clock
   * @return this builder
   */
  public SessionManager.Builder clock(Clock clock) {
    options.clock(clock);
    return self();
  }

  /**
   * Receives session events. Default {@link SessionListener#NONE}.
   *
   * @param listener the listener of session events
   * @return this builder
   */
  public SessionManager.Builder listener(SessionListener listener) {
    options.listener(listener);
    return self();
  }

  /**
   * Receives the timing and outcome of every store operation and the events of sessions' lives, for
   * metrics (see {@link SessionObserver}). Default {@link SessionObserver#NONE}: the store is
   * called directly, at no cost.
   *
   * @param observer what receives the store operations' timings and the sessions' events
   * @return this builder
   */
  public SessionManager.Builder observer(SessionObserver observer) {
    options.observer(observer);
    return self();
  }

  /**
   * Encodes values for {@link Session#setObject}; default none, so those methods throw.
   *
   * @param valueCodec the codec of object values
   * @return this builder
   */
  public SessionManager.Builder valueCodec(ValueCodec valueCodec) {
    options.valueCodec(valueCodec);
    return self();
  }

  /**
   * The largest value accepted by {@link Session#set}, in bytes. Default 1 MiB.
   *
   * @param maxValueSize the largest value in bytes, positive
   * @return this builder
   */
  public SessionManager.Builder maxValueSize(int maxValueSize) {
    options.maxValueSize(maxValueSize);
    return self();
  }

  /**
   * The largest encoded session, in bytes, checked at every {@code set} and at commit; a stored
   * blob over it is rejected before decoding. Default 1 MiB.
   *
   * @param maxSessionSize the largest encoded session in bytes, positive
   * @return this builder
   */
  public SessionManager.Builder maxSessionSize(int maxSessionSize) {
    options.maxSessionSize(maxSessionSize);
    return self();
  }

  /**
   * How a commit treats a session that another request of the same visitor committed since this
   * request loaded it: {@link CommitMode#COHERENT} (the default: the whole session, last writer
   * wins), {@link CommitMode#MERGE} (only the values this request wrote) or {@link
   * CommitMode#STRICT} (a {@link SessionConflictException}). In every mode a session that was
   * invalidated or moved to a new key meanwhile is never written back. {@code MERGE} and {@code
   * STRICT} need a store with versions ({@link VersionedSessionStore}).
   *
   * @param commitMode the commit mode
   * @return this builder
   */
  public SessionManager.Builder commitMode(CommitMode commitMode) {
    options.commitMode(commitMode);
    return self();
  }

  /**
   * How long the key of a session that was {@linkplain Session#invalidate() invalidated} or
   * {@linkplain Session#regenerateId() moved to a new key} stays refused to every commit, so that a
   * request still running with the old cookie cannot write the session back, and a replayed old
   * cookie gets a fresh key. It must outlast the longest request, and be longer than the I/O
   * timeout, which bounds the commit. Default: the I/O timeout plus {@link
   * SessionManager#DEFAULT_TOMBSTONE_MARGIN} (6 minutes with the default I/O timeout). Used only
   * with a store with versions.
   *
   * @param tombstoneTtl how long a signed-out or moved key stays refused, longer than the I/O
   *     timeout
   * @return this builder
   */
  public SessionManager.Builder tombstoneTtl(Duration tombstoneTtl) {
    options.tombstoneTtl(tombstoneTtl);
    return self();
  }

  /**
   * Caps the live sessions of one principal at {@code max}, with {@code policy} deciding what a
   * sign-in past it does: {@link SessionLimitPolicy#REFUSE_NEW} or {@link
   * SessionLimitPolicy#END_LEAST_RECENTLY_USED}. Default: no limit. Needs a store with a {@link
   * io.sessionstate.spi.PrincipalIndex}.
   *
   * @param max the most live sessions one principal may hold, positive
   * @param policy what a sign-in past the cap does
   * @return this builder
   * @throws IllegalArgumentException if {@code max} is not positive
   */
  public SessionManager.Builder maxSessionsPerPrincipal(int max, SessionLimitPolicy policy) {
    options.maxSessionsPerPrincipal(max, policy);
    return self();
  }
}
