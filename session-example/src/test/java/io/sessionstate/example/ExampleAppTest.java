package io.sessionstate.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.spi.SessionStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExampleAppTest {

  private static final Pattern VISITS = Pattern.compile("id=\"visits\">(\\d+)<");
  private static final Pattern ITEM = Pattern.compile("class=\"item\">([^<]*)<");
  private static final Pattern OWN_SESSION =
      Pattern.compile("\\(this browser\\)[^\\n]*name=\"id\" value=\"([0-9a-f]+)\"");
  private static final Pattern FLASH = Pattern.compile("id=\"flash\">([^<]*)<");

  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private SessionManager manager;
  private ExampleApp app;

  @BeforeEach
  void start() {
    manager = ExampleApp.memoryManager(Optional.of(KeyRing.generate()));
    app = ExampleApp.start(0, manager);
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  @Test
  void firstVisit_setsHttpOnlyLaxCookieThatIsNotCached() throws Exception {
    HttpResponse<String> response = new Visitor().get("/");

    assertThat(response.statusCode()).isEqualTo(200);
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith("session=").contains("; HttpOnly", "; SameSite=Lax");
    assertThat(setCookie).doesNotContain("Secure");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store");
  }

  @Test
  void counter_incrementsAcrossRequestsWithTheCookie() throws Exception {
    Visitor visitor = new Visitor();

    assertThat(visits(visitor.get("/"))).isEqualTo(1);
    HttpResponse<String> second = visitor.get("/");
    assertThat(visits(visitor.get("/"))).isEqualTo(3);

    assertThat(visits(second)).isEqualTo(2);
    // The browser already holds the key: the cookie is not sent again.
    assertThat(second.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(visits(new Visitor().get("/"))).isEqualTo(1);
  }

  @Test
  void cart_addRemoveAndClear_changeThePage() throws Exception {
    Visitor visitor = new Visitor();
    visitor.post("/cart/add", "item", "only");
    visitor.post("/cart/remove", "index", "0");
    assertThat(items(visitor.get("/"))).isEmpty();

    assertThat(visitor.post("/cart/add", "item", "apple").statusCode()).isEqualTo(303);
    visitor.post("/cart/add", "item", "  pear  ");
    visitor.post("/cart/add", "item", "crème brûlée");
    assertThat(items(visitor.get("/"))).containsExactly("apple", "pear", "crème brûlée");

    HttpResponse<String> removed = visitor.post("/cart/remove", "index", "1");
    assertThat(removed.statusCode()).isEqualTo(303);
    assertThat(removed.headers().firstValue("Location")).hasValue("/");
    assertThat(items(visitor.get("/"))).containsExactly("apple", "crème brûlée");

    assertThat(visitor.post("/cart/clear").statusCode()).isEqualTo(303);
    HttpResponse<String> page = visitor.get("/");
    assertThat(items(page)).isEmpty();
    assertThat(page.body()).contains("Your cart is empty.");
  }

  @Test
  void flashMessage_showsOnceThenDisappears() throws Exception {
    Visitor visitor = new Visitor();
    visitor.post("/cart/add", "item", "apple");

    assertThat(flash(visitor.get("/"))).hasValue("Added apple");
    HttpResponse<String> next = visitor.get("/");

    assertThat(flash(next)).isEmpty();
    assertThat(items(next)).containsExactly("apple");
  }

  @Test
  void signIn_regeneratesSessionCookie() throws Exception {
    Visitor visitor = new Visitor();
    visitor.get("/");
    String before = visitor.cookie;

    HttpResponse<String> signIn = visitor.post("/signin", "name", "Ada");

    assertThat(signIn.statusCode()).isEqualTo(303);
    assertThat(signIn.headers().firstValue("Set-Cookie")).isPresent();
    assertThat(visitor.cookie).isNotNull().isNotEqualTo(before);
    assertThat(visitor.get("/").body()).contains("Signed in as <strong id=\"user\">Ada</strong>");
  }

  @Test
  void signIn_movesTheSessionToTheNewCookie() throws Exception {
    Visitor visitor = new Visitor();
    visitor.post("/cart/add", "item", "apple");
    Visitor attacker = visitor.copy(); // holds the key from before sign-in, as in session fixation

    visitor.post("/signin", "name", "Ada");

    HttpResponse<String> victimPage = visitor.get("/");
    assertThat(items(victimPage)).containsExactly("apple");
    assertThat(victimPage.body()).contains("Ada");
    HttpResponse<String> attackerPage = attacker.get("/");
    assertThat(items(attackerPage)).isEmpty();
    assertThat(attackerPage.body()).doesNotContain("Ada");
  }

  @Test
  void signOut_clearsTheCookieAndEndsTheSession() throws Exception {
    Visitor visitor = new Visitor();
    visitor.post("/signin", "name", "Ada");
    visitor.post("/cart/add", "item", "apple");
    Visitor oldCookie = visitor.copy();

    HttpResponse<String> signOut = visitor.post("/signout");

    assertThat(signOut.statusCode()).isEqualTo(303);
    assertThat(signOut.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("session=;")
        .contains("Max-Age=0");
    assertThat(visitor.cookie).isNull();
    HttpResponse<String> page = oldCookie.get("/");
    assertThat(items(page)).isEmpty();
    assertThat(page.body()).contains("Not signed in");
    assertThat(visits(page)).isEqualTo(1);
  }

  @Test
  void yourSessions_listsEveryBrowser_signsOutOne_andSignsOutEverywhere() throws Exception {
    Visitor laptop = new Visitor();
    Visitor phone = new Visitor();
    Visitor tablet = new Visitor();
    for (Visitor v : List.of(laptop, phone, tablet)) {
      v.post("/signin", "name", "Ada");
    }

    HttpResponse<String> page = laptop.get("/sessions");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("in 3 sessions", "(this browser)");
    assertThat(page.body()).doesNotContain(laptop.cookie, phone.cookie, tablet.cookie);

    // Sign out the phone from the laptop: the phone is anonymous at its next request.
    String phoneId = ownSessionId(phone.get("/sessions"));
    assertThat(laptop.post("/sessions/end", "id", phoneId).statusCode()).isEqualTo(303);
    assertThat(phone.get("/").body()).contains("Not signed in");
    assertThat(laptop.get("/sessions").body()).contains("in 2 sessions");

    // Sign out everywhere from the tablet: both signed out, the tablet's cookie cleared at once.
    HttpResponse<String> everywhere = tablet.post("/sessions/end-all");
    assertThat(everywhere.statusCode()).isEqualTo(303);
    assertThat(tablet.cookie).isNull();
    assertThat(laptop.get("/").body()).contains("Not signed in");
    assertThat(laptop.get("/sessions").statusCode()).isEqualTo(303);
  }

  @Test
  void tamperedCookie_isTreatedAsNewVisitor() throws Exception {
    Visitor visitor = new Visitor();
    visitor.post("/cart/add", "item", "apple");
    visitor.get("/");
    Visitor tampered = visitor.copy();
    tampered.cookie = tamper(visitor.cookie);

    HttpResponse<String> page = tampered.get("/");

    assertThat(items(page)).isEmpty();
    assertThat(visits(page)).isEqualTo(1);
    assertThat(page.headers().firstValue("Set-Cookie")).isPresent();
    assertThat(tampered.cookie).isNotEqualTo(visitor.cookie);
    assertThat(items(visitor.get("/"))).containsExactly("apple");
  }

  @Test
  void addItem_emptyOrTooLong_answers400() throws Exception {
    Visitor visitor = new Visitor();

    assertThat(visitor.post("/cart/add", "item", "").statusCode()).isEqualTo(400);
    assertThat(visitor.post("/cart/add", "item", "   ").statusCode()).isEqualTo(400);
    HttpResponse<String> tooLong = visitor.post("/cart/add", "item", "x".repeat(101));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("The item must be 1 to 100 characters: it has 101.");
    HttpResponse<String> lineBreak = visitor.post("/cart/add", "item", "two\nlines");
    assertThat(lineBreak.statusCode()).isEqualTo(400);
    assertThat(lineBreak.body()).contains("The item must not contain control characters.");
    assertThat(visitor.post("/cart/add", "item", "x".repeat(100)).statusCode()).isEqualTo(303);
  }

  @Test
  void removeItem_badIndex_answers400() throws Exception {
    Visitor visitor = new Visitor();
    visitor.post("/cart/add", "item", "apple");

    assertThat(visitor.post("/cart/remove", "index", "1").statusCode()).isEqualTo(400);
    assertThat(visitor.post("/cart/remove", "index", "-1").statusCode()).isEqualTo(400);
    assertThat(visitor.post("/cart/remove", "index", "one").statusCode()).isEqualTo(400);
    assertThat(items(visitor.get("/"))).containsExactly("apple");
  }

  @Test
  void unknownPath_answers404() throws Exception {
    assertThat(new Visitor().get("/nowhere").statusCode()).isEqualTo(404);
  }

  @Test
  void wrongMethod_answers405WithAllow() throws Exception {
    HttpResponse<String> getAction = new Visitor().get("/cart/add");
    assertThat(getAction.statusCode()).isEqualTo(405);
    assertThat(getAction.headers().firstValue("Allow")).hasValue("POST");

    HttpResponse<String> postHome = new Visitor().post("/");
    assertThat(postHome.statusCode()).isEqualTo(405);
    assertThat(postHome.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void itemWithMarkup_isEscaped() throws Exception {
    Visitor visitor = new Visitor();
    visitor.post("/cart/add", "item", "<script>alert('x')</script>");

    String page = visitor.get("/").body();

    assertThat(page).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assertThat(page).doesNotContain("<script");
  }

  @Test
  void twoNodes_shareOneStore_theCartFollowsTheVisitor() throws Exception {
    app.stop();
    SessionManager shared = ExampleApp.memoryManager(Optional.of(KeyRing.generate()));
    app = ExampleApp.start(0, List.of(shared, shared));
    List<URI> nodes = app.uris();
    assertThat(nodes).hasSize(2).doesNotHaveDuplicates();

    Visitor visitor = new Visitor();
    visitor.base = nodes.get(0);
    visitor.post("/cart/add", "item", "apple");
    visitor.base = nodes.get(1);
    HttpResponse<String> onB = visitor.get("/");

    assertThat(items(onB)).containsExactly("apple");
    assertThat(onB.body()).contains("id=\"node\">node B<");
  }

  @Test
  void failingStore_answers503WithoutDetails() throws Exception {
    app.stop();
    app =
        ExampleApp.start(
            0,
            ExampleApp.managerBuilder()
                .store(new FailingStore())
                .keyRing(KeyRing.generate())
                .build());

    HttpResponse<String> response = new Visitor().get("/");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("could not be saved").doesNotContain("disk");
    assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
  }

  /** Three bytes the codec cannot read, as a class changed or gone, or damaged bytes, leave. */
  private static final byte[] UNREADABLE = {1, 2, 3};

  @Test
  void unreadableCart_homePage_showsAnEmptyCartWithANotice_andTheCartHeals() throws Exception {
    Visitor visitor = new Visitor();
    visitor.post("/signin", "name", "Ada");
    visitor.post("/cart/add", "item", "apple");
    plant(visitor, "cart", UNREADABLE);

    HttpResponse<String> page = visitor.get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(items(page)).isEmpty();
    assertThat(page.body())
        .contains("id=\"cart-notice\">Your saved cart could not be restored")
        .contains("Signed in as <strong id=\"user\">Ada</strong>");
    assertShowsNoExceptionText(page);
    assertThat(stored(visitor, "cart")).as("dropped at the commit").isEmpty();
    HttpResponse<String> next = visitor.get("/");
    assertThat(next.body()).doesNotContain("cart-notice");
    assertThat(visits(next)).isEqualTo(visits(page) + 1);
    visitor.post("/cart/add", "item", "pear");
    assertThat(items(visitor.get("/"))).containsExactly("pear");
  }

  @Test
  void unreadableCart_everyPage_answersWithoutFailing_andTheCartHeals() throws Exception {
    List<String[]> pages =
        List.of(
            new String[] {"GET", "/"},
            new String[] {"POST", "/cart/add", "item", "pear"},
            new String[] {"POST", "/cart/remove", "index", "0"},
            new String[] {"POST", "/cart/clear"},
            new String[] {"POST", "/signin", "name", "Ada"},
            new String[] {"POST", "/signout"},
            new String[] {"GET", "/cart/add"},
            new String[] {"GET", "/nowhere"});
    for (String[] page : pages) {
      Visitor visitor = new Visitor();
      visitor.post("/cart/add", "item", "apple");
      plant(visitor, "cart", UNREADABLE);
      String[] fields = Arrays.copyOfRange(page, 2, page.length);

      HttpResponse<String> response =
          page[0].equals("GET") ? visitor.get(page[1]) : visitor.post(page[1], fields);

      assertThat(response.statusCode()).as("%s %s", page[0], page[1]).isLessThan(500);
      assertShowsNoExceptionText(response);
      // The page a visitor sees next, after a redirect or a link: it reads the cart if the page
      // before did not, and heals the session either way.
      HttpResponse<String> home = visitor.get("/");
      assertThat(home.statusCode()).isEqualTo(200);
      assertShowsNoExceptionText(home);
      assertThat(stored(visitor, "cart").filter(v -> Arrays.equals(v, UNREADABLE)))
          .as("after %s %s and a visit home, no unreadable cart", page[0], page[1])
          .isEmpty();
      assertThat(visitor.get("/").body()).doesNotContain("cart-notice");
    }
  }

  @Test
  void pageThatFails_errorPageShowsNoExceptionText() throws Exception {
    Visitor visitor = new Visitor();
    visitor.get("/");
    // A readable value of the wrong type: the page's cast fails with a ClassCastException whose
    // message names classes and their loaders.
    SessionRequest request = manager.begin(visitor.cookie, false, () -> false);
    request.session().set("visits", ExampleApp.codec().encode("not a number"));
    request.finish();

    HttpResponse<String> page = visitor.get("/");

    assertThat(page.statusCode()).isEqualTo(500);
    assertThat(page.body()).contains("Server Error");
    assertShowsNoExceptionText(page);
  }

  /**
   * Writes {@code value} under {@code key} in the visitor's stored session, as the store holds it.
   */
  private void plant(Visitor visitor, String key, byte[] value) {
    SessionRequest request = manager.begin(visitor.cookie, false, () -> false);
    assertThat(request.session().isNew()).isFalse();
    request.session().set(key, value);
    request.finish();
  }

  /** The value stored under {@code key} in the visitor's session, read without a page. */
  private Optional<byte[]> stored(Visitor visitor, String key) {
    SessionRequest request = manager.begin(visitor.cookie, false, () -> false);
    try {
      return request.session().tryGetValue(key);
    } finally {
      request.finish();
    }
  }

  private static void assertShowsNoExceptionText(HttpResponse<String> response) {
    assertThat(response.body())
        .doesNotContainIgnoringCase("exception")
        .doesNotContain("Kryo", "cannot", "java.", "io.sessionstate", "Caused by", "\tat ");
  }

  @Test
  void parse_storeNotInThisBuildOrUnknown_fails() {
    assertThatThrownBy(() -> ExampleApp.Options.parse(new String[] {"--store", "mongo"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown store 'mongo': use memory, redis or postgresql");
    assertThatThrownBy(() -> ExampleApp.Options.parse(new String[] {"--postgres-url", "jdbc:x"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--postgres-url needs --store postgresql");
    assertThatThrownBy(() -> ExampleApp.Options.parse(new String[] {"--redis-url", "redis://x"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--redis-url needs --store redis");
    assertThatThrownBy(() -> ExampleApp.Options.parse(new String[] {"--nodes", "9"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--nodes must be 1 to 8: 9");
    assertThatThrownBy(
            () -> ExampleApp.Options.parse(new String[] {"--port", "65535", "--nodes", "2"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--port 65535 leaves no room for 2 nodes");
  }

  @Test
  void parse_flags() {
    assertThat(ExampleApp.Options.parse(new String[0]))
        .isEqualTo(
            new ExampleApp.Options(
                8080,
                "memory",
                ExampleApp.DEFAULT_REDIS_URL,
                ExampleApp.DEFAULT_POSTGRES_URL,
                1,
                false));
    assertThat(ExampleApp.Options.parse(new String[] {"--port", "0", "--store", "memory"}))
        .isEqualTo(
            new ExampleApp.Options(
                0,
                "memory",
                ExampleApp.DEFAULT_REDIS_URL,
                ExampleApp.DEFAULT_POSTGRES_URL,
                1,
                false));
    assertThat(
            ExampleApp.Options.parse(
                new String[] {
                  "--store", "postgresql", "--postgres-url", "jdbc:postgresql://db/app"
                }))
        .isEqualTo(
            new ExampleApp.Options(
                8080,
                "postgresql",
                ExampleApp.DEFAULT_REDIS_URL,
                "jdbc:postgresql://db/app",
                1,
                false));
    assertThat(
            ExampleApp.Options.parse(
                new String[] {
                  "--store", "redis", "--redis-url", "redis://127.0.0.1:6390", "--nodes", "2"
                }))
        .isEqualTo(
            new ExampleApp.Options(
                8080,
                "redis",
                "redis://127.0.0.1:6390",
                ExampleApp.DEFAULT_POSTGRES_URL,
                2,
                false));
    assertThat(ExampleApp.Options.parse(new String[] {"--help"}).help()).isTrue();
    assertThatThrownBy(() -> ExampleApp.Options.parse(new String[] {"--port", "70000"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--port must be 0 to 65535: 70000");
    assertThatThrownBy(() -> ExampleApp.Options.parse(new String[] {"--port"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--port needs a value: try --help");
    assertThatThrownBy(() -> ExampleApp.Options.parse(new String[] {"--verbose"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown argument '--verbose': try --help");
  }

  @Test
  void keyRing_fromSecret() {
    byte[] secret = new byte[32];
    assertThat(ExampleApp.keyRing(null)).isEmpty();
    assertThat(
            ExampleApp.keyRing(Base64.getEncoder().encodeToString(secret)).orElseThrow().keyIds())
        .containsExactly("k1");
    assertThatThrownBy(() -> ExampleApp.keyRing("c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SESSIONSTATE_SECRET must hold at least 32 bytes: it holds 5");
    assertThatThrownBy(() -> ExampleApp.keyRing("not base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SESSIONSTATE_SECRET must be base64");
  }

  // ---- helpers

  private static int visits(HttpResponse<String> page) {
    Matcher m = VISITS.matcher(page.body());
    assertThat(m.find()).as("visit counter in %s", page.body()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static List<String> items(HttpResponse<String> page) {
    assertThat(page.statusCode()).isEqualTo(200);
    List<String> items = new ArrayList<>();
    Matcher m = ITEM.matcher(page.body());
    while (m.find()) {
      items.add(m.group(1));
    }
    return items;
  }

  private static Optional<String> flash(HttpResponse<String> page) {
    Matcher m = FLASH.matcher(page.body());
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The id of the session the "Your sessions" page marks as the browser's own. */
  private static String ownSessionId(HttpResponse<String> sessionsPage) {
    Matcher m = OWN_SESSION.matcher(sessionsPage.body());
    assertThat(m.find()).as("this browser's session on the page").isTrue();
    return m.group(1);
  }

  /** Changes one character in the middle of the cookie's value, where every bit counts. */
  private static String tamper(String cookie) {
    int i = cookie.length() / 2;
    while (!Character.isLetterOrDigit(cookie.charAt(i))) {
      i++;
    }
    char replacement = cookie.charAt(i) == 'A' ? 'B' : 'A';
    return cookie.substring(0, i) + replacement + cookie.substring(i + 1);
  }

  /** A browser with one cookie jar, kept by hand: it sends what the app set and forgets cleared. */
  private final class Visitor {
    String cookie; // "name=value", or null
    URI base; // the node this visitor talks to; null for the app's first node

    Visitor copy() {
      Visitor copy = new Visitor();
      copy.cookie = cookie;
      return copy;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String... fields)
        throws IOException, InterruptedException {
      StringBuilder form = new StringBuilder();
      for (int i = 0; i < fields.length; i += 2) {
        form.append(form.length() == 0 ? "" : "&")
            .append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
      }
      return send(
          request(path)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
    }

    private HttpRequest.Builder request(String path) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder((base == null ? app.uri() : base).resolve(URI.create(path)))
              .timeout(Duration.ofSeconds(10));
      if (cookie != null) {
        builder.header("Cookie", cookie);
      }
      return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request)
        throws IOException, InterruptedException {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      response
          .headers()
          .firstValue("Set-Cookie")
          .ifPresent(
              header -> cookie = header.contains("Max-Age=0") ? null : header.split(";", 2)[0]);
      return response;
    }
  }

  /** A store whose every write fails, as a store that is down would. */
  private static final class FailingStore implements SessionStore {
    @Override
    public String name() {
      return "failing";
    }

    @Override
    public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
      return Optional.empty();
    }

    @Override
    public void save(String key, byte[] blob, Duration ttl) {
      throw new IllegalStateException("disk on fire");
    }

    @Override
    public void touch(String key, Duration ttl) {}

    @Override
    public void delete(String key) {}

    @Override
    public void close() {}
  }
}
