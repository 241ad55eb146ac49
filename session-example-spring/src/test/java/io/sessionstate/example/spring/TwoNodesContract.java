package io.sessionstate.example.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample on two nodes that share one store, driven over real HTTP as a browser would, without
 * sticky sessions: the session cookie is carried by hand from one node to the other. Each store's
 * subclass starts its two nodes once for all of its tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoNodesContract {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
  private static final String COOKIE = "session";

  private final String key = Base64.getEncoder().encodeToString(randomBytes());
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final List<HttpResponse<String>> responses = new ArrayList<>();
  private final ListAppender<ILoggingEvent> securityLog = new ListAppender<>();
  private ConfigurableApplicationContext nodeA;
  private ConfigurableApplicationContext nodeB;

  /** The store's properties: the same on every call, since both nodes must share one store. */
  abstract Map<String, Object> storeProperties();

  void cleanUp() throws Exception {}

  @BeforeAll
  void startTwoNodes() {
    nodeA = start();
    nodeB = start();
    // After the starts: Spring Boot resets Logback's configuration when an application starts.
    Logger security = (Logger) LoggerFactory.getLogger("org.springframework.security");
    securityLog.start();
    security.addAppender(securityLog);
  }

  @AfterAll
  void stopNodes() throws Exception {
    for (ConfigurableApplicationContext node :
        new ConfigurableApplicationContext[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    ((Logger) LoggerFactory.getLogger("org.springframework.security")).detachAppender(securityLog);
    cleanUp();
  }

  private ConfigurableApplicationContext start() {
    Map<String, Object> properties = new java.util.HashMap<>(storeProperties());
    properties.put("server.port", 0);
    properties.put("sessionstate.key-ring.keys.k1", key);
    // Spring Security says at DEBUG that it changed the session ID at sign-in, at WARN if it could
    // not.
    properties.put(
        "logging.level.org.springframework.security.web.authentication.session", "DEBUG");
    // As command-line arguments, which win over application.properties as a deployment's would.
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(SampleApplication.class).run(args);
  }

  @Test
  void signInOnA_continueOnB_signOutOnB_oldCookieIsAnonymousOnA() throws Exception {
    // An anonymous visit to the cart: Spring Security saves the request in a new session.
    HttpResponse<String> cart = get(nodeA, "/cart", null);
    assertThat(cart.statusCode()).isEqualTo(302);
    assertThat(cart.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    String anonymous = sessionCookie(cart);
    assertThat(anonymous).isNotNull();

    // The login form on B, sign-in on A: the CSRF token lives in the shared session.
    HttpResponse<String> form = get(nodeB, "/login", anonymous);
    assertThat(form.statusCode()).isEqualTo(200);
    String cookie = sessionCookie(form, anonymous);
    HttpResponse<String> signIn =
        post(
            nodeA,
            "/login",
            cookie,
            Map.of("username", "ada", "password", "lovelace", "_csrf", csrf(form)));
    assertThat(signIn.statusCode()).isEqualTo(302);
    // Back to the saved request, found in the session that B's form and A's sign-in share.
    assertThat(signIn.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/cart"));
    String signedIn = sessionCookie(signIn);
    // changeSessionId() at sign-in gave the session a new key, so a new cookie.
    assertThat(signedIn).isNotNull().isNotEqualTo(cookie);
    // The pre-sign-in cookie no longer opens the signed-in session.
    assertThat(get(nodeA, "/cart", cookie).statusCode()).isEqualTo(302);

    // Continue on B: signed in, add to the cart there, see it on A.
    HttpResponse<String> onB = get(nodeB, "/cart", signedIn);
    assertThat(onB.statusCode()).isEqualTo(200);
    assertThat(onB.body()).contains("user=ada");
    HttpResponse<String> added =
        post(nodeB, "/cart", signedIn, Map.of("item", "tea", "_csrf", csrf(onB)));
    assertThat(added.statusCode()).isEqualTo(303);
    HttpResponse<String> onA = get(nodeA, "/cart", signedIn);
    assertThat(onA.body()).contains("user=ada", "<li>tea x 1</li>");

    // The counter, alternately on both nodes.
    assertThat(get(nodeA, "/count", signedIn).body()).contains("visits=1");
    assertThat(get(nodeB, "/count", signedIn).body()).contains("visits=2");
    assertThat(get(nodeA, "/", signedIn).body()).contains("user=ada", "visits=2");

    // Sign out on B; the signed-in cookie is anonymous on A afterwards.
    HttpResponse<String> signOut =
        post(nodeB, "/logout", signedIn, Map.of("_csrf", csrf(get(nodeB, "/cart", signedIn))));
    assertThat(signOut.statusCode()).isEqualTo(302);
    HttpResponse<String> afterwards = get(nodeA, "/cart", signedIn);
    assertThat(afterwards.statusCode()).isEqualTo(302);
    assertThat(afterwards.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    assertThat(get(nodeA, "/", signedIn).body()).contains("user=anonymous", "visits=0");

    assertNoContainerSession();
    assertThat(securityLog.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(message -> message.contains("did not change the session ID"))
        .anyMatch(message -> message.startsWith("Changed session id from"));
  }

  @Test
  void maximumSessions2_aThirdSignInOnEitherNode_endsTheLeastRecentlyUsedEverywhere()
      throws Exception {
    String first = signIn(nodeA);
    assertThat(get(nodeB, "/cart", first).statusCode()).isEqualTo(200);
    String second = signIn(nodeB);
    assertThat(get(nodeA, "/cart", second).statusCode()).isEqualTo(200);

    String third = signIn(nodeA);

    // Spring Security's SessionRegistry saw both nodes' sessions: the oldest is signed out on both.
    for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
      HttpResponse<String> ended = get(node, "/cart", first);
      assertThat(ended.statusCode()).isEqualTo(302);
      assertThat(ended.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
      assertThat(get(node, "/cart", second).body()).contains("user=ada");
      assertThat(get(node, "/cart", third).body()).contains("user=ada");
    }
  }

  @Test
  void failingPage_forSignedInUser_givesTheErrorPageWithoutContainerSession() throws Exception {
    String signedIn = signIn(nodeA);
    HttpResponse<String> failed = get(nodeB, "/boom", signedIn);
    // The error dispatch sees the session: Spring Security lets the signed-in user see the page.
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).contains("Whitelabel Error Page");
    assertThat(get(nodeA, "/cart", signedIn).body()).contains("user=ada");
    assertNoContainerSession();
  }

  @Test
  void anonymousCounter_sharedAcrossNodes() throws Exception {
    HttpResponse<String> first = get(nodeA, "/count", null);
    String cookie = sessionCookie(first);
    assertThat(first.body()).contains("visits=1");
    assertThat(get(nodeB, "/count", cookie).body()).contains("visits=2");
    assertThat(get(nodeA, "/", cookie).body()).contains("user=anonymous", "visits=2");
    // A page that never touches the session sets no cookie.
    assertThat(sessionCookie(get(nodeB, "/", null))).isNull();
    assertNoContainerSession();
  }

  URI nodeA() {
    return uri(nodeA, "/");
  }

  URI nodeB() {
    return uri(nodeB, "/");
  }

  private String signIn(ConfigurableApplicationContext node) throws Exception {
    HttpResponse<String> form = get(node, "/login", null);
    String cookie = sessionCookie(form);
    HttpResponse<String> signIn =
        post(
            node,
            "/login",
            cookie,
            Map.of("username", "ada", "password", "lovelace", "_csrf", csrf(form)));
    assertThat(signIn.statusCode()).isEqualTo(302);
    return sessionCookie(signIn);
  }

  private void assertNoContainerSession() {
    assertThat(responses).isNotEmpty();
    for (HttpResponse<String> response : responses) {
      assertThat(response.headers().allValues("Set-Cookie"))
          .as("Set-Cookie of %s", response.uri())
          .noneMatch(header -> header.startsWith("JSESSIONID"));
    }
  }

  private HttpResponse<String> get(ConfigurableApplicationContext node, String path, String cookie)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(node, path)).header("Accept", "text/html");
    return send(request, cookie);
  }

  private HttpResponse<String> post(
      ConfigurableApplicationContext node, String path, String cookie, Map<String, String> form)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(node, path))
            .header("Accept", "text/html")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(request, cookie);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String cookie) throws Exception {
    if (cookie != null) {
      request.header("Cookie", COOKIE + "=" + cookie);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    responses.add(response);
    return response;
  }

  private static URI uri(ConfigurableApplicationContext node, String path) {
    int port = ((WebServerApplicationContext) node).getWebServer().getPort();
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The session cookie a response sets, or null. */
  private static String sessionCookie(HttpResponse<String> response) {
    return sessionCookie(response, null);
  }

  /** The session cookie a response sets, or {@code current} if it sets none. */
  private static String sessionCookie(HttpResponse<String> response, String current) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      if (header.startsWith(COOKIE + "=")) {
        String value = header.substring(COOKIE.length() + 1).split(";", 2)[0];
        return value.isEmpty() ? null : value;
      }
    }
    return current;
  }

  private static String csrf(HttpResponse<String> page) {
    Matcher m = CSRF.matcher(page.body());
    assertThat(m.find()).as("a CSRF token in %s", page.body()).isTrue();
    return m.group(1);
  }

  private static byte[] randomBytes() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }
}
