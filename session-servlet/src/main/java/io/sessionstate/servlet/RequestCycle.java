package io.sessionstate.servlet;

import io.sessionstate.Session;
import io.sessionstate.SessionException;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.ValueCodec;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's session cycle inside the filter: the core request cycle, the wrappers the
 * application sees, and the commit that must happen before the response's first byte. Methods are
 * synchronized because an async request may write and complete on threads of its own.
 */
final class RequestCycle {
  private static final Logger log = LoggerFactory.getLogger(SessionFilter.class);

  static final String UNAVAILABLE_MESSAGE =
      "Service unavailable: your session could not be saved. Please try again shortly.\n";

  private final SessionManager manager;
  final ValueCodec codec;
  private final SessionFilter.CommitFailure commitFailure;
  final ServletContext servletContext;
  private final HttpServletRequest containerRequest;
  private final HttpServletResponse containerResponse;
  final long startedAtMillis = System.currentTimeMillis();

  private SessionRequest cycle;
  private SessionRequestWrapper request;
  private CommittingResponse response;
  private String requestedCookie;

  /** Output has begun (or is about to): from now on a new session's cookie cannot be sent. */
  private volatile boolean outputStarted;

  /** A commit failed and the 503 answer replaced the response; further output is dropped. */
  private boolean failed;

  /**
   * A commit failed: the request makes no other attempt, so a store that is down or timing out
   * costs it one wait, not one per commit point, whatever the failure policy.
   */
  private boolean commitFailed;

  private String cookieSent;
  private Map<String, String> headersSent = Map.of();

  RequestCycle(
      SessionManager manager,
      ValueCodec codec,
      SessionFilter.CommitFailure commitFailure,
      ServletContext servletContext,
      HttpServletRequest containerRequest,
      HttpServletResponse containerResponse) {
    this.manager = manager;
    this.codec = codec;
    this.commitFailure = commitFailure;
    this.servletContext = servletContext;
    this.containerRequest = containerRequest;
    this.containerResponse = containerResponse;
  }

  void begin(String cookieHeader, boolean secure) {
    requestedCookie =
        cookieHeader == null ? null : cookieValue(containerRequest, manager.cookieOptions().name());
    cycle =
        manager.begin(cookieHeader, secure, () -> outputStarted || containerResponse.isCommitted());
    response = new CommittingResponse(containerResponse, this);
    request = new SessionRequestWrapper(containerRequest, this);
  }

  private static String cookieValue(HttpServletRequest request, String name) {
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

  SessionRequestWrapper request() {
    return request;
  }

  CommittingResponse response() {
    return response;
  }

  /** Whether the request carried a session cookie, valid or not. */
  boolean hadCookie() {
    return requestedCookie != null;
  }

  /** The session cookie's value, for a digest only: it must never be shown or logged. */
  String requestedCookie() {
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
   * The end of the request (or of its async cycle): commits whatever is left. Before any output
   * this is the request's one commit; after it, it writes only changes made to an existing session
   * since.
   */
  synchronized void end() {
    if (!failed) {
      commit();
      outputStarted = true;
    }
  }

  synchronized boolean failed() {
    return failed;
  }

  private void commit() {
    if (commitFailed) {
      return;
    }
    SessionResponse result;
    try {
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
    if (setCookie.equals(cookieSent)) {
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
