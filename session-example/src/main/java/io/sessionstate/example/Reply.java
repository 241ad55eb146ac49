package io.sessionstate.example;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A page's answer, built in full before anything is sent. The session filter commits the session
 * before the first byte anyway; building first keeps every session change ahead of the output.
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

  /** Sends this reply; the session filter adds its own headers before the first byte. */
  void send(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setStatus(status);
    headers.forEach(response::setHeader);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    if (bytes.length > 0 && !request.getMethod().equals("HEAD")) {
      response.getOutputStream().write(bytes);
    }
  }
}
