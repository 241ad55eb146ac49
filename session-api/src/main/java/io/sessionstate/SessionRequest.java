package io.sessionstate;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP request's session cycle, started by {@link SessionManager#begin}: it holds the request's
 * {@link Session} and, at the end, commits it and says which headers the response must carry. Call
 * {@link #finish()} or {@link #finishAsync()} before the response starts, so its {@code Set-Cookie}
 * header can still be sent. Not thread-safe; one per request.
 *
 * <p>Nothing it returns is null.
 */
public final class SessionRequest {
  private static final String EXPIRED = "Thu, 01 Jan 1970 00:00:00 GMT";

  private final SessionOptions options;
  private final DefaultSession session;
  private final boolean secure;

  /** Whether this request already re-issued a persistent cookie, which one response needs once. */
  private boolean refreshed;

  SessionRequest(SessionOptions options, DefaultSession session, boolean secure) {
    this.options = options;
    this.session = session;
    this.secure = secure;
  }

  /** {@return the request's session, not loaded yet} */
  public Session session() {
    return session;
  }

  /**
   * Commits the session and yields the headers to send. The future fails as {@link
   * Session#commitAsync()} does, and then no cookie is sent.
   *
   * @return a future of the headers to add to the response
   */
  public CompletableFuture<SessionResponse> finishAsync() {
    return session.commitAsync().thenApply(ignored -> response());
  }

  /**
   * Commits the session, waiting for the store, and returns the headers to send. The store is
   * called on this thread, so the store's own timeouts (connect, operation or socket) bound the
   * wait, not the manager's I/O timeout, which bounds {@link #finishAsync()}.
   *
   * @return the headers to add to the response
   * @throws SessionException if the commit fails or the store's own timeout passes
   */
  public SessionResponse finish() {
    // The store is called on this thread, which would only wait for another one: bounded by the
    // store's own timeouts rather than the manager's I/O timeout.
    StoreCalls.await(session.commit(true));
    return response();
  }

  private SessionResponse response() {
    Optional<String> key = session.keyToSend();
    if (key.isPresent()) {
      return new SessionResponse(setCookie(options.protector().protect(key.get()), false));
    }
    if (session.cookieToClear()) {
      return new SessionResponse(setCookie("", true));
    }
    if (options.cookieOptions().persistent() && !refreshed) {
      // A persistent cookie slides with the session: re-issued with a full Max-Age. One that
      // follows the idle timeout waits for a request that knows the session's: a session with its
      // own must not get the manager's.
      Optional<String> held = session.cookieKeyToRefresh();
      if (held.isPresent()
          && (options.cookieOptions().maxAge().isPresent()
              || session.knownIdleTimeout().isPresent())) {
        refreshed = true;
        return new SessionResponse(setCookie(options.protector().protect(held.get()), false));
      }
    }
    return SessionResponse.NONE;
  }

  private String setCookie(String value, boolean expire) {
    CookieOptions options = this.options.cookieOptions();
    boolean secureCookie =
        switch (options.securePolicy()) {
          case ALWAYS -> true;
          case NEVER -> false;
          case SAME_AS_REQUEST -> secure;
        };
    if (!expire && !options.persistent()) {
      // The usual cookie: its attributes are the same for every request, made once.
      return options.name() + '=' + value + options.sessionAttributes(secureCookie);
    }
    StringBuilder sb = new StringBuilder(160);
    sb.append(options.name()).append('=').append(value);
    sb.append("; Path=").append(options.path());
    options.domain().ifPresent(d -> sb.append("; Domain=").append(d));
    if (expire) {
      sb.append("; Max-Age=0; Expires=").append(EXPIRED);
    } else if (options.persistent()) {
      Duration maxAge =
          options
              .maxAge()
              .orElseGet(() -> session.knownIdleTimeout().orElse(this.options.idleTimeout()));
      if (maxAge.compareTo(CookieOptions.MAX_MAX_AGE) > 0) {
        maxAge = CookieOptions.MAX_MAX_AGE;
      }
      // Whole seconds, rounded up: a sub-second idle timeout still gets a cookie that lives.
      long seconds = maxAge.getSeconds() + (maxAge.getNano() > 0 ? 1 : 0);
      sb.append("; Max-Age=").append(seconds);
    }
    if (secureCookie) {
      sb.append("; Secure");
    }
    if (options.httpOnly()) {
      sb.append("; HttpOnly");
    }
    sb.append("; SameSite=").append(options.sameSite().attribute());
    if (options.partitioned()) {
      sb.append("; Partitioned");
    }
    return sb.toString();
  }
}
