package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
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
 */
public final class SessionManager implements AutoCloseable {

  /** Disables the I/O timeout when passed to {@link Builder#ioTimeout(Duration)}. */
  public static final Duration INFINITE_TIMEOUT = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  /** The default idle timeout: 20 minutes, as in ASP.NET Core. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(20);

  /** The default I/O timeout for one load or one commit: 1 minute, as in ASP.NET Core. */
  public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofMinutes(1);

  /** The default limit on one value and on a whole session, in bytes: 1 MiB. */
  public static final int DEFAULT_MAX_SIZE = 1 << 20;

  /**
   * The most threads the manager's own executor runs at once. Past it a blocking store call fails
   * at once with {@link SessionStoreException} instead of queueing behind a store that hangs.
   */
  public static final int DEFAULT_MAX_IO_THREADS = 256;

  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);
  // The longest finite timeout a timer can count in nanoseconds.
  private static final Duration MAX_FINITE_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE);

  private final SessionOptions options;
  private final StoreCalls calls;

  private SessionManager(Builder b) {
    KeyRing keyRing = b.keyRing;
    if (keyRing == null) {
      log.warn(
          "No key ring configured: session cookies are signed with a key generated for this"
              + " process, so they will not survive a restart or be shared between nodes."
              + " Configure SessionManager.Builder.keyRing(...) for production.");
      keyRing = KeyRing.generate();
    }
    this.options =
        new SessionOptions(
            b.idleTimeout,
            b.absoluteLifetime,
            b.requireExplicitLoad,
            b.renewUnknownKeys,
            b.cookieOptions,
            keyRing,
            new CookieProtector(keyRing),
            b.blobIntegrity != null ? b.blobIntegrity : b.store.isExternallyWritable(),
            b.clock,
            b.listener,
            b.valueCodec,
            b.maxValueSize,
            b.maxSessionSize);
    this.calls = new StoreCalls(b.store, b.ioTimeout, b.executor, DEFAULT_MAX_IO_THREADS);
  }

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
   */
  public SessionRequest begin(
      String cookieHeader, boolean secure, BooleanSupplier responseStarted) {
    requireNonNull(responseStarted, "responseStarted");
    checkOpen();
    String key = null;
    if (cookieHeader != null) {
      boolean sawCookie = false;
      for (String value : cookieValues(cookieHeader, options.cookieOptions().name())) {
        sawCookie = true;
        Optional<String> verified = options.protector().unprotect(value);
        if (verified.isPresent()) {
          key = verified.get();
          break;
        }
      }
      if (key == null && sawCookie) {
        log.debug("Ignoring a session cookie that does not verify; starting a new session");
      }
    }
    return new SessionRequest(
        options, new DefaultSession(options, calls, key, responseStarted), secure);
  }

  /**
   * Starts a request cycle from the value of the session cookie alone, for frameworks that parse
   * cookies themselves. A null value means the request has no session cookie.
   */
  public SessionRequest beginWithCookieValue(
      String cookieValue, boolean secure, BooleanSupplier responseStarted) {
    requireNonNull(responseStarted, "responseStarted");
    checkOpen();
    String key = null;
    if (cookieValue != null) {
      key = options.protector().unprotect(cookieValue).orElse(null);
      if (key == null) {
        log.debug("Ignoring a session cookie that does not verify; starting a new session");
      }
    }
    return new SessionRequest(
        options, new DefaultSession(options, calls, key, responseStarted), secure);
  }

  /** The store that holds the sessions. */
  public SessionStore store() {
    return calls.store();
  }

  /** How long a session lives without a request. */
  public Duration idleTimeout() {
    return options.idleTimeout();
  }

  /** How long one load or one commit may take; {@link #INFINITE_TIMEOUT} when disabled. */
  public Duration ioTimeout() {
    return calls.ioTimeout();
  }

  /** How long a session may live whatever its activity, if limited. */
  public Optional<Duration> absoluteLifetime() {
    return Optional.ofNullable(options.absoluteLifetime());
  }

  /** The session cookie's options. */
  public CookieOptions cookieOptions() {
    return options.cookieOptions();
  }

  /** Whether stored blobs are tagged and verified under the key ring. */
  public boolean blobIntegrity() {
    return options.blobIntegrity();
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
        + ", cookie="
        + options.cookieOptions().name()
        + ", keyRing="
        + options.keyRing()
        + "}";
  }

  /** The values of every cookie named {@code name} in a {@code Cookie} header, in order. */
  static List<String> cookieValues(String header, String name) {
    List<String> values = new ArrayList<>(1);
    int start = 0;
    int length = header.length();
    while (start < length) {
      int end = header.indexOf(';', start);
      if (end < 0) {
        end = length;
      }
      int eq = header.indexOf('=', start);
      if (eq > start && eq < end && header.substring(start, eq).trim().equals(name)) {
        String value = header.substring(eq + 1, end).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        values.add(value);
      }
      start = end + 1;
    }
    return values;
  }

  /**
   * Builds a {@link SessionManager}. Every setter validates its argument at once and names the
   * option and the bad value in its message.
   */
  public static final class Builder {
    private SessionStore store;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration ioTimeout = DEFAULT_IO_TIMEOUT;
    private Duration absoluteLifetime;
    private boolean requireExplicitLoad;
    private boolean renewUnknownKeys;
    private CookieOptions cookieOptions = CookieOptions.defaults();
    private KeyRing keyRing;
    private Boolean blobIntegrity;
    private Executor executor;
    private Clock clock = Clock.systemUTC();
    private SessionListener listener = SessionListener.NONE;
    private ValueCodec valueCodec;
    private int maxValueSize = DEFAULT_MAX_SIZE;
    private int maxSessionSize = DEFAULT_MAX_SIZE;

    private Builder() {}

    /** The store that holds the sessions; required. The manager closes it on {@link #close()}. */
    public Builder store(SessionStore store) {
      this.store = requireNonNull(store, "store");
      return this;
    }

    /** How long a session lives without a request; every load resets it. Default 20 minutes. */
    public Builder idleTimeout(Duration idleTimeout) {
      positive("idleTimeout", idleTimeout);
      if (idleTimeout.toMillis() < 1) {
        throw new IllegalArgumentException(
            "idleTimeout must be at least 1 millisecond: " + idleTimeout);
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * How long one load or one commit may take before it fails with {@link
     * SessionTimeoutException}. Default 1 minute; {@link #INFINITE_TIMEOUT} disables it.
     */
    public Builder ioTimeout(Duration ioTimeout) {
      positive("ioTimeout", ioTimeout);
      if (!ioTimeout.equals(INFINITE_TIMEOUT) && ioTimeout.compareTo(MAX_FINITE_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "ioTimeout must be at most "
                + MAX_FINITE_TIMEOUT
                + ", or SessionManager.INFINITE_TIMEOUT: "
                + ioTimeout);
      }
      this.ioTimeout = ioTimeout;
      return this;
    }

    /**
     * How long a session may live whatever its activity, counted from its creation; null (the
     * default) for no limit. OWASP recommends one alongside the idle timeout. A session past it is
     * deleted, its cookie is removed, and the visitor starts again under a fresh key.
     */
    public Builder absoluteLifetime(Duration absoluteLifetime) {
      this.absoluteLifetime =
          absoluteLifetime == null ? null : positive("absoluteLifetime", absoluteLifetime);
      return this;
    }

    /**
     * When true, reading or writing a session before {@link Session#loadAsync()} throws {@link
     * IllegalStateException} instead of loading synchronously. Default false.
     */
    public Builder requireExplicitLoad(boolean requireExplicitLoad) {
      this.requireExplicitLoad = requireExplicitLoad;
      return this;
    }

    /**
     * What happens when a cookie verifies but its session is gone from the store (it expired or was
     * deleted). False, the default, starts a new empty session under the same key, as ASP.NET Core
     * does; true starts it under a fresh key and sends a new cookie, as OWASP recommends. With an
     * {@link #absoluteLifetime} set, keys are always renewed, so an expired key never comes back.
     */
    public Builder renewUnknownKeys(boolean renewUnknownKeys) {
      this.renewUnknownKeys = renewUnknownKeys;
      return this;
    }

    /** The session cookie's options. Default {@link CookieOptions#defaults()}. */
    public Builder cookie(CookieOptions cookieOptions) {
      this.cookieOptions = requireNonNull(cookieOptions, "cookieOptions");
      return this;
    }

    /**
     * The secrets that sign cookies and blobs. Without one the manager generates a key for this
     * process alone and logs a warning: cookies then do not survive a restart or work across nodes.
     */
    public Builder keyRing(KeyRing keyRing) {
      this.keyRing = requireNonNull(keyRing, "keyRing");
      return this;
    }

    /**
     * Whether stored blobs carry an HMAC-SHA256 tag under the key ring, verified before any byte is
     * decoded, so that whoever can write to the store cannot feed the application their bytes.
     * Default: on, unless the store says nothing outside this process can write its blobs ({@link
     * SessionStore#isExternallyWritable()}), as the memory store does.
     */
    public Builder blobIntegrity(boolean blobIntegrity) {
      this.blobIntegrity = blobIntegrity;
      return this;
    }

    /**
     * Where blocking store calls run. Default: a pool of daemon threads owned by the manager.
     * {@linkplain SessionStore#isNonBlocking() Non-blocking} stores never use it.
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /** The clock for session creation times and the absolute lifetime. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Receives session events. Default {@link SessionListener#NONE}. */
    public Builder listener(SessionListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /** Encodes values for {@link Session#setObject}; default none, so those methods throw. */
    public Builder valueCodec(ValueCodec valueCodec) {
      this.valueCodec = requireNonNull(valueCodec, "valueCodec");
      return this;
    }

    /** The largest value accepted by {@link Session#set}, in bytes. Default 1 MiB. */
    public Builder maxValueSize(int maxValueSize) {
      if (maxValueSize < 1) {
        throw new IllegalArgumentException("maxValueSize must be positive: " + maxValueSize);
      }
      this.maxValueSize = maxValueSize;
      return this;
    }

    /**
     * The largest encoded session, in bytes, checked at every {@code set} and at commit; a stored
     * blob over it is rejected before decoding. Default 1 MiB.
     */
    public Builder maxSessionSize(int maxSessionSize) {
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
      return this;
    }

    /**
     * Builds the manager.
     *
     * @throws IllegalStateException if no store was given
     */
    public SessionManager build() {
      if (store == null) {
        throw new IllegalStateException("store is required: call store(...) before build()");
      }
      return new SessionManager(this);
    }

    private static Duration positive(String option, Duration value) {
      requireNonNull(value, option);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(option + " must be positive: " + value);
      }
      return value;
    }
  }
}
