package io.sessionstate.example;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response built in full before anything is sent, so that the session can be committed, and its
 * cookie added, while the response has not started yet.
 */
record Reply(int status, Map<String, String> headers, String body) {

  // Pages show a visitor's own data: no cache may keep them, and the CSP lets no script run even
  // if escaping were ever missed.
  private static final Map<String, String> PAGE_HEADERS =
      Map.of(
          "Content-Type", "text/html; charset=utf-8",
          "Cache-Control", "no-store",
          "Content-Security-Policy",
              "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
          "X-Content-Type-Options", "nosniff");

  static Reply page(int status, String html) {
    return new Reply(status, PAGE_HEADERS, html);
  }

  static Reply text(int status, String text) {
    return new Reply(
        status,
        Map.of("Content-Type", "text/plain; charset=utf-8", "X-Content-Type-Options", "nosniff"),
        text + "\n");
  }

  /** A POST answered with a redirect, so that reloading the next page does not repeat the POST. */
  static Reply seeOther(String location) {
    return new Reply(303, Map.of("Location", location), "");
  }

  static Reply methodNotAllowed(String allowed) {
    return new Reply(
        405,
        Map.of("Allow", allowed, "Content-Type", "text/plain; charset=utf-8"),
        "Method not allowed: use " + allowed + "\n");
  }

  /**
   * Sends this reply with the headers the session asks for; those go last, so that their {@code
   * Cache-Control} wins over a page's own.
   */
  void send(HttpExchange exchange, Map<String, String> sessionHeaders) throws IOException {
    headers.forEach(exchange.getResponseHeaders()::set);
    sessionHeaders.forEach(exchange.getResponseHeaders()::set);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    boolean noBody = bytes.length == 0 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
