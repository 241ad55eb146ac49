package io.sessionstate.servlet;

import static java.util.Objects.requireNonNull;

import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.EventListener;
import org.jspecify.annotations.Nullable;

/**
 * A Jakarta Servlet filter that serves {@link HttpServletRequest#getSession()} from a sessionstate
 * {@link SessionManager}: one load and at most one store write per request, no sticky sessions.
 * Application code keeps using {@link jakarta.servlet.http.HttpSession}; the core {@link Session}
 * is also available as the request attribute {@link #SESSION_ATTRIBUTE} while the filter serves the
 * request.
 *
 * <p>The session is committed before the first byte of the response leaves the filter (on the first
 * write, flush, {@code sendError} or {@code sendRedirect}), or when the chain returns if nothing
 * was written, so the {@code Set-Cookie} header and the commit's outcome are known while the
 * response can still carry them. Async requests commit on {@code AsyncContext.complete()} or when
 * the async cycle ends. When the filter returns, the session is closed: a change made after that
 * throws {@link IllegalStateException} instead of being lost, and the request attribute is gone.
 *
 * <p>Register the filter for the {@code REQUEST}, {@code ASYNC} and {@code ERROR} dispatcher types
 * (also {@code FORWARD} and {@code INCLUDE} if you like), before anything that writes the response
 * or asks for a session. Every nested dispatch of a request it serves (an error page, a forward, an
 * include, an async dispatch) sees the same session, and the container's own session is never
 * created. An error page is reached after the request's own dispatch has returned, so without the
 * {@code ERROR} type it would see no session.
 *
 * <p>Attribute values go through the manager's {@link SessionManager#valueCodec()}; without one,
 * attributes are {@code String} and {@code byte[]} values only.
 *
 * <p>Session listeners ({@link jakarta.servlet.http.HttpSessionListener}, {@link
 * jakarta.servlet.http.HttpSessionAttributeListener}, {@link
 * jakarta.servlet.http.HttpSessionIdListener}) are registered with the filter, since a container
 * calls its own only for its own sessions. Values that implement {@link
 * jakarta.servlet.http.HttpSessionBindingListener} are told when they are bound and unbound. A
 * session is created, for {@code sessionCreated}, when a request gives a new session its first
 * value (before that it is not stored, and no other request can see it); it is destroyed on {@code
 * invalidate()}, and at the end of a request that left it empty (its entry is then deleted). Expiry
 * in the store cannot be observed: the store drops an idle entry without anyone reading it, and a
 * later request finds nothing to name.
 *
 * <p>Built in code with {@link #builder(SessionManager)}, or by a container from {@code web.xml}
 * through the no-argument constructor and these init-params:
 *
 * <ul>
 *   <li>{@code manager-factory}: the class name of a {@code Supplier<SessionManager>} with a public
 *       no-argument constructor; the filter then owns the manager and closes it in {@link
 *       #destroy()}. Without it, the filter takes the manager from the servlet context attribute
 *       named by {@code manager-attribute} (default {@value #MANAGER_ATTRIBUTE}) and leaves it
 *       open.
 *   <li>{@code listeners}: comma-separated class names of session listeners with public no-argument
 *       constructors.
 *   <li>{@code commit-failure}: {@code respond-503} (default) or {@code log-and-continue}.
 *   <li>{@code trust-forwarded-proto}: {@code true} or {@code false} (default).
 * </ul>
 *
 * <p>Thread-safe once initialized; one instance serves every request.
 */
public final class SessionFilter implements Filter {

  /** The request attribute that holds the request's core {@link Session}. */
  public static final String SESSION_ATTRIBUTE = "io.sessionstate.Session";

  /** The default servlet context attribute a {@code web.xml} filter takes its manager from. */
  public static final String MANAGER_ATTRIBUTE = "io.sessionstate.SessionManager";

  static final String CYCLE_ATTRIBUTE = RequestCycle.class.getName();

  /** What a request does when its session cannot be committed. */
  public enum CommitFailure {
    /**
     * The request fails with {@code 503 Service Unavailable} and a short plain-text message, so no
     * page claims a change (an item in a cart) that was not kept. The default.
     */
    RESPOND_503,
    /**
     * The failure is logged and the response goes on as the application wrote it, as ASP.NET Core
     * does: the visitor may see a change that the next request will not find.
     */
    LOG_AND_CONTINUE
  }

  private @Nullable SessionManager manager;
  private SessionListeners listeners = SessionListeners.NONE;
  private @Nullable CommitFailure commitFailure;
  private boolean trustForwardedProto;
  private boolean ownsManager;
  private @Nullable ServletContext servletContext;

  /** For containers that create filters from {@code web.xml}; configured by init-params. */
  public SessionFilter() {}

  private SessionFilter(Builder b) {
    this.manager = b.manager;
    apply(b.options);
  }

  /** Starts a filter over {@code manager}, which the caller keeps and closes. */
  public static Builder builder(SessionManager manager) {
    return new Builder(manager);
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    servletContext = config.getServletContext();
    if (manager != null) {
      return; // built in code: init-params do not apply
    }
    InitParams.ManagerSource source = InitParams.manager(config);
    try {
      apply(InitParams.options(config));
    } catch (ServletException | RuntimeException e) {
      // A container never calls destroy() on a filter whose init() failed.
      if (source.owned()) {
        source.manager().close();
      }
      throw e;
    }
    manager = source.manager();
    ownsManager = source.owned();
  }

  private void apply(FilterOptions options) {
    listeners = options.listeners();
    commitFailure = options.commitFailure();
    trustForwardedProto = options.trustForwardedProto();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    SessionManager manager = this.manager;
    CommitFailure commitFailure = this.commitFailure;
    ServletContext servletContext = this.servletContext;
    if (manager == null || commitFailure == null || servletContext == null) {
      throw new IllegalStateException("SessionFilter used before init()");
    }
    if (request.getAttribute(CYCLE_ATTRIBUTE) instanceof RequestCycle cycle) {
      nested(cycle, request, response, chain);
      return;
    }
    RequestCycle cycle =
        new RequestCycle(
            manager,
            listeners,
            commitFailure,
            servletContext,
            request,
            response,
            cookieHeader(request),
            isSecure(request));
    // Stays for the request's life, so that an error dispatch after the filter returned finds it.
    request.setAttribute(CYCLE_ATTRIBUTE, cycle);
    request.setAttribute(SESSION_ATTRIBUTE, cycle.guardedSession());
    try {
      chain.doFilter(cycle.request(), cycle.response());
    } finally {
      if (!endWhenAsyncEnds(request, cycle)) {
        cycle.end();
      }
    }
  }

  /**
   * A forward, include, error or async dispatch of a request this filter already serves. The
   * container hands it its own request and response (an error page always; the others when the
   * application dispatched the unwrapped ones), so both are wrapped again around the same cycle:
   * the dispatch sees the same session, and never the container's.
   */
  private static void nested(
      RequestCycle cycle,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws IOException, ServletException {
    // An error page comes after the filter returned and closed the cycle: open it for the page.
    boolean reopened = cycle.reopen();
    try {
      chain.doFilter(cycle.wrap(request), cycle.wrap(response));
    } finally {
      boolean asyncDone =
          request.getDispatcherType() == DispatcherType.ASYNC && !request.isAsyncStarted();
      if ((reopened || asyncDone) && !endWhenAsyncEnds(request, cycle)) {
        cycle.end();
      }
    }
  }

  /** Whether the async cycle is still running, so that its end will commit instead. */
  private static boolean endWhenAsyncEnds(HttpServletRequest request, RequestCycle cycle) {
    if (!request.isAsyncStarted()) {
      return false;
    }
    try {
      request.getAsyncContext().addListener(new EndOnAsyncEvents(cycle));
      return true;
    } catch (IllegalStateException completedMeanwhile) {
      // Another thread completed it after the check; complete() has committed already, and
      // committing again is a no-op.
      return false;
    }
  }

  private boolean isSecure(HttpServletRequest request) {
    if (request.isSecure()) {
      return true;
    }
    if (!trustForwardedProto) {
      return false; // anyone can send the header; only a proxy of ours may be believed
    }
    String proto = request.getHeader("X-Forwarded-Proto");
    if (proto == null) {
      return false;
    }
    int comma = proto.indexOf(',');
    // The first value is the one the client's own connection used.
    String first = (comma < 0 ? proto : proto.substring(0, comma)).strip();
    return first.equalsIgnoreCase("https");
  }

  /** The container parses cookies its own way; the manager reads the raw headers instead. */
  private static @Nullable String cookieHeader(HttpServletRequest request) {
    Enumeration<String> headers = request.getHeaders("Cookie");
    if (headers == null || !headers.hasMoreElements()) {
      return null;
    }
    return String.join("; ", Collections.list(headers));
  }

  @Override
  public void destroy() {
    if (ownsManager && manager != null) {
      manager.close();
    }
  }

  @Override
  public String toString() {
    return "SessionFilter{manager="
        + manager
        + ", commitFailure="
        + commitFailure
        + ", trustForwardedProto="
        + trustForwardedProto
        + "}";
  }

  /**
   * Commits when an async cycle ends without {@code complete()} (a timeout or an error), while the
   * container has not written its response yet, and as a last chance when it completes.
   */
  private static final class EndOnAsyncEvents implements AsyncListener {
    private final RequestCycle cycle;

    EndOnAsyncEvents(RequestCycle cycle) {
      this.cycle = cycle;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      cycle.end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      cycle.end();
    }

    @Override
    public void onError(AsyncEvent event) {
      cycle.end();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }

  /**
   * Builds a {@link SessionFilter} in code. Not thread-safe; every setter validates its argument at
   * once.
   */
  public static final class Builder {
    private final SessionManager manager;
    private final FilterOptions options = new FilterOptions();

    private Builder(SessionManager manager) {
      this.manager = requireNonNull(manager, "manager");
    }

    /**
     * Adds a session listener: an {@link jakarta.servlet.http.HttpSessionListener}, {@link
     * jakarta.servlet.http.HttpSessionAttributeListener} or {@link
     * jakarta.servlet.http.HttpSessionIdListener} (one object may be several), such as Spring
     * Security's {@code HttpSessionEventPublisher}. Listeners are called in the order added.
     *
     * @throws IllegalArgumentException if it is none of those
     */
    public Builder listener(EventListener listener) {
      options.listener(listener);
      return this;
    }

    /** What a request does when its commit fails. Default {@link CommitFailure#RESPOND_503}. */
    public Builder commitFailure(CommitFailure commitFailure) {
      options.commitFailure(commitFailure);
      return this;
    }

    /**
     * Whether {@code X-Forwarded-Proto: https} makes a request count as secure for the cookie's
     * {@code Secure} attribute. Default false: turn it on only behind a proxy that sets the header
     * and strips it from clients.
     */
    public Builder trustForwardedProto(boolean trust) {
      options.trustForwardedProto(trust);
      return this;
    }

    public SessionFilter build() {
      return new SessionFilter(this);
    }
  }
}
