package io.sessionstate.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo on two nodes sharing one Redis, driven by a real headless Chromium: the cart follows the
 * visitor from node to node, sign-in renews the cookie and keeps the cart, sign-out ends the
 * session on both nodes, and a second browser profile has a cart of its own. Needs Redis on {@code
 * SESSIONSTATE_REDIS_URL} (default 127.0.0.1:6379) and Chromium ({@code scripts/services} installs
 * both).
 */
class BrowserIT {
  private static final Path ARTIFACTS = Path.of("target", "browser-it");
  private final ObjectMapper json = new ObjectMapper();
  private final List<Chromium> browsers = new ArrayList<>();
  private ExampleApp app;
  private URI nodeA;
  private URI nodeB;

  @BeforeEach
  void start() {
    Path binary = Chromium.binary();
    if (!Files.isExecutable(binary)) {
      String message =
          "Chromium not found at "
              + binary
              + ": install the Debian packages chromium and chromium-driver (bash scripts/services"
              + " does when run as root or with CI=true), or set SESSIONSTATE_CHROMIUM";
      if ("true".equals(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    String redisUrl =
        System.getenv().getOrDefault("SESSIONSTATE_REDIS_URL", "redis://127.0.0.1:6379");
    URI redis = URI.create(redisUrl);
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(redis.getHost(), redis.getPort()), 2_000);
    } catch (IOException e) {
      fail(
          "No Redis answers at "
              + redisUrl
              + ": start one (bash scripts/services) or set"
              + " SESSIONSTATE_REDIS_URL");
    }
    // Its own key prefix, so it shares the server with other tests without meeting their keys.
    String application = "browser-it-" + UUID.randomUUID().toString().substring(0, 8);
    KeyRing ring = KeyRing.generate();
    List<SessionManager> managers =
        List.of(
            ExampleApp.redisManager(redisUrl, application, ring),
            ExampleApp.redisManager(redisUrl, application, ring));
    app = ExampleApp.start(0, managers);
    nodeA = app.uris().get(0);
    nodeB = app.uris().get(1);
  }

  @AfterEach
  void stop() throws IOException {
    for (Chromium browser : browsers) {
      browser.close();
    }
    if (app != null) {
      app.stop();
    }
  }

  private Chromium browser(String profile) throws Exception {
    Chromium browser =
        new Chromium(Chromium.binary(), ARTIFACTS.resolve("profile-" + profile).toAbsolutePath());
    browsers.add(browser);
    return browser;
  }

  @Test
  void twoNodesOneStore_cartSignInSignOutAndASecondProfile() throws Exception {
    Chromium alice = browser("alice");

    alice.open(nodeA);
    assertThat(text(alice, "#node")).isEqualTo("node A");
    add(alice, "apple");
    add(alice, "pear");
    assertThat(items(alice)).containsExactly("apple", "pear");

    // Node B has no state of its own: the cart comes from Redis.
    alice.open(nodeB);
    assertThat(text(alice, "#node")).isEqualTo("node B");
    assertThat(items(alice)).containsExactly("apple", "pear");

    JsonNode cookie = sessionCookie(alice);
    assertThat(cookie.get("httpOnly").asBoolean()).isTrue();
    assertThat(cookie.get("sameSite").asText()).isEqualTo("Lax");
    assertThat(cookie.get("secure").asBoolean()).isFalse();
    assertThat(cookie.get("path").asText()).isEqualTo("/");
    // HttpOnly means the page's own scripts cannot read it.
    assertThat(alice.eval("document.cookie").asText()).doesNotContain("session=");
    String before = cookie.get("value").asText();

    submit(alice, "/signin", "name", "ada");
    alice.waitUntil("sign-in", flashIs("Signed in as ada"));
    assertThat(sessionCookie(alice).get("value").asText()).isNotEqualTo(before);
    assertThat(text(alice, "#user")).isEqualTo("ada");
    assertThat(items(alice)).containsExactly("apple", "pear");
    alice.open(nodeA);
    assertThat(text(alice, "#user")).isEqualTo("ada");
    assertThat(items(alice)).containsExactly("apple", "pear");
    alice.screenshot(ARTIFACTS.resolve("cart.png"));
    assertThat(Files.size(ARTIFACTS.resolve("cart.png"))).isGreaterThan(1_000);

    // Another profile is another visitor: its own cookie, its own cart.
    Chromium bob = browser("bob");
    bob.open(nodeB);
    assertThat(items(bob)).isEmpty();
    add(bob, "plum");
    assertThat(items(bob)).containsExactly("plum");
    assertThat(sessionCookie(bob).get("value").asText())
        .isNotEqualTo(sessionCookie(alice).get("value").asText());
    alice.open(nodeB);
    assertThat(items(alice)).containsExactly("apple", "pear");

    submit(alice, "/signout");
    alice.waitUntil("sign-out", "document.querySelector('#empty-cart') !== null");
    assertThat(alice.eval("document.querySelector('#user') === null").asBoolean()).isTrue();
    alice.open(nodeA);
    assertThat(items(alice)).isEmpty();
    assertThat(alice.eval("document.querySelector('#user') === null").asBoolean()).isTrue();
    alice.open(nodeB);
    assertThat(items(alice)).isEmpty();

    bob.open(nodeA);
    assertThat(items(bob)).containsExactly("plum");
  }

  // ---- the page, as a visitor uses it

  private static void add(Chromium browser, String item) {
    submit(browser, "/cart/add", "item", item);
    browser.waitUntil("item " + item + " added", flashIs("Added " + item));
  }

  /** Fills the form's field, if any, and clicks its button, as a visitor would. */
  private static void submit(Chromium browser, String action, String... field) {
    StringBuilder script =
        new StringBuilder("(() => { const form = document.querySelector(")
            .append(quote("form[action=\"" + action + "\"]"))
            .append(");");
    if (field.length == 2) {
      script
          .append("form.querySelector(")
          .append(quote("input[name=\"" + field[0] + "\"]"))
          .append(").value = ")
          .append(quote(field[1]))
          .append(';');
    }
    script.append("form.querySelector('button').click(); return true; })()");
    browser.eval(script.toString());
  }

  private static String flashIs(String message) {
    return "(document.querySelector('#flash') || {}).textContent === " + quote(message);
  }

  private List<String> items(Chromium browser) throws IOException {
    String list =
        browser
            .eval("JSON.stringify([...document.querySelectorAll('.item')].map(e => e.textContent))")
            .asText();
    List<String> items = new ArrayList<>();
    json.readTree(list).forEach(item -> items.add(item.asText()));
    return items;
  }

  private static String text(Chromium browser, String selector) {
    return browser.eval("document.querySelector(" + quote(selector) + ").textContent").asText();
  }

  private JsonNode sessionCookie(Chromium browser) {
    return browser.cookies(nodeA).stream()
        .filter(c -> c.get("name").asText().equals("session"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the browser holds no session cookie"));
  }

  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
