package io.sessionstate.example.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionstate.example.Chromium;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two nodes sharing the Redis at 127.0.0.1:6379, under an application name of their own; over HTTP,
 * then in a headless Chromium (the Debian packages chromium and chromium-driver; {@code
 * scripts/services} installs them).
 */
class RedisTwoNodesIT extends TwoNodesContract {

  private static final Path ARTIFACTS = Path.of("target", "browser-it");

  private final String application = "sample-it-" + UUID.randomUUID();

  @Override
  Map<String, Object> storeProperties() {
    return Map.of("sessionstate.store", "redis", "spring.application.name", application);
  }

  @Test
  void browser_signInAddToCartAlternateNodesSignOut() throws Exception {
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
    try (Chromium browser =
        new Chromium(binary, ARTIFACTS.resolve("profile-" + UUID.randomUUID()).toAbsolutePath())) {
      // The cart asks for sign-in; Spring Security's own login page, signed in on A.
      go(browser, nodeA().resolve("/cart"), "/login");
      browser.eval(
          "(() => { const form = document.querySelector('form[action=\"/login\"]');"
              + " form.querySelector('input[name=\"username\"]').value = 'ada';"
              + " form.querySelector('input[name=\"password\"]').value = 'lovelace';"
              + " form.querySelector('button').click(); return true; })()");
      browser.waitUntil(
          "signed in, back at the cart",
          "location.pathname === '/cart' && document.body.textContent.includes('user=ada')");

      add(browser, "tea");
      // Node B, no sticky session: the same cart from Redis; add there, see it on A.
      go(browser, nodeB().resolve("/cart"), "/cart");
      assertThat(items(browser)).isEqualTo("tea x 1");
      add(browser, "scones");
      go(browser, nodeA().resolve("/cart"), "/cart");
      assertThat(items(browser)).isEqualTo("tea x 1|scones x 1");
      assertThat(browser.eval("document.body.textContent.includes('user=ada')").asBoolean())
          .isTrue();
      browser.screenshot(ARTIFACTS.resolve("spring-cart.png"));
      assertThat(Files.size(ARTIFACTS.resolve("spring-cart.png"))).isGreaterThan(1_000);

      JsonNode cookie =
          browser.cookies(nodeA()).stream()
              .filter(c -> c.get("name").asText().equals("session"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("the browser holds no session cookie"));
      assertThat(cookie.get("httpOnly").asBoolean()).isTrue();
      assertThat(browser.cookies(nodeA()))
          .noneMatch(c -> c.get("name").asText().equals("JSESSIONID"));

      // Sign out on B; A then asks for sign-in again.
      go(browser, nodeB().resolve("/cart"), "/cart");
      browser.eval(
          "(() => { document.querySelector('form[action=\"/logout\"] button').click();"
              + " return true; })()");
      browser.waitUntil("signed out", "document.body.textContent.includes('user=anonymous')");
      go(browser, nodeA().resolve("/cart"), "/login");
    }
  }

  private static void add(Chromium browser, String item) {
    int before = browser.eval("document.querySelectorAll('#cart li').length").asInt();
    browser.eval(
        "(() => { const form = document.querySelector('form[action=\"/cart\"]');"
            + " form.querySelector('input[name=\"item\"]').value = '"
            + item
            + "'; form.querySelector('button').click(); return true; })()");
    browser.waitUntil(
        item + " added",
        "document.readyState === 'complete' && document.querySelectorAll('#cart li').length === "
            + (before + 1));
  }

  /** Navigates to {@code url} and waits until the browser has landed on {@code path}. */
  private static void go(Chromium browser, URI url, String path) {
    browser.eval("location.href = '" + url + "'; true");
    browser.waitUntil(
        url + " to land on " + path,
        "document.readyState === 'complete' && location.origin === '"
            + url.getScheme()
            + "://"
            + url.getAuthority()
            + "' && location.pathname === '"
            + path
            + "'");
  }

  private static String items(Chromium browser) {
    return browser
        .eval("[...document.querySelectorAll('#cart li')].map(e => e.textContent).join('|')")
        .asText();
  }
}
