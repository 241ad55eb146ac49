package io.sessionstate.redis;

import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A browser of one visitor: keeps the session cookie that responses set and sends it with the next
 * request, through the manager's real request cycle.
 */
final class Browser {
  private final SessionManager manager;
  private String cookieValue;

  Browser(SessionManager manager) {
    this.manager = manager;
  }

  /** One request: begins the cycle with the cookie held, runs {@code body}, finishes it. */
  <T> T request(Function<Session, T> body) {
    SessionRequest request = manager.beginWithCookieValue(cookieValue, false, () -> false);
    T result = body.apply(request.session());
    SessionResponse response = request.finish();
    response
        .setCookie()
        .ifPresent(
            header -> {
              String value = header.substring(header.indexOf('=') + 1, header.indexOf(';'));
              cookieValue = value.isEmpty() ? null : value;
            });
    return result;
  }

  void run(Consumer<Session> body) {
    request(
        session -> {
          body.accept(session);
          return null;
        });
  }

  /** The store key inside the held cookie ({@code <key>.<keyId>.<tag>}). */
  String storeKey() {
    if (cookieValue == null) {
      throw new IllegalStateException("no session cookie held");
    }
    return cookieValue.substring(0, cookieValue.indexOf('.'));
  }

  /** The Redis key of the held session under {@code applicationName}. */
  String redisKey(String applicationName) {
    return "{" + applicationName + "_" + storeKey() + "}_Data";
  }

  /** The session cookie's value held, or null. */
  String cookieValue() {
    return cookieValue;
  }

  boolean hasCookie() {
    return cookieValue != null;
  }

  /** A browser that presents the same cookie, as a second tab would. */
  Browser copy() {
    return copyFor(manager);
  }

  /** A browser that presents the same cookie to another manager, as to another node. */
  Browser copyFor(SessionManager other) {
    Browser copy = new Browser(other);
    copy.cookieValue = cookieValue;
    return copy;
  }
}
