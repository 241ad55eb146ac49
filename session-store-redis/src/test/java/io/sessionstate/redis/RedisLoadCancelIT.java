package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handler that cancels or times out its own {@code loadAsync()} future, on real Redis: the
 * session's own load goes on, the request's changes are committed, and nothing but the caller's
 * future sees the cancellation.
 */
class RedisLoadCancelIT {
  private final String app = "cancel" + UUID.randomUUID().toString().substring(0, 8);
  private final SessionManager manager =
      SessionManager.builder()
          .store(
              RedisSessionStore.builder().uri(StandaloneRedis.url()).applicationName(app).build())
          .keyRing(KeyRing.builder().addKey("k1", new byte[32]).build())
          .build();

  @AfterEach
  void close() {
    manager.close();
  }

  private static Optional<String> read(Browser browser, String key) {
    return browser.<Optional<String>>request(s -> s.getString(key));
  }

  @Test
  void loadAsync_cancelledByCaller_commitStillRuns() {
    Browser browser = new Browser(manager);
    browser.run(s -> s.setString("a", "1"));
    for (int i = 0; i < 50; i++) {
      String value = "v" + i;
      SessionRequest request =
          manager.beginWithCookieValue(browser.cookieValue(), false, () -> false);
      CompletableFuture<Void> load = request.session().loadAsync();
      load.cancel(true);
      request.session().setString("b", value);
      assertThat(request.finish().setCookie()).isEmpty();
      assertThat(read(browser, "b")).hasValue(value);
    }
    assertThat(read(browser, "a")).hasValue("1");
  }

  @Test
  void loadAsync_cancelledByCaller_untouchedRequestFinishes() {
    Browser browser = new Browser(manager);
    browser.run(s -> s.setString("a", "1"));
    for (int i = 0; i < 50; i++) {
      SessionRequest request =
          manager.beginWithCookieValue(browser.cookieValue(), false, () -> false);
      request.session().loadAsync().cancel(true);
      assertThat(CompletableFuture.supplyAsync(request::finish))
          .succeedsWithin(Duration.ofSeconds(10));
    }
    assertThat(read(browser, "a")).hasValue("1");
  }

  @Test
  void loadAsync_timedOutByCaller_commitStillRuns() {
    Browser browser = new Browser(manager);
    browser.run(s -> s.setString("a", "1"));
    for (int i = 0; i < 50; i++) {
      String value = "t" + i;
      SessionRequest request =
          manager.beginWithCookieValue(browser.cookieValue(), false, () -> false);
      // Too short for a round trip, so the caller's future usually times out first.
      request.session().loadAsync().orTimeout(1, TimeUnit.MICROSECONDS);
      request.session().setString("b", value);
      request.finish();
      assertThat(read(browser, "b")).hasValue(value);
    }
  }
}
