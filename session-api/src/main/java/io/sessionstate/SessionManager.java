package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: holds a store and the session options, and starts one request cycle per HTTP
 * request. Build one per application with {@link #builder()} and share it; it is thread-safe.
 *
 * <pre>{@code
 * SessionRequest request = manager.begin(cookieHeader, isHttps, responseStarted);
 * Session session = request.session();
 * session.setString("user", "ada");
 * SessionResponse response = request.finish(); // commits, then gives the headers to send
 * response.headers().forEach(httpResponse::setHeader);
 * }</pre>
 *
 * <p>The manager owns its store: {@link #close()} closes it, and shuts down the executor if the
 * manager created it (an executor passed to the builder is left running).
 *
 * <p>No parameter or result is null unless marked {@link org.jspecify.annotations.Nullable}: the
 * cookie header or value of a request without one, and a builder's absolute lifetime. A null
 * anywhere else throws {@link NullPointerException}.
 */
public final class SessionManager implements AutoCloseable {

  /** Disables the I/O timeout when passed to {@link Builder#ioTimeout(Duration)}. */
  public static final Duration INFINITE_TIMEOUT = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  /** The default idle timeout: 20 minutes, as in ASP.NET Core. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(20);

  /** The default I/O timeout for one asynchronous load or commit: 1 minute, as in ASP.NET Core. */
  public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofMinutes(1);

  /** The default limit on one value and on a whole session, in bytes: 1 MiB. */
  public static final int DEFAULT_MAX_SIZE = 1 << 20;

  /**
   * What the default tombstone time to live adds to the I/O timeout: 5 minutes. A request that
   * loaded a session before it was signed out must commit within the tombstone's life for the
   * tombstone to refuse it; 5 minutes is five times the 60-second idle timeouts of common load
   * balancers and proxies (AWS ALB, nginx's {@code proxy_read_timeout}), past which the browser has
   * given up on the request anyway. See {@link Builder#tombstoneTtl(Duration)}.
   */
  public static final Duration DEFAULT_TOMBSTONE_MARGIN = Duration.ofMinutes(5);

  /**
   * The most threads the manager's own executor runs at once for asynchronous store calls: twice
   * the Redis store's default pool, three times HikariCP's; more would only wait for a connection.
   * Further calls wait in a queue of {@link #DEFAULT_MAX_WAITING_IO_CALLS}, so a store that hangs
   * parks at most this many threads.
   */
  public static final int DEFAULT_MAX_IO_THREADS = 32;

  /**
   * The most asynchronous store calls that wait for a thread of the manager's own executor. A
   * waiting call whose I/O timeout passes fails with {@link SessionTimeoutException} and is never
   * made; past this many, a call fails at once with {@link SessionStoreException}.
   */
  public static final int DEFAULT_MAX_WAITING_IO_CALLS = 1024;

  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);
  // The longest finite timeout a timer can count in nanoseconds.
  static final Duration MAX_FINITE_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE);

  private final SessionOptions options;
  private final SessionStore store;
  private final StoreCalls calls;
  private final IdleSlides slides;
  private final Duration touchInterval;
  private final Principals principals;

  private SessionManager(ManagerOptions o) {
    this.options = o.sessionOptions();
    this.store = o.store();
    this.calls = o.storeCalls();
    this.touchInterval = o.resolvedTouchInterval();
    this.slides = o.idleSlides(touchInterval);
    this.principals = o.principals(options, calls);
  }

  /**
   * A twentieth of the idle timeout (1 minute of the default 20), at least 1 millisecond: a session
   * then lives at least 95% of its idle timeout after its last request, and a burst of page loads
   * costs one touch.
   */
  static Duration defaultTouchInterval(Duration idleTimeout) {
    return Duration.ofMillis(Math.max(1, idleTimeout.toMillis() / 20));
  }

  /**
   * Starts a manager's options from the defaults; {@link Builder#store} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The I/O timeout plus {@link #DEFAULT_TOMBSTONE_MARGIN}; without an I/O timeout, the default one
   * stands in for it, as the store's own timeouts bound a commit then.
   */
  static Duration defaultTombstoneTtl(Duration ioTimeout) {
    Duration io = ioTimeout.equals(INFINITE_TIMEOUT) ? DEFAULT_IO_TIMEOUT : ioTimeout;
    return io.compareTo(MAX_FINITE_TIMEOUT.minus(DEFAULT_TOMBSTONE_MARGIN)) > 0
        ? MAX_FINITE_TIMEOUT
        : io.plus(DEFAULT_TOMBSTONE_MARGIN);
  }

  /**
   * Starts a request cycle from the request's {@code Cookie} header.
   *
   * @param cookieHeader the request's {@code Cookie} header, or null if it has none; several
   *     headers may be joined with {@code "; "}
   * @param secure whether the request came over HTTPS, for the cookie's {@code Secure} policy
   * @param responseStarted tells whether the response has started, after which a new session can no
   *     longer send its cookie: for a Servlet {@code response::isCommitted}, for the JDK's server
   *     {@code () -> exchange.getResponseCode() != -1}
   * @return the request's cycle: its session, and the headers to send when it finishes
   */
  public SessionRequest begin(
      @Nullable String cookieHeader, boolean secure, BooleanSupplier responseStarted) {
    requireNonNull(responseStarted, "responseStarted");
    checkOpen();
    CookieProtector.Verified verified = null;
    if (cookieHeader != null) {
      boolean sawCookie = false;
      for (String value : CookieHeaderParser.values(cookieHeader, options.cookieOptions().name())) {
        sawCookie = true;
        verified = options.protector().verify(value).orElse(null);
        if (verified != null) {
          break;
        }
      }
      if (verified == null && sawCookie) {
        log.debug("Ignoring a session cookie that does not verify; starting a new session");
      }
    }
    return request(verified, secure, responseStarted);
  }

  private SessionRequest request(
      CookieProtector.@Nullable Verified verified,
      boolean secure,
      BooleanSupplier responseStarted) {
    DefaultSession session =
        new DefaultSession(
            options,
            calls,
            slides,
            verified == null ? null : verified.sessionKey(),
            verified == null || verified.underPrimaryKey(),
            responseStarted,
            principals);
    return new SessionRequest(options, session, secure);
  }

  /**
   * Starts a request cycle from the value of the session cookie alone, for frameworks that parse
   * cookies themselves. A null value means the request has no session cookie.
   *
   * @param cookieValue the session cookie's value, or null when the request has none
   * @param secure whether the request came over HTTPS, for the cookie's {@code Secure} policy
   * @param responseStarted tells whether the response has started, as for {@link #begin}
   * @return the request's cycle: its session, and the headers to send when it finishes
   */
  public SessionRequest beginWithCookieValue(
      @Nullable String cookieValue, boolean secure, BooleanSupplier responseStarted) {
    requireNonNull(responseStarted, "responseStarted");
    checkOpen();
    CookieProtector.Verified verified = null;
    if (cookieValue != null) {
      verified = options.protector().verify(cookieValue).orElse(null);
      if (verified == null) {
        log.debug("Ignoring a session cookie that does not verify; starting a new session");
      }
    }
    return request(verified, secure, responseStarted);
  }

  /**
   * Lists, ends and ends all of a principal's sessions, on every node that shares the store.
   *
   * @return the principal sessions of this manager's store
   * @throws IllegalStateException if the store keeps no {@link io.sessionstate.spi.PrincipalIndex}
   */
  public PrincipalSessions principalSessions() {
    principals.requireIndex();
    return new PrincipalSessions(principals);
  }

  /**
   * {@return the store that holds the sessions, as given to the builder (never an observing
   * wrapper)}
   */
  public SessionStore store() {
    return store;
  }

  /** {@return how long a session lives without a request} */
  public Duration idleTimeout() {
    return options.idleTimeout();
  }

  /**
   * {@return how often, at most, this node slides the expiry of a session for requests that never
   * read it}
   */
  public Duration touchInterval() {
    return touchInterval;
  }

  /**
   * {@return how long one asynchronous load or commit may take; {@link #INFINITE_TIMEOUT} when
   * disabled}
   */
  public Duration ioTimeout() {
    return calls.ioTimeout();
  }

  /** {@return how long a session may live whatever its activity, if limited} */
  public Optional<Duration> absoluteLifetime() {
    return Optional.ofNullable(options.absoluteLifetime());
  }

  /** {@return the session cookie's options} */
  public CookieOptions cookieOptions() {
    return options.cookieOptions();
  }

  /** {@return the codec of object values, shared by every adapter, if one is configured} */
  public Optional<ValueCodec> valueCodec() {
    return Optional.ofNullable(options.valueCodec());
  }

  /** {@return whether stored blobs are tagged and verified under the key ring} */
  public boolean blobIntegrity() {
    return options.blobIntegrity();
  }

  /** {@return how a commit treats a session that a concurrent request changed} */
  public CommitMode commitMode() {
    return options.commitMode();
  }

  /** {@return how long a signed-out or moved key stays refused to every commit} */
  public Duration tombstoneTtl() {
    return options.tombstoneTtl();
  }

  /**
   * Stops taking requests, waits up to the I/O timeout (at most 5 seconds) for store calls in
   * flight, then closes the store, and the executor if this manager created it. Calling it again
   * does nothing.
   *
   * @throws IllegalStateException from {@link #begin} once closed
   */
  @Override
  public void close() {
    calls.close();
  }

  private void checkOpen() {
    if (calls.isClosed()) {
      throw new IllegalStateException("SessionManager is closed");
    }
  }

  @Override
  public String toString() {
    return "SessionManager{store="
        + calls.store().name()
        + ", idleTimeout="
        + options.idleTimeout()
        + ", ioTimeout="
        + (ioTimeout().equals(INFINITE_TIMEOUT) ? "infinite" : ioTimeout())
        + ", commitMode="
        + options.commitMode()
        + ", cookie="
        + options.cookieOptions().name()
        + ", keyRing="
        + options.keyRing()
        + "}";
  }

  /**
   * Builds a {@link SessionManager}. Every setter validates its argument at once and names the
   * option and the bad value in its message.
   */
  public static final class Builder {
    private final ManagerOptions options = new ManagerOptions();

    private Builder() {}

    /**
     * The store that holds the sessions; required. The manager closes it on {@link #close()}.
     *
     * @param store the store, which the manager then owns
     * @return this builder
     */
    public Builder store(SessionStore store) {
      options.store(store);
      return this;
    }

    /**
     * How long a session lives without a request; every request that carries its cookie resets it
     * (see {@link #touchInterval}). Default 20 minutes. A session may set its own: {@link
     * Session#setIdleTimeout}.
     *
     * @param idleTimeout the idle timeout, at least 1 millisecond
     * @return this builder
     */
    public Builder idleTimeout(Duration idleTimeout) {
      options.idleTimeout(idleTimeout);
      return this;
    }

    /**
     * How often, at most, one node slides the expiry of a session for requests that carry its
     * cookie but never read it (pages, assets): such a request sends a touch that the response does
     * not wait for, and further such requests within the interval send nothing. A load or a save
     * slides the expiry too and restarts the interval. Default: a twentieth of the idle timeout (1
     * minute of the default 20), so a session lives at least 95% of its idle timeout after its last
     * request; must be shorter than the idle timeout.
     *
     * @param touchInterval the longest time between two slides, shorter than the idle timeout
     * @return this builder
     */
    public Builder touchInterval(Duration touchInterval) {
      options.touchInterval(touchInterval);
      return this;
    }

    /**
     * How long one asynchronous load or commit ({@link Session#loadAsync()}, {@link
     * Session#commitAsync()}, {@link SessionRequest#finishAsync()}) may take before its future
     * fails with {@link SessionTimeoutException}. Default 1 minute; {@link #INFINITE_TIMEOUT}
     * disables it. Where the caller waits anyway (a load on first access, {@link
     * SessionRequest#finish()}, {@link Session#invalidate()}) the store is called on the caller's
     * thread and its own timeouts (connect, operation or socket) bound the call instead, as ASP.NET
     * Core's I/O timeout applies only to asynchronous operations.
     *
     * @param ioTimeout the I/O timeout, positive, or {@link #INFINITE_TIMEOUT}
     * @return this builder
     */
    public Builder ioTimeout(Duration ioTimeout) {
      options.ioTimeout(ioTimeout);
      return this;
    }

    /**
     * How long a session may live whatever its activity, counted from its creation; null (the
     * default) for no limit. OWASP recommends one alongside the idle timeout. A session past it is
     * deleted, its cookie is removed, and the visitor starts again under a fresh key.
     *
     * @param absoluteLifetime the longest life of a session, positive, or null for no limit
     * @return this builder
     */
    public Builder absoluteLifetime(@Nullable Duration absoluteLifetime) {
      options.absoluteLifetime(absoluteLifetime);
      return this;
    }

    /**
     * When true, reading or writing a session before {@link Session#loadAsync()} throws {@link
     * IllegalStateException} instead of loading synchronously. Default false.
     *
     * @param requireExplicitLoad whether a session must be loaded before use
     * @return this builder
     */
    public Builder requireExplicitLoad(boolean requireExplicitLoad) {
      options.requireExplicitLoad(requireExplicitLoad);
      return this;
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
    public Builder renewUnknownKeys(boolean renewUnknownKeys) {
      options.renewUnknownKeys(renewUnknownKeys);
      return this;
    }

    /**
     * The session cookie's options. Default {@link CookieOptions#defaults()}.
     *
     * @param cookieOptions the cookie's options
     * @return this builder
     */
    public Builder cookie(CookieOptions cookieOptions) {
      options.cookie(cookieOptions);
      return this;
    }

    /**
     * The secrets that sign cookies and blobs. Without one the manager generates a key for this
     * process alone and logs a warning: cookies then do not survive a restart or work across nodes.
     *
     * @param keyRing the key ring
     * @return this builder
     */
    public Builder keyRing(KeyRing keyRing) {
      options.keyRing(keyRing);
      return this;
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
    public Builder blobIntegrity(boolean blobIntegrity) {
      options.blobIntegrity(blobIntegrity);
      return this;
    }

    /**
     * Where the asynchronous calls of a blocking store run ({@link Session#loadAsync()}, {@link
     * Session#commitAsync()}, {@link SessionRequest#finishAsync()}, and the touches a commit does
     * not wait for). Default: a pool of daemon threads owned by the manager. Synchronous calls run
     * on the caller's thread, and {@linkplain SessionStore#isNonBlocking() non-blocking} stores
     * never use it.
     *
     * @param executor where asynchronous store calls run; the manager does not shut it down
     * @return this builder
     */
    public Builder executor(Executor executor) {
      options.executor(executor);
      return this;
    }

    /**
     * The clock for session creation times and the absolute lifetime. Default UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      options.clock(clock);
      return this;
    }

    /**
     * Receives session events. Default {@link SessionListener#NONE}.
     *
     * @param listener the listener of session events
     * @return this builder
     */
    public Builder listener(SessionListener listener) {
      options.listener(listener);
      return this;
    }

    /**
     * Receives the timing and outcome of every store operation and the events of sessions' lives,
     * for metrics (see {@link SessionObserver}). Default {@link SessionObserver#NONE}: the store is
     * called directly, at no cost.
     *
     * @param observer what receives the store operations' timings and the sessions' events
     * @return this builder
     */
    public Builder observer(SessionObserver observer) {
      options.observer(observer);
      return this;
    }

    /**
     * Encodes values for {@link Session#setObject}; default none, so those methods throw.
     *
     * @param valueCodec the codec of object values
     * @return this builder
     */
    public Builder valueCodec(ValueCodec valueCodec) {
      options.valueCodec(valueCodec);
      return this;
    }

    /**
     * The largest value accepted by {@link Session#set}, in bytes. Default 1 MiB.
     *
     * @param maxValueSize the largest value in bytes, positive
     * @return this builder
     */
    public Builder maxValueSize(int maxValueSize) {
      options.maxValueSize(maxValueSize);
      return this;
    }

    /**
     * The largest encoded session, in bytes, checked at every {@code set} and at commit; a stored
     * blob over it is rejected before decoding. Default 1 MiB.
     *
     * @param maxSessionSize the largest encoded session in bytes, positive
     * @return this builder
     */
    public Builder maxSessionSize(int maxSessionSize) {
      options.maxSessionSize(maxSessionSize);
      return this;
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
    public Builder commitMode(CommitMode commitMode) {
      options.commitMode(commitMode);
      return this;
    }

    /**
     * How long the key of a session that was {@linkplain Session#invalidate() invalidated} or
     * {@linkplain Session#regenerateId() moved to a new key} stays refused to every commit, so that
     * a request still running with the old cookie cannot write the session back, and a replayed old
     * cookie gets a fresh key. It must outlast the longest request, and be longer than the I/O
     * timeout, which bounds the commit. Default: the I/O timeout plus {@link
     * #DEFAULT_TOMBSTONE_MARGIN} (6 minutes with the default I/O timeout). Used only with a store
     * with versions.
     *
     * @param tombstoneTtl how long a signed-out or moved key stays refused, longer than the I/O
     *     timeout
     * @return this builder
     */
    public Builder tombstoneTtl(Duration tombstoneTtl) {
      options.tombstoneTtl(tombstoneTtl);
      return this;
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
    public Builder maxSessionsPerPrincipal(int max, SessionLimitPolicy policy) {
      options.maxSessionsPerPrincipal(max, policy);
      return this;
    }

    /**
     * Builds the manager.
     *
     * @return the manager, thread-safe; close it when the application stops
     * @throws IllegalStateException if no store was given, if {@code commitMode} is {@code MERGE}
     *     or {@code STRICT} over a store without versions, if {@code maxSessionsPerPrincipal} is
     *     set over a store without a principal index, or if {@code tombstoneTtl} is not longer than
     *     a finite {@code ioTimeout}
     */
    public SessionManager build() {
      options.validate();
      return new SessionManager(options);
    }
  }
}
