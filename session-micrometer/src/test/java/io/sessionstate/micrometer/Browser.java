package io.sessionstate.micrometer;

import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * One visitor: runs request cycles the way a web adapter does, keeping its cookie between them, and
 * remembers every cookie value and session key it was given, for the check that none reaches a
 * meter.
 */
final class Browser {
  private final SessionManager manager;
  private String cookie;
  final Set<String> secrets = new CopyOnWriteArraySet<>();

  Browser(SessionManager manager) {
    this.manager = manager;
  }

  /** Runs one request: {@code handler} works on the session, then the cycle finishes. */
  void run(Consumer<Session> handler) {
    SessionRequest request = begin();
    handler.accept(request.session());
    finish(request);
  }

  /** Starts a request with the current cookie, without finishing it. */
  SessionRequest begin() {
    return manager.begin(cookie == null ? null : "session=" + cookie, false, () -> false);
  }

  /** Finishes {@code request} and keeps the cookie it sets. */
  void finish(SessionRequest request) {
    SessionResponse response = request.finish();
    response
        .setCookie()
        .ifPresent(
            header -> {
              String value = header.substring(header.indexOf('=') + 1, header.indexOf(';'));
              cookie = value.isEmpty() ? null : value;
              if (cookie != null) {
                secrets.add(cookie);
                secrets.add(sessionKey());
              }
            });
  }

  /** The session key in the cookie ({@code <key>.<keyId>.<tag>}), which is also the store key. */
  String sessionKey() {
    return cookie.substring(0, cookie.indexOf('.'));
  }
}
