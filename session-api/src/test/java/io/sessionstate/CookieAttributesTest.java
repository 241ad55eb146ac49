package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The persistent cookie ({@code Max-Age}) and {@code Partitioned}: options and the headers. */
class CookieAttributesTest {
  private final TestStore store = TestStore.inProcess();

  private SessionManager manager(CookieOptions cookie, Duration idleTimeout) {
    return SessionManager.builder()
        .store(store)
        .keyRing(KeyRing.generate())
        .idleTimeout(idleTimeout)
        .cookie(cookie)
        .build();
  }

  @Test
  void maxAge_defaultsToNone() {
    CookieOptions options = CookieOptions.defaults();
    assertThat(options.maxAge()).isEmpty();
    assertThat(options.maxAgeFollowsIdleTimeout()).isFalse();
    assertThat(options.partitioned()).isFalse();
  }

  @Test
  void maxAge_outOfRangeOrFractional_isRejectedWithTheValue() {
    assertThatThrownBy(() -> CookieOptions.builder().maxAge(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxAge must be from 1 second to 400 days (browsers cap cookie lifetimes there): PT0S");
    assertThatThrownBy(() -> CookieOptions.builder().maxAge(Duration.ofDays(401)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxAge must be from 1 second to 400 days (browsers cap cookie lifetimes there):"
                + " PT9624H");
    assertThatThrownBy(() -> CookieOptions.builder().maxAge(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAge must be a whole number of seconds, as Max-Age counts: PT1.5S");
    assertThatThrownBy(() -> CookieOptions.builder().maxAge(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("maxAge");
  }

  @Test
  void maxAge_andFollowingTheIdleTimeout_excludeEachOther() {
    assertThatThrownBy(
            () -> CookieOptions.builder().maxAgeFollowsIdleTimeout().maxAge(Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAge cannot be set: maxAgeFollowsIdleTimeout() was already called");
    assertThatThrownBy(
            () -> CookieOptions.builder().maxAge(Duration.ofHours(1)).maxAgeFollowsIdleTimeout())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAgeFollowsIdleTimeout() cannot be called: maxAge was already set to PT1H");
  }

  @Test
  void partitioned_requiresSecureAlways() {
    assertThatThrownBy(() -> CookieOptions.builder().partitioned(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "partitioned requires securePolicy ALWAYS, since browsers reject Partitioned cookies"
                + " that are not Secure: securePolicy is SAME_AS_REQUEST");
    CookieOptions ok =
        CookieOptions.builder()
            .partitioned(true)
            .securePolicy(CookieOptions.SecurePolicy.ALWAYS)
            .build();
    assertThat(ok.partitioned()).isTrue();
  }

  @Test
  void partitioned_isSentAsAnAttribute() {
    SessionManager manager =
        manager(
            CookieOptions.builder()
                .partitioned(true)
                .sameSite(CookieOptions.SameSite.NONE)
                .securePolicy(CookieOptions.SecurePolicy.ALWAYS)
                .build(),
            Duration.ofMinutes(20));
    SessionResponse response = new Requests(manager).run(s -> s.setString("a", "1"));
    assertThat(response.setCookie().orElseThrow())
        .endsWith("; Secure; HttpOnly; SameSite=None; Partitioned")
        .doesNotContain("Max-Age");
  }

  @Test
  void maxAgeFollowingTheIdleTimeout_isSentInWholeSecondsRoundedUp() {
    SessionManager manager =
        manager(
            CookieOptions.builder().maxAgeFollowsIdleTimeout().build(), Duration.ofMillis(1500));
    SessionResponse response = new Requests(manager).run(s -> s.setString("a", "1"));
    assertThat(response.setCookie().orElseThrow()).contains("; Path=/; Max-Age=2; HttpOnly");
  }

  @Test
  void fixedMaxAge_isSentAsSet() {
    SessionManager manager =
        manager(
            CookieOptions.builder().maxAge(Duration.ofDays(30)).build(), Duration.ofMinutes(20));
    SessionResponse response = new Requests(manager).run(s -> s.setString("a", "1"));
    assertThat(response.setCookie().orElseThrow()).contains("; Max-Age=2592000;");
  }

  @Test
  void persistentCookie_isReissuedOnEveryRequestThatCarriesIt() {
    SessionManager manager =
        manager(
            CookieOptions.builder().maxAge(Duration.ofHours(1)).build(), Duration.ofMinutes(20));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    String cookie = browser.cookie;

    SessionResponse read = browser.run(s -> s.getString("a"));
    SessionResponse untouched = browser.run(s -> {});

    assertThat(read.setCookie().orElseThrow()).startsWith("session=" + cookie + ";");
    assertThat(untouched.setCookie().orElseThrow())
        .startsWith("session=" + cookie + ";")
        .contains("Max-Age=3600");
    assertThat(read.headers()).containsEntry("Cache-Control", "no-cache, no-store");
  }

  @Test
  void persistentCookie_isNotReissuedOnceItsSessionIsKnownGoneOrEnded() {
    SessionManager manager =
        manager(
            CookieOptions.builder().maxAge(Duration.ofHours(1)).build(), Duration.ofMinutes(20));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    String cookie = browser.cookie;
    store.elapse(Duration.ofMinutes(21)); // the session expires in the store

    SessionResponse gone = browser.run(s -> s.getString("a"));
    browser.cookie = cookie;
    SessionResponse ended = browser.run(Session::invalidate);

    assertThat(gone.setCookie()).isEmpty();
    assertThat(ended.setCookie().orElseThrow()).contains("Max-Age=0");
  }

  @Test
  void sessionCookie_withoutMaxAge_isNotReissued() {
    SessionManager manager = manager(CookieOptions.defaults(), Duration.ofMinutes(20));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));

    assertThat(browser.run(s -> s.getString("a")).setCookie()).isEmpty();
  }

  @Test
  void persistentCookie_isReissuedOncePerRequest() {
    SessionManager manager =
        manager(CookieOptions.builder().maxAgeFollowsIdleTimeout().build(), Duration.ofMinutes(5));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    SessionRequest request = browser.begin();

    SessionResponse first = request.finish();
    SessionResponse second = request.finish();

    assertThat(first.setCookie().orElseThrow()).contains("Max-Age=300");
    assertThat(second.setCookie()).isEmpty();
  }
}
