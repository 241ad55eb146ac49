package io.sessionstate.servlet;

import io.sessionstate.Session;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The application of the fidelity scenarios: one path per thing an application does with its
 * session, and an error page, each writing what it saw.
 */
final class ScenarioServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  static final String HELD_HTTP_SESSION = "test.held-http-session";
  static final String HELD_CORE_SESSION = "test.held-core-session";

  /** A value that hears when it is bound and unbound; registered with the test's Kryo codec. */
  record Bound(String label) implements HttpSessionBindingListener {
    static final ConcurrentLinkedQueue<String> EVENTS = new ConcurrentLinkedQueue<>();

    @Override
    public void valueBound(HttpSessionBindingEvent event) {
      EVENTS.add("bound " + event.getName() + "=" + label);
    }

    @Override
    public void valueUnbound(HttpSessionBindingEvent event) {
      EVENTS.add("unbound " + event.getName() + "=" + label);
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp)
      throws IOException, ServletException {
    String name = req.getParameter("name");
    String value = req.getParameter("value");
    resp.setContentType("text/plain;charset=utf-8");
    // An included request keeps the includer's path; the included one is an attribute.
    Object included = req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
    String path =
        included != null
            ? included.toString()
            : req.getPathInfo() == null ? req.getServletPath() : req.getPathInfo();
    switch (path) {
      case "/nothing" -> resp.getWriter().print("hello"); // a page that never reads the session
      case "/max" -> {
        HttpSession session = req.getSession();
        try {
          session.setMaxInactiveInterval(Integer.parseInt(value));
          resp.getWriter().print("max=" + session.getMaxInactiveInterval());
        } catch (IllegalArgumentException e) {
          resp.getWriter().print("IAE: " + e.getMessage());
        }
      }
      case "/max-get" -> resp.getWriter().print(req.getSession().getMaxInactiveInterval());
      case "/cancel-load" -> {
        // Cancels its own future of the load and lets the request end without another access.
        Session core = (Session) req.getAttribute(SessionFilter.SESSION_ATTRIBUTE);
        core.loadAsync().cancel(true);
        resp.getWriter().print("cancelled");
      }
      case "/time-out-load-then-set" -> {
        // Times its own future of the load out at once, waits for that, then writes.
        Session core = (Session) req.getAttribute(SessionFilter.SESSION_ATTRIBUTE);
        try {
          core.loadAsync().orTimeout(1, TimeUnit.NANOSECONDS).join();
        } catch (CompletionException timedOutOrLoaded) {
          // whichever came first, the session's own load goes on
        }
        req.getSession().setAttribute(name, value);
        resp.getWriter().print("ok");
      }
      case "/set" -> {
        req.getSession().setAttribute(name, value);
        resp.getWriter().print("ok");
      }
      case "/set-bytes" -> {
        req.getSession().setAttribute(name, value.getBytes(StandardCharsets.UTF_8));
        resp.getWriter().print("ok");
      }
      case "/set-item" -> {
        try {
          req.getSession().setAttribute(name, new BridgeServlet.Item(value, 1));
          resp.getWriter().print("stored");
        } catch (RuntimeException e) {
          resp.getWriter().print(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      case "/set-bound" -> {
        req.getSession().setAttribute(name, new Bound(value));
        resp.getWriter().print("ok");
      }
      case "/get" -> resp.getWriter().print(show(req.getSession(false), name));
      case "/remove" -> {
        req.getSession().removeAttribute(name);
        resp.getWriter().print("ok");
      }
      case "/invalidate" -> {
        req.getSession().invalidate();
        resp.getWriter().print("ok");
      }
      case "/info" -> {
        PrintWriter out = resp.getWriter();
        HttpSession session = req.getSession(false);
        out.println("id=" + (session == null ? "none" : session.getId()));
        out.println("requestedId=" + req.getRequestedSessionId());
        out.println("requestedValid=" + req.isRequestedSessionIdValid());
      }
      case "/change" -> {
        HttpSession session = req.getSession();
        String before = session.getId();
        String after = req.changeSessionId();
        resp.getWriter()
            .print("before=" + before + " after=" + after + " getId=" + session.getId());
      }
      case "/set-then-throw" -> {
        req.getSession().setAttribute(name, value);
        throw new IllegalStateException("the application failed");
      }
      case "/set-then-send-error" -> {
        req.getSession().setAttribute(name, value);
        resp.sendError(500);
      }
      case "/error-page" -> {
        PrintWriter out = resp.getWriter();
        out.print(
            "error page: dispatch="
                + req.getDispatcherType()
                + " "
                + name
                + "="
                + show(req.getSession(false), name)
                + " core="
                + (req.getAttribute(SessionFilter.SESSION_ATTRIBUTE) instanceof Session));
      }
      case "/forward" -> {
        req.getSession().setAttribute(name, value);
        req.getRequestDispatcher("/show?name=" + name).forward(req, resp);
      }
      case "/include" -> {
        req.getSession().setAttribute(name, value);
        resp.getWriter().print("included: ");
        req.getRequestDispatcher("/show?name=" + name).include(req, resp);
      }
      case "/async-dispatch" -> {
        req.getSession().setAttribute(name, value);
        AsyncContext async = req.startAsync();
        async.start(() -> async.dispatch("/show?name=" + name));
      }
      case "/show" ->
          resp.getWriter()
              .print(
                  "dispatch="
                      + req.getDispatcherType()
                      + " "
                      + name
                      + "="
                      + show(req.getSession(false), name));
      case "/hold" -> {
        req.getSession().setAttribute(name, value);
        req.setAttribute(HELD_HTTP_SESSION, req.getSession());
        req.setAttribute(HELD_CORE_SESSION, req.getAttribute(SessionFilter.SESSION_ATTRIBUTE));
        resp.setStatus(200); // no body: the outer filter writes it after the session filter
      }
      default -> resp.sendError(404);
    }
  }

  private static String show(HttpSession session, String name) {
    if (session == null) {
      return "no session";
    }
    Object value = session.getAttribute(name);
    if (value instanceof byte[] bytes) {
      return "bytes:" + new String(bytes, StandardCharsets.UTF_8);
    }
    return String.valueOf(value);
  }

  /**
   * A filter in front of the session filter that, after the chain returns, tries what an outer
   * filter might: find the session attribute, and write to sessions the application held on to.
   */
  static final class OuterFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      chain.doFilter(req, res);
      if (!(req.getAttribute(HELD_HTTP_SESSION) instanceof HttpSession held)) {
        return;
      }
      PrintWriter out = res.getWriter();
      out.println("attribute=" + req.getAttribute(SessionFilter.SESSION_ATTRIBUTE));
      out.println("read=" + held.getAttribute("a"));
      try {
        held.setAttribute("late", "x");
        out.println("http=stored");
      } catch (IllegalStateException e) {
        out.println("http=ISE: " + e.getMessage());
      }
      try {
        ((Session) req.getAttribute(HELD_CORE_SESSION)).setString("late", "x");
        out.println("core=stored");
      } catch (IllegalStateException e) {
        out.println("core=ISE: " + e.getMessage());
      }
    }
  }

  /** Records every session event, as Spring Security's HttpSessionEventPublisher would hear it. */
  static final class RecordingListener
      implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void sessionCreated(HttpSessionEvent se) {
      events.add(
          "created "
              + se.getSession().getId()
              + " context="
              + (se.getSession().getServletContext() != null));
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
      HttpSession s = se.getSession();
      events.add("destroyed " + s.getId() + " names=" + Collections.list(s.getAttributeNames()));
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
      events.add("idChanged " + oldSessionId + " -> " + event.getSession().getId());
    }

    @Override
    public void attributeAdded(HttpSessionBindingEvent event) {
      events.add("added " + event.getName() + "=" + event.getValue());
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent event) {
      events.add("removed " + event.getName() + "=" + event.getValue());
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent event) {
      events.add("replaced " + event.getName() + "=" + event.getValue());
    }

    List<String> take() {
      synchronized (events) {
        List<String> copy = List.copyOf(events);
        events.clear();
        return copy;
      }
    }
  }
}
