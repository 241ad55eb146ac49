package io.sessionstate.tck;

import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.spi.SessionStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A real {@link SessionManager} over the store under test, every store call counted, and the
 * requests a browser would make through it. Closing it closes the manager, and with it the store.
 */
final class Visits implements AutoCloseable {
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(20);
  private static final SecureRandom RANDOM = new SecureRandom();

  final CountingSessionStore counting;
  final SessionManager manager;
  private @Nullable String lastCookie;

  private Visits(SessionStore store, UnaryOperator<SessionManager.Builder> options) {
    byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
    RANDOM.nextBytes(secret);
    counting = CountingSessionStore.wrap(store);
    manager =
        options
            .apply(
                SessionManager.builder()
                    .store(counting)
                    .keyRing(KeyRing.builder().addKey("k1", secret).build())
                    .idleTimeout(IDLE_TIMEOUT))
            .build();
  }

  static Visits over(SessionStore store) {
    return new Visits(store, b -> b);
  }

  static Visits over(SessionStore store, UnaryOperator<SessionManager.Builder> options) {
    return new Visits(store, options);
  }

  /** Runs a request that starts a session holding one value; returns the next request's cookie. */
  String establish(String name, String value) {
    SessionRequest request = manager.begin(null, false, () -> false);
    request.session().setString(name, value);
    return cookieOf(request.finish());
  }

  /** Runs one request with {@code cookie}, applying {@code body} to its session. */
  <T extends @Nullable Object> T request(@Nullable String cookie, Function<Session, T> body) {
    SessionRequest request = manager.begin(cookie, false, () -> false);
    T result = body.apply(request.session());
    SessionResponse response = request.finish();
    lastCookie = response.setCookie().isPresent() ? cookieOf(response) : cookie;
    return result;
  }

  /** Runs one request with {@code cookie}, passing its session to {@code body}. */
  void run(String cookie, Consumer<Session> body) {
    request(
        cookie,
        session -> {
          body.accept(session);
          return null;
        });
  }

  /** The cookie the browser holds after the last {@link #request}: a new one if it was sent. */
  String lastCookie() {
    return java.util.Objects.requireNonNull(lastCookie, "no request has held a cookie yet");
  }

  /** Runs a sign-in of {@code principal} on a new browser: a new key, bound; returns its cookie. */
  String signIn(String principal) {
    SessionRequest request = manager.begin(null, false, () -> false);
    request.session().setString("signedIn", "yes");
    request.session().bindPrincipal(principal);
    return cookieOf(request.finish());
  }

  /** The session key inside a cookie header {@code name=key.keyId.tag}. */
  static String keyOf(String cookie) {
    String value = cookie.substring(cookie.indexOf('=') + 1);
    return value.substring(0, value.indexOf('.'));
  }

  /** Runs a request that reads the principal its session is bound to. */
  Optional<String> principal(String cookie) {
    return request(cookie, Session::principal);
  }

  /** Runs a request that reads one value. */
  Optional<String> read(String cookie, String name) {
    return request(cookie, session -> session.getString(name));
  }

  /** Runs a request that writes one value. */
  void write(String cookie, String name, String value) {
    request(
        cookie,
        session -> {
          session.setString(name, value);
          return null;
        });
  }

  /**
   * The {@code Cookie} header the browser sends back: the {@code Set-Cookie} up to its first ';'.
   */
  static String cookieOf(SessionResponse response) {
    String setCookie = response.setCookie().orElseThrow();
    int semicolon = setCookie.indexOf(';');
    return semicolon < 0 ? setCookie : setCookie.substring(0, semicolon);
  }

  @Override
  public void close() {
    manager.close();
  }
}
