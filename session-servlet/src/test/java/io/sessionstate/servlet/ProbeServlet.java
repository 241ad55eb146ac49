package io.sessionstate.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A servlet that runs whatever the test hands it for the next request, as Spring Session's filter
 * tests run a block inside the filter; an error dispatch runs the error probe instead.
 */
final class ProbeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** What a request does, with the wrapped request and response. */
  interface Probe {
    void run(HttpServletRequest request, HttpServletResponse response) throws Exception;
  }

  transient volatile Probe probe = (req, res) -> {};
  transient volatile Probe errorProbe = (req, res) -> res.getWriter().print("error page");

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) {
    resp.setContentType("text/plain;charset=utf-8");
    Probe p = req.getDispatcherType() == DispatcherType.ERROR ? errorProbe : probe;
    try {
      p.run(req, resp);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
