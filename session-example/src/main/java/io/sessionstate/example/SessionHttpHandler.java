package io.sessionstate.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import io.sessionstate.Session;
import io.sessionstate.SessionException;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sessionstate request cycle around each request to the JDK's HTTP server: begin from the
 * {@code Cookie} header, let the pages use the session, commit, then send the headers the commit
 * asks for. Every web stack needs these few lines once. Thread-safe.
 */
final class SessionHttpHandler implements HttpHandler {

  /** What the application does with a request and its session. */
  interface Pages {
    Reply handle(HttpExchange exchange, Session session) throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(SessionHttpHandler.class);

  private final SessionManager manager;
  private final Pages pages;

  SessionHttpHandler(SessionManager manager, Pages pages) {
    this.manager = manager;
    this.pages = pages;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      SessionRequest cycle =
          manager.begin(
              cookieHeader(exchange),
              exchange instanceof HttpsExchange,
              // The response code stays -1 until sendResponseHeaders: from then on a new session
              // could no longer send its cookie.
              () -> exchange.getResponseCode() != -1);
      Reply reply;
      Map<String, String> sessionHeaders;
      try {
        reply = pages.handle(exchange, cycle.session());
        sessionHeaders = cycle.finish().headers();
      } catch (SessionException e) {
        // The visitor learns only that sessions are down; the cause goes to the log.
        log.warn("Session unavailable; answering 503", e);
        reply = Reply.text(503, "Sessions are unavailable right now. Please try again shortly.");
        sessionHeaders = Map.of();
      } catch (RuntimeException e) {
        // Without an answer the JDK server would just drop the connection.
        log.error("Request failed; answering 500", e);
        reply = Reply.text(500, "Something went wrong.");
        sessionHeaders = Map.of();
      }
      reply.send(exchange, sessionHeaders);
    }
  }

  /** Browsers send one header, but HTTP/1.1 allows several; the manager takes them joined. */
  private static String cookieHeader(HttpExchange exchange) {
    List<String> headers = exchange.getRequestHeaders().get("Cookie");
    return headers == null ? null : String.join("; ", headers);
  }
}
