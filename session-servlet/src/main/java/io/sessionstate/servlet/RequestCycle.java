package io.sessionstate.servlet;

import io.sessionstate.Session;
import io.sessionstate.SessionException;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.ValueCodec;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's session cycle inside the filter: the core request cycle, the {@code HttpSession}
 * every dispatch of the request shares, the wrappers the application sees, and the commit that must
 * happen before the response's first byte. Methods are synchronized because an async request may
 * write and complete on threads of its own.
 *
 * <p>The cycle is open while the filter serves the request. When the filter returns (or the async
 * cycle ends) it commits and closes: the session refuses changes, which would be lost, and the
 * request attribute {@link SessionFilter#SESSION_ATTRIBUTE} is removed. A container reaches an
 * error page after the request's own dispatch has returned, so an error dispatch reopens the cycle
 * for its length, with the same session.
 */
final class RequestCycle {
  private static final Logger log = LoggerFactory.getLogger(SessionFilter.class);

  static final String UNAVAILABLE_MESSAGE =
      "Service unavailable: your session could not be saved. Please try again shortly.\n";

  private final SessionManager manager;

  /** The manager's codec, or null: attributes are then strings and byte arrays. */
  final @Nullable ValueCodec codec;

  final SessionListeners listeners;
  private final SessionFilter.CommitFailure commitFailure;
  final ServletContext servletContext;
  private final HttpServletRequest containerRequest;
  private final HttpServletResponse containerResponse;
  final long startedAtMillis = System.currentTimeMillis();

  private final SessionRequest cycle;
  private final GuardedSession guardedSession;
  private final SessionRequestWrapper request;
  private final CommittingResponse response;
  private final @Nullable String requestedCookie;

  /** The request's HttpSession, shared by every dispatch; replaced after an invalidation. */
  private @Nullable HttpSessionBridge bridge;

  /** The id of the session the cookie named, as it was before any change in this request. */
  private @Nullable String idAtStart;

  /** The filter is done with the request: changes to its session would be lost. */
  private volatile boolean closed;

  /** Output has begun (or is about to): from now on a new session's cookie cannot be sent. */
  private volatile boolean outputStarted;

  /** A commit failed and the 503 answer replaced the response; further output is dropped. */
  private boolean failed;

  /**
   * A commit failed: the request makes no other attempt, so a store that is down or timing out
   * costs it one wait, not one per commit point, whatever the failure policy.
   */
  private boolean commitFailed;

  private @Nullable String cookieSent;
  private Map<String, String> headersSent = Map.of();

  RequestCycle(
      SessionManager manager,
      SessionListeners listeners,
      SessionFilter.CommitFailure commitFailure,
      ServletContext servletContext,
      HttpServletRequest containerRequest,
      HttpServletResponse containerResponse,
      @Nullable String cookieHeader,
      boolean secure) {
    this.manager = manager;
    this.codec = manager.valueCodec().orElse(null);
    this.listeners = listeners;
    this.commitFailure = commitFailure;
    this.servletContext = servletContext;
    this.containerRequest = containerRequest;
    this.containerResponse = containerResponse;
    this.requestedCookie =
        cookieHeader == null ? null : cookieValue(containerRequest, manager.cookieOptions().name());
    cycle =
        manager.begin(cookieHeader, secure, () -> outputStarted || containerResponse.isCommitted());
    guardedSession = new GuardedSession(cycle.session(), this);
    response = new CommittingResponse(containerResponse, this);
    request = new SessionRequestWrapper(containerRequest, this);
  }

  private static @Nullable String cookieValue(HttpServletRequest request, String name) {
    jakarta.servlet.http.Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (jakarta.servlet.http.Cookie c : cookies) {
      if (c.getName().equals(name)) {
        return c.getValue();
      }
    }
    return null;
  }

  java.time.Duration idleTimeout() {
    return manager.idleTimeout();
  }

  Session session() {
    return cycle.session();
  }

  /** The core session as the request attribute shows it: refusing changes once closed. */
  Session guardedSession() {
    return guardedSession;
  }

  SessionRequestWrapper request() {
    return request;
  }

  /** A nested dispatch's request, wrapped so that it sees this cycle's session. */
  HttpServletRequest wrap(HttpServletRequest dispatched) {
    return new SessionRequestWrapper(dispatched, this);
  }

  /**
   * A nested dispatch's response, wrapped to commit before its first byte unless it already passes
   * through this cycle's wrapper (a forward or include of the wrapped response).
   */
  ServletResponse wrap(HttpServletResponse dispatched) {
    if (dispatched instanceof CommittingResponse
        || dispatched instanceof ServletResponseWrapper w
            && w.isWrapperFor(CommittingResponse.class)) {
      return dispatched;
    }
    return new CommittingResponse(dispatched, this);
  }

  // ---- the HttpSession, shared by every dispatch

  /** The request's HttpSession, or null when it has none and {@code create} is false. */
  synchronized @Nullable HttpSessionBridge httpSession(boolean create) {
    // A session exists when the store held it at load. Without a valid cookie nothing is loaded,
    // so asking costs no round trip.
    if (create || (bridge != null && bridge.isValid()) || !cycle.session().isNew()) {
      return httpSession();
    }
    return null;
  }

  /** The request's HttpSession, created if it has none. */
  synchronized HttpSessionBridge httpSession() {
    HttpSessionBridge current = bridge;
    if (current != null && current.isValid()) {
      return current;
    }
    Session session = cycle.session();
    HttpSessionBridge created = new HttpSessionBridge(session, this, !session.isNew());
    bridge = created;
    if (idAtStart == null && created.existedAtStart()) {
      idAtStart = created.getId();
    }
    return created;
  }

  synchronized @Nullable String requestedSessionId() {
    String cookie = requestedCookie;
    if (cookie == null) {
      return null; // no cookie, so no session was asked for
    }
    if (requestedSessionIdValid()) {
      httpSession(false); // records the id the cookie named
      return idAtStart;
    }
    if (idAtStart != null) {
      return idAtStart; // the session the cookie named, invalidated by this request
    }
    // The client did ask for a session; say so without showing the cookie's value.
    return "invalid-" + digest(cookie);
  }

  synchronized boolean requestedSessionIdValid() {
    if (!hadCookie()) {
      return false;
    }
    if (bridge != null) {
      return bridge.isValid() && bridge.existedAtStart();
    }
    return !cycle.session().isNew();
  }

  /**
   * Throws if the filter is done with this request's session.
   *
   * @throws IllegalStateException naming {@code method}
   */
  void checkOpen(String method) {
    if (closed) {
      throw new IllegalStateException(
          method
              + ": the request's session was already committed when SessionFilter returned, so"
              + " this change would be lost; change the session before the filter chain returns");
    }
  }

  /**
   * Opens the cycle again for a dispatch that comes after the filter returned: an error page.
   * Returns whether it was closed, so the dispatch must close it again.
   */
  synchronized boolean reopen() {
    if (!closed) {
      return false;
    }
    closed = false;
    if (!failed && !containerResponse.isCommitted()) {
      // The error page may still send a cookie, and the container may have reset the headers.
      outputStarted = false;
      if (cookieSent != null) {
        Collection<String> present = containerResponse.getHeaders("Set-Cookie");
        if (present == null || !present.contains(cookieSent)) {
          apply(headersSent);
        }
      }
    }
    containerRequest.setAttribute(SessionFilter.SESSION_ATTRIBUTE, guardedSession);
    return true;
  }

  CommittingResponse response() {
    return response;
  }

  /** Whether the request carried a session cookie, valid or not. */
  boolean hadCookie() {
    return requestedCookie != null;
  }

  /** The session cookie's value, for a digest only: it must never be shown or logged. */
  @Nullable String requestedCookie() {
    return requestedCookie;
  }

  /**
   * Called before the first byte of the response goes to the container: commits the session and
   * adds its headers. Returns false when the commit failed and a 503 answer replaced the response,
   * so the caller drops its output.
   */
  synchronized boolean beforeOutput() {
    if (failed) {
      return false;
    }
    if (!outputStarted) {
      commit();
      outputStarted = true;
    }
    return !failed;
  }

  /**
   * The end of the request (or of its async cycle): commits whatever is left, then closes the
   * cycle. Before any output this is the request's one commit; after it, it writes only changes
   * made to an existing session since. Calling it again does nothing.
   */
  synchronized void end() {
    if (closed) {
      return;
    }
    if (!failed) {
      commit();
      outputStarted = true;
    }
    closed = true;
    containerRequest.removeAttribute(SessionFilter.SESSION_ATTRIBUTE);
    if (bridge != null) {
      bridge.destroyIfGone();
    }
  }

  synchronized boolean failed() {
    return failed;
  }

  /**
   * Binds the session to the user the container (or an authentication filter ahead of this one)
   * authenticated, so the manager's principal index finds it. Only where the application used the
   * session in this request and it holds values: a request that never touches the session loads
   * nothing for this, and an authenticated request without a session (an API call under basic
   * authentication) does not get one. A session bound to that user already costs nothing; one bound
   * to another user is rebound. Sign-out unbinds through {@code invalidate()}.
   */
  private void bindAuthenticatedUser() {
    if (bridge == null || !bridge.isValid()) {
      return;
    }
    java.security.Principal user = containerRequest.getUserPrincipal();
    Session session = cycle.session();
    if (user != null && session.isAvailable() && !session.keys().isEmpty()) {
      session.bindPrincipal(user.getName());
    }
  }

  private void commit() {
    if (commitFailed) {
      return;
    }
    SessionResponse result;
    try {
      bindAuthenticatedUser();
      result = cycle.finish();
    } catch (SessionException e) {
      onFailure(e);
      return;
    }
    Map<String, String> headers = result.headers();
    if (headers.isEmpty()) {
      return;
    }
    String setCookie = headers.get("Set-Cookie");
    if (setCookie == null || setCookie.equals(cookieSent)) {
      return; // a later commit of the same cycle: the header is already there
    }
    if (containerResponse.isCommitted()) {
      // Only reachable when the application wrote around the wrappers.
      log.warn(
          "The session changed its cookie after the response was committed; the browser keeps its"
              + " old one");
      return;
    }
    apply(headers);
    cookieSent = setCookie;
    headersSent = headers;
  }

  private void apply(Map<String, String> headers) {
    headers.forEach(
        (name, value) -> {
          if (name.equals("Set-Cookie")) {
            containerResponse.addHeader(name, value); // the application's own cookies stay
          } else {
            containerResponse.setHeader(name, value);
          }
        });
  }

  /** After the application reset the response: the session's headers must survive it. */
  synchronized void afterReset() {
    apply(headersSent);
  }

  private static String digest(String value) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void onFailure(SessionException e) {
    commitFailed = true;
    if (commitFailure == SessionFilter.CommitFailure.LOG_AND_CONTINUE) {
      log.warn("Session commit failed; the response goes on without it", e);
      return;
    }
    if (containerResponse.isCommitted()) {
      log.error("Session commit failed after the response was committed; its changes are lost", e);
      return;
    }
    log.warn("Session commit failed; answering 503", e);
    failed = true;
    containerResponse.reset();
    containerResponse.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    containerResponse.setContentType("text/plain;charset=utf-8");
    containerResponse.setHeader("Cache-Control", "no-store");
    containerResponse.setHeader("Retry-After", "5");
    byte[] body = UNAVAILABLE_MESSAGE.getBytes(StandardCharsets.UTF_8);
    containerResponse.setContentLength(body.length);
    try {
      try {
        ServletOutputStream out = containerResponse.getOutputStream();
        out.write(body);
      } catch (IllegalStateException writerInUse) {
        PrintWriter writer = containerResponse.getWriter();
        writer.write(UNAVAILABLE_MESSAGE);
      }
    } catch (IOException io) {
      log.debug("Could not send the 503 answer: {}", io.toString());
    }
  }
}
