package io.sessionstate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a request cycle asks the response to carry once the session is committed: the {@code
 * Set-Cookie} header when a session was established, renewed or ended, and the anti-caching headers
 * that keep a shared cache from storing a response that carries a session cookie. Immutable.
 *
 * <p>The anti-caching headers come only with a {@code Set-Cookie}; a page that shows session data
 * on later requests should set its own {@code Cache-Control: no-store}.
 *
 * <p>Nothing it returns is null: a response with no header to send has an empty map and an empty
 * {@link #setCookie()}.
 */
public final class SessionResponse {
  /** The response of most requests, which send no header; immutable, so one serves them all. */
  static final SessionResponse NONE = new SessionResponse(null);

  private final @Nullable String setCookie;

  SessionResponse(@Nullable String setCookie) {
    this.setCookie = setCookie;
  }

  /** {@return the value of the {@code Set-Cookie} header to send, if any} */
  public Optional<String> setCookie() {
    return Optional.ofNullable(setCookie);
  }

  /** {@return every header to add to the response, by name, in order; empty when none is needed} */
  public Map<String, String> headers() {
    // Made when asked: a caller that takes setCookie() alone never pays for the map.
    if (setCookie == null) {
      return Map.of();
    }
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Set-Cookie", setCookie);
    h.put("Cache-Control", "no-cache, no-store");
    h.put("Pragma", "no-cache");
    h.put("Expires", "-1");
    return Collections.unmodifiableMap(h);
  }

  @Override
  public String toString() {
    // The cookie value carries the session key: never print it.
    return "SessionResponse{setCookie=" + (setCookie == null ? "none" : "present") + "}";
  }
}
