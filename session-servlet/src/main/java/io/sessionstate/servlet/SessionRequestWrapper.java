package io.sessionstate.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * The request the application sees, in every dispatch of it: its sessions come from sessionstate
 * instead of the container, and its async cycles commit the session through the same wrappers.
 * Every method that could reach the container's own session is answered here, so the container
 * never creates one.
 */
final class SessionRequestWrapper extends HttpServletRequestWrapper {
  private final RequestCycle cycle;
  private @Nullable AsyncContext asyncContext;

  SessionRequestWrapper(HttpServletRequest request, RequestCycle cycle) {
    super(request);
    this.cycle = cycle;
  }

  @Override
  public HttpSession getSession() {
    return cycle.httpSession();
  }

  /**
   * Returns the visitor's session. A new session is stored, and its cookie sent, only once it is
   * given a value; setting that first value after the response has started throws the core's {@link
   * IllegalStateException}.
   */
  @Override
  public @Nullable HttpSession getSession(boolean create) {
    return create ? cycle.httpSession() : cycle.httpSession(false);
  }

  /**
   * Gives the session a new cookie key and a new id, keeping its contents (the defence against
   * session fixation), and returns the new id. Neither id says anything of the cookie's key.
   */
  @Override
  public String changeSessionId() {
    HttpSessionBridge current = cycle.httpSession(false);
    if (current == null) {
      throw new IllegalStateException(
          "changeSessionId() needs a session, and this request has none");
    }
    return current.changeId();
  }

  /**
   * The id the session had when the request came in, if its cookie named a stored session; a digest
   * of the cookie when it did not; null without a cookie.
   */
  @Override
  public @Nullable String getRequestedSessionId() {
    return cycle.requestedSessionId();
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return cycle.requestedSessionIdValid();
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
}
