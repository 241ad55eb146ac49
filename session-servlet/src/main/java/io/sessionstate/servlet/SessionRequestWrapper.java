package io.sessionstate.servlet;

import io.sessionstate.Session;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The request the application sees: its sessions come from sessionstate instead of the container,
 * and its async cycles commit the session through the same wrappers.
 */
final class SessionRequestWrapper extends HttpServletRequestWrapper {
  private final RequestCycle cycle;
  private HttpSessionBridge bridge;
  private AsyncContext asyncContext;

  SessionRequestWrapper(HttpServletRequest request, RequestCycle cycle) {
    super(request);
    this.cycle = cycle;
  }

  @Override
  public HttpSession getSession() {
    return getSession(true);
  }

  /**
   * Returns the visitor's session. A new session is stored, and its cookie sent, only once it is
   * given a value; setting that first value after the response has started throws the core's {@link
   * IllegalStateException}.
   */
  @Override
  public HttpSession getSession(boolean create) {
    if (bridge != null && bridge.isValid()) {
      return bridge;
    }
    Session session = cycle.session();
    // A session exists when the store held it at load. Without a valid cookie nothing is loaded,
    // so asking costs no round trip.
    if (create || !session.isNew()) {
      bridge = new HttpSessionBridge(session, cycle, !session.isNew());
      return bridge;
    }
    return null;
  }

  /**
   * Gives the session a new cookie key, keeping its contents (the defence against session
   * fixation), and returns its id. The id is {@link Session#id()}, which is not a credential and
   * stays the same: the key that changes never leaves the cookie.
   */
  @Override
  public String changeSessionId() {
    HttpSession current = getSession(false);
    if (current == null) {
      throw new IllegalStateException(
          "changeSessionId() needs a session, and this request has none");
    }
    cycle.session().regenerateId();
    return current.getId();
  }

  /**
   * The id of the session the request's cookie named, or a digest of a cookie that was not valid.
   */
  @Override
  public String getRequestedSessionId() {
    if (!cycle.hadCookie()) {
      return null;
    }
    if (isRequestedSessionIdValid()) {
      return cycle.session().id();
    }
    // The client did ask for a session; say so without showing the cookie's value.
    return "invalid-" + digest(cycle.requestedCookie());
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    if (!cycle.hadCookie()) {
      return false;
    }
    if (bridge != null) {
      return bridge.isValid() && bridge.existedAtStart();
    }
    return !cycle.session().isNew();
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    return cycle.hadCookie();
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    return false;
  }

  @Override
  public AsyncContext startAsync() {
    // The no-argument form would hand the container's own response to the async code, around the
    // wrapper that commits the session first.
    return startAsync(this, cycle.response());
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    asyncContext = new CommittingAsyncContext(super.startAsync(request, response), cycle);
    return asyncContext;
  }

  @Override
  public AsyncContext getAsyncContext() {
    AsyncContext current = super.getAsyncContext();
    if (asyncContext != null && current != null) {
      return asyncContext;
    }
    return current;
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
}
