package io.sessionstate.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/**
 * A servlet that calls one method of the Servlet session API per path and writes what it got, so
 * the tests see the bridge through real HTTP exactly as an application would use it.
 */
final class BridgeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** A value class the test registers with the Kryo codec. */
  record Item(String name, int quantity) {}

  /** A value class nobody registers. */
  record Unregistered(String name) {}

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String name = req.getParameter("name");
    String value = req.getParameter("value");
    resp.setContentType("text/plain;charset=utf-8");
    switch (req.getPathInfo() == null ? req.getServletPath() : req.getPathInfo()) {
      case "/nothing" -> resp.getWriter().print("hello");
      case "/create-only" -> resp.getWriter().print("new=" + req.getSession().isNew());
      case "/set" -> {
        req.getSession().setAttribute(name, value);
        resp.getWriter().print("ok");
      }
      case "/set-item" -> {
        req.getSession().setAttribute(name, new Item(value, 3));
        resp.getWriter().print("ok");
      }
      case "/set-unregistered" -> {
        try {
          req.getSession().setAttribute(name, new Unregistered(value));
          resp.getWriter().print("stored");
        } catch (RuntimeException e) {
          resp.getWriter().print(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      case "/set-with-cookie" -> {
        req.getSession().setAttribute(name, value);
        resp.addCookie(new jakarta.servlet.http.Cookie("theme", "dark"));
        resp.getWriter().print("ok");
      }
      case "/set-null" -> {
        req.getSession().setAttribute(name, null);
        resp.getWriter().print("ok");
      }
      case "/get" -> {
        HttpSession session = req.getSession(false);
        resp.getWriter().print(session == null ? "no session" : "" + session.getAttribute(name));
      }
      case "/names" -> {
        HttpSession session = req.getSession(false);
        List<String> names =
            session == null ? List.of() : Collections.list(session.getAttributeNames());
        resp.getWriter().print(String.join(",", names));
      }
      case "/remove" -> {
        req.getSession().removeAttribute(name);
        resp.getWriter().print("ok");
      }
      case "/info" -> info(req, resp.getWriter());
      case "/change" -> {
        String before = req.getSession().getId();
        String after = req.changeSessionId();
        resp.getWriter().print("before=" + before + " after=" + after);
      }
      case "/change-none" -> {
        try {
          req.changeSessionId();
          resp.getWriter().print("changed");
        } catch (IllegalStateException e) {
          resp.getWriter().print("ISE: " + e.getMessage());
        }
      }
      case "/invalidate" -> {
        HttpSession session = req.getSession();
        session.invalidate();
        PrintWriter out = resp.getWriter();
        out.print("after=" + (req.getSession(false) == null ? "none" : "some"));
        try {
          session.getAttribute("a");
          out.print(" old=usable");
        } catch (IllegalStateException e) {
          out.print(" old=ISE: " + e.getMessage());
        }
      }
      case "/invalidate-then-new" -> {
        HttpSession old = req.getSession();
        String before = old.getId();
        old.invalidate();
        HttpSession fresh = req.getSession();
        fresh.setAttribute(name, value);
        resp.getWriter()
            .print(
                "oldKeepsItsId="
                    + before.equals(old.getId())
                    + " newHasAnother="
                    + !before.equals(fresh.getId()));
      }
      case "/new-across-first-write" -> {
        HttpSession session = req.getSession();
        session.setAttribute(name, value);
        PrintWriter out = resp.getWriter();
        out.print("before=" + session.isNew());
        out.flush();
        out.print(" after=" + session.isNew());
      }
      case "/max" -> {
        HttpSession session = req.getSession();
        try {
          session.setMaxInactiveInterval(Integer.parseInt(value));
          resp.getWriter().print("max=" + session.getMaxInactiveInterval());
        } catch (IllegalArgumentException e) {
          resp.getWriter().print("IAE: " + e.getMessage());
        }
      }
      case "/late" -> {
        resp.getWriter().print("partial;");
        resp.flushBuffer();
        try {
          req.getSession().setAttribute(name, value);
          resp.getWriter().print("stored");
        } catch (IllegalStateException e) {
          resp.getWriter().print("ISE: " + e.getMessage());
        }
      }
      case "/late-existing" -> {
        resp.getWriter().print("partial;");
        resp.flushBuffer();
        req.getSession().setAttribute(name, value);
        resp.getWriter().print("stored");
      }
      case "/stream" -> {
        req.getSession().setAttribute(name, value);
        resp.getOutputStream().write("streamed".getBytes(StandardCharsets.UTF_8));
      }
      case "/reset" -> {
        req.getSession().setAttribute(name, value);
        resp.getWriter().print("discarded");
        resp.reset();
        resp.setContentType("text/plain;charset=utf-8");
        resp.getWriter().print("after reset");
      }
      case "/big" -> {
        req.getSession().setAttribute(name, value);
        PrintWriter out = resp.getWriter();
        for (int i = 0; i < 20_000; i++) {
          out.print("0123456789");
        }
      }
      case "/redirect" -> {
        req.getSession().setAttribute(name, value);
        resp.sendRedirect("/get?name=" + name);
      }
      case "/error" -> {
        req.getSession().setAttribute(name, value);
        resp.sendError(404, "nothing here");
      }
      case "/set-no-body" -> {
        req.getSession().setAttribute(name, value);
        resp.setStatus(204);
      }
      case "/async" -> {
        AsyncContext async = req.startAsync();
        async.start(
            () -> {
              try {
                HttpServletRequest r = (HttpServletRequest) async.getRequest();
                r.getSession().setAttribute(name, value);
                async.getResponse().getWriter().print("async ok");
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              async.complete();
            });
      }
      case "/async-dispatch" -> {
        AsyncContext async = req.startAsync();
        async.start(() -> async.dispatch("/set-no-body?name=" + name + "&value=" + value));
      }
      case "/async-no-body" -> {
        AsyncContext async = req.startAsync();
        async.start(
            () -> {
              ((HttpServletRequest) async.getRequest()).getSession().setAttribute(name, value);
              async.complete();
            });
      }
      default -> resp.sendError(404);
    }
  }

  private static void info(HttpServletRequest req, PrintWriter out) {
    out.println("requestedId=" + req.getRequestedSessionId());
    out.println("requestedValid=" + req.isRequestedSessionIdValid());
    out.println("fromCookie=" + req.isRequestedSessionIdFromCookie());
    out.println("fromUrl=" + req.isRequestedSessionIdFromURL());
    HttpSession session = req.getSession(false);
    if (session == null) {
      out.println("session=none");
      return;
    }
    out.println("id=" + session.getId());
    out.println("isNew=" + session.isNew());
    out.println("created=" + session.getCreationTime());
    out.println("lastAccessed=" + session.getLastAccessedTime());
    out.println("maxInactive=" + session.getMaxInactiveInterval());
    out.println("context=" + (session.getServletContext() != null));
    out.println(
        "coreSession="
            + (req.getAttribute(SessionFilter.SESSION_ATTRIBUTE)
                instanceof io.sessionstate.Session));
  }
}
