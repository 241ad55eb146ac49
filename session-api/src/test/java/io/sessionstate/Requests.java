package io.sessionstate;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Drives request cycles the way a web adapter would, keeping the browser's cookie between them. */
final class Requests {
  private final SessionManager manager;
  String cookie; // the browser's cookie value, or null
  SessionResponse lastResponse;
  final AtomicBoolean responseStarted = new AtomicBoolean();

  Requests(SessionManager manager) {
    this.manager = manager;
  }

  /** Runs one request: the handler works on the session, then the cycle finishes. */
  SessionResponse run(Consumer<Session> handler) {
    responseStarted.set(false);
    SessionRequest request =
        manager.begin(cookie == null ? null : "session=" + cookie, false, responseStarted::get);
    handler.accept(request.session());
    SessionResponse response = request.finish();
    response.setCookie().ifPresent(this::accept);
    lastResponse = response;
    return response;
  }

  private void accept(String setCookie) {
    String pair = setCookie.substring(0, setCookie.indexOf(';'));
    String value = pair.substring(pair.indexOf('=') + 1);
    cookie = setCookie.contains("Max-Age=0") ? null : value;
  }

  /** Starts a request without finishing it. */
  SessionRequest begin() {
    return manager.begin(cookie == null ? null : "session=" + cookie, false, () -> false);
  }

  static Optional<String> cookieValue(SessionResponse response) {
    return response
        .setCookie()
        .map(c -> c.substring(c.indexOf('=') + 1, c.indexOf(';')))
        .filter(v -> !v.isEmpty());
  }
}
