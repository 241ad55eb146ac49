package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import java.util.Optional;
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

  /** Disables the I/O timeout when passed to {@link Builder Builder.ioTimeout(Duration)}. */
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
   * given up on the request anyway. See {@link Builder Builder.tombstoneTtl(Duration)}.
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
   * Starts a manager's options from the defaults; {@link Builder Builder.store(SessionStore)} is
   * required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
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
  public static final class Builder extends ManagerBuilder {
    private Builder() {}

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
