package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.CookieOptions;
import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.kryo.KryoValueCodec;
import io.sessionstate.servlet.ScenarioServlet.Bound;
import io.sessionstate.servlet.ScenarioServlet.RecordingListener;
import io.sessionstate.spi.SessionStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Servlet bridge's fidelity items (the HttpSession's id, nested dispatches, the session's end
 * with the filter, listeners, cookie attributes and Cookie header parsing, and the manager's
 * codec), each a test named after it, through real HTTP on Jetty 12 and Tomcat 11. A subclass names
 * the store. The session's own items through the filter are in {@link SessionItemScenarios}.
 */
abstract class FidelityScenarios {
  private final RecordingListener listener = new RecordingListener();
  private SessionManager manager;

  private ServletContainer server;

  /** A new store for one test, empty of other tests' sessions. */
  abstract SessionStore newStore();

  private ServletContainer start(
      ServletContainer.Kind kind, UnaryOperator<SessionManager.Builder> options) throws Exception {
    manager =
        options
            .apply(
                SessionManager.builder()
                    .store(newStore())
                    .keyRing(KeyRing.generate())
                    .valueCodec(
                        KryoValueCodec.builder()
                            .register(BridgeServlet.Item.class)
                            .register(Bound.class)
                            .build()))
            .build();
    SessionFilter filter = SessionFilter.builder(manager).listener(listener).build();
    server = kind.start(filter, new ScenarioServlet.OuterFilter(), new ScenarioServlet());
    Bound.EVENTS.clear();
    return server;
  }

  private ServletContainer start(ServletContainer.Kind kind) throws Exception {
    return start(kind, b -> b);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (server != null) {
        // Whatever the test did, the container never made a session of its own.
        assertThat(server.containerSessionsCreated()).as("container sessions").isZero();
        server.close();
      }
    } finally {
      if (manager != null) {
        manager.close();
      }
    }
  }

  // ---- item 5: changeSessionId

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void changeSessionId_changesGetIdAndReturnsTheNewIdThatNeverRevealsTheKey(
      ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=a&value=1");
    String oldCookie = browser.cookie;
    String oldKey = browser.cookieKey();
    listener.take();

    String body = browser.get("/change").body();
    Map<String, String> next = browser.lines("/info");

    String before = body.replaceAll("before=(\\S+) .*", "$1");
    String after = body.replaceAll(".* after=(\\S+) .*", "$1");
    assertThat(before).matches("[0-9a-f]{32}");
    assertThat(after).matches("[0-9a-f]{32}").isNotEqualTo(before);
    assertThat(body).endsWith(" getId=" + after);
    assertThat(next).containsEntry("id", after).containsEntry("requestedId", after);
    assertThat(browser.cookie).isNotEqualTo(oldCookie);
    for (String id : List.of(before, after)) {
      assertThat(id).doesNotContain(oldKey).doesNotContain(browser.cookieKey());
    }
    assertThat(listener.take()).containsExactly("idChanged " + before + " -> " + after);
    assertThat(browser.get("/get?name=a").body()).isEqualTo("1");
    Browser attacker = new Browser(server);
    attacker.cookie = oldCookie;
    assertThat(attacker.get("/get?name=a").body()).isEqualTo("no session");
  }

  // ---- item 6: nested dispatches see the same session, and no container session

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void errorPage_afterSendError_seesTheSameSession(ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=a&value=1");

    HttpResponse<String> error = browser.get("/set-then-send-error?name=b&value=2");

    assertThat(error.statusCode()).isEqualTo(500);
    assertThat(error.body()).isEqualTo("error page: dispatch=ERROR b=2 core=true");
    assertThat(browser.get("/get?name=b").body()).isEqualTo("2");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void errorPage_afterAThrownException_seesTheSameSession(ServletContainer.Kind kind)
      throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=a&value=1");

    HttpResponse<String> error = browser.get("/set-then-throw?name=a&value=2");

    assertThat(error.statusCode()).isEqualTo(500);
    assertThat(error.body()).isEqualTo("error page: dispatch=ERROR a=2 core=true");
    assertThat(browser.get("/get?name=a").body()).isEqualTo("2");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void errorPage_ofARequestThatCreatedTheSession_seesItAndTheCookieIsSent(
      ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));

    HttpResponse<String> error = browser.get("/set-then-throw?name=a&value=new");

    assertThat(error.body()).isEqualTo("error page: dispatch=ERROR a=new core=true");
    assertThat(browser.cookie).isNotNull();
    assertThat(browser.get("/get?name=a").body()).isEqualTo("new");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void forwardIncludeAndAsyncDispatch_seeTheSameSession(ServletContainer.Kind kind)
      throws Exception {
    Browser browser = new Browser(start(kind));

    String forward = browser.get("/forward?name=a&value=f").body();
    String include = browser.get("/include?name=a&value=i").body();
    String async = browser.get("/async-dispatch?name=a&value=d").body();

    assertThat(forward).isEqualTo("dispatch=FORWARD a=f");
    assertThat(include).isEqualTo("included: dispatch=INCLUDE a=i");
    assertThat(async).isEqualTo("dispatch=ASYNC a=d");
    assertThat(browser.get("/get?name=a").body()).isEqualTo("d");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void noContainerSession_isEverCreatedWhileTheFilterIsInFront(ServletContainer.Kind kind)
      throws Exception {
    Browser browser = new Browser(start(kind));
    for (String path :
        List.of(
            "/set?name=a&value=1",
            "/set-then-send-error?name=a&value=2",
            "/set-then-throw?name=a&value=3",
            "/forward?name=a&value=4",
            "/include?name=a&value=5",
            "/async-dispatch?name=a&value=6",
            "/change",
            "/info",
            "/invalidate",
            "/get?name=a")) {
      browser.get(path);
    }

    assertThat(server.containerSessionsCreated()).isZero();
    assertThat(browser.otherCookies).noneMatch(c -> c.startsWith("JSESSIONID"));
  }

  // ---- item 7: the session leaves the request with the filter

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void afterTheFilterReturns_writesThrowAndTheRequestAttributeIsGone(ServletContainer.Kind kind)
      throws Exception {
    Browser browser = new Browser(start(kind));

    HttpResponse<String> response = browser.get("/hold?name=a&value=1");

    String committed =
        ": the request's session was already committed when SessionFilter returned, so this"
            + " change would be lost; change the session before the filter chain returns";
    assertThat(response.body())
        .isEqualTo(
            "attribute=null\n"
                + "read=1\n"
                + "http=ISE: setAttribute"
                + committed
                + "\n"
                + "core=ISE: setString"
                + committed
                + "\n");
    assertThat(browser.get("/get?name=a").body()).isEqualTo("1");
    assertThat(browser.get("/get?name=late").body()).isEqualTo("null");
  }

  // ---- item 8: listeners

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void listeners_createdAddedReplacedRemovedAndDestroyed_asAContainerFiresThem(
      ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));

    assertThat(browser.get("/get?name=a").body()).isEqualTo("no session");
    assertThat(listener.take()).isEmpty();
    browser.get("/set?name=a&value=1");
    String id = browser.lines("/info").get("id");
    List<String> created = listener.take();
    browser.get("/set?name=a&value=2");
    List<String> replaced = listener.take();
    browser.get("/remove?name=a");
    List<String> emptied = listener.take();

    assertThat(created).containsExactly("created " + id + " context=true", "added a=1");
    assertThat(replaced).containsExactly("replaced a=1");
    // An emptied session is deleted from the store: it ends with the request.
    assertThat(emptied).containsExactly("removed a=2", "destroyed " + id + " names=[]");
    assertThat(browser.get("/get?name=a").body()).isEqualTo("no session");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void listeners_invalidate_firesDestroyedWhileReadableThenUnbindsEachValue(
      ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=a&value=1");
    browser.get("/set-bound?name=b&value=x");
    String id = browser.lines("/info").get("id");
    listener.take();
    Bound.EVENTS.clear();

    browser.get("/invalidate");

    assertThat(listener.take())
        .containsExactly(
            "destroyed " + id + " names=[a, b]", "removed a=1", "removed b=Bound[label=x]");
    assertThat(Bound.EVENTS).containsExactly("unbound b=x");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void bindingListener_isBoundOnSetAndUnboundOnReplaceAndRemove(ServletContainer.Kind kind)
      throws Exception {
    Browser browser = new Browser(start(kind));

    browser.get("/set-bound?name=b&value=first");
    browser.get("/set-bound?name=b&value=second");
    browser.get("/remove?name=b");

    assertThat(Bound.EVENTS)
        .containsExactly("bound b=first", "bound b=second", "unbound b=first", "unbound b=second");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void listeners_expiryInTheStore_isNotObserved(ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind, b -> b.idleTimeout(Duration.ofMillis(300))));
    browser.get("/set?name=a&value=1");
    listener.take();
    Thread.sleep(1_000);

    // The entry is gone; the next request finds nothing to name, and no listener hears of it.
    assertThat(browser.get("/get?name=a").body()).isEqualTo("no session");
    assertThat(listener.take()).isEmpty();
  }

  // ---- item 10: Max-Age and Partitioned

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void cookie_maxAge_isPersistentAndReissuedOnEveryRequestThatCarriesIt(ServletContainer.Kind kind)
      throws Exception {
    Browser browser =
        new Browser(
            start(
                kind,
                b ->
                    b.idleTimeout(Duration.ofMinutes(30))
                        .cookie(CookieOptions.builder().maxAgeFollowsIdleTimeout().build())));

    HttpResponse<String> created = browser.get("/set?name=a&value=1");
    String cookie = browser.cookie;
    HttpResponse<String> read = browser.get("/get?name=a");
    HttpResponse<String> untouched = browser.get("/info");

    assertThat(created.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("; Max-Age=1800;");
    for (HttpResponse<String> r : List.of(read, untouched)) {
      assertThat(r.headers().allValues("Set-Cookie"))
          .singleElement()
          .asString()
          .startsWith("session=" + cookie + "; Path=/; Max-Age=1800;");
    }
    assertThat(read.body()).isEqualTo("1");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void cookie_partitioned_isSentWithSecure(ServletContainer.Kind kind) throws Exception {
    Browser browser =
        new Browser(
            start(
                kind,
                b ->
                    b.cookie(
                        CookieOptions.builder()
                            .partitioned(true)
                            .securePolicy(CookieOptions.SecurePolicy.ALWAYS)
                            .maxAge(Duration.ofDays(7))
                            .build())));

    HttpResponse<String> created = browser.get("/set?name=a&value=1");

    assertThat(created.headers().firstValue("Set-Cookie").orElseThrow())
        .matches(
            "session=[^;]+; Path=/; Max-Age=604800; Secure; HttpOnly; SameSite=Lax; Partitioned");
  }

  // ---- item 11: the Cookie header after RFC 6265

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void cookieHeader_valueSmuggledInsideAnotherCookiesQuotes_isNotASessionCookie(
      ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=a&value=1");
    String valid = browser.cookie;

    HttpResponse<String> smuggled =
        browser.getWithCookieHeader("/get?name=a", "other=\"a; session=" + valid + "; b\"");
    HttpResponse<String> real =
        browser.getWithCookieHeader("/get?name=a", "other=\"a; b\"; session=" + valid);

    assertThat(smuggled.body()).isEqualTo("no session");
    assertThat(real.body()).isEqualTo("1");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void cookieHeader_tabPaddedOrSpacedOut_readsAsTheCanonicalHeader(ServletContainer.Kind kind)
      throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=a&value=1");
    String valid = browser.cookie;

    String tabs = browser.getWithCookieHeader("/get?name=a", "x=1;\tsession\t=\t" + valid).body();
    String spaces =
        browser
            .getWithCookieHeader("/get?name=a", "x=1 ;  session = \"" + valid + "\" ;y=2")
            .body();
    String comma = browser.getWithCookieHeader("/get?name=a", "x=1, session=" + valid).body();

    assertThat(tabs).isEqualTo("1");
    assertThat(spaces).isEqualTo("1");
    assertThat(comma).isEqualTo("no session");
  }

  // ---- issue 11: the manager's codec, and none

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void attributes_useTheManagersCodec(ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));

    assertThat(browser.get("/set-item?name=i&value=apple").body()).isEqualTo("stored");
    assertThat(browser.get("/get?name=i").body()).isEqualTo("Item[name=apple, quantity=1]");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void attributes_withoutACodec_areStringsAndBytesAndAnObjectFailsNamingTheOption(
      ServletContainer.Kind kind) throws Exception {
    manager = SessionManager.builder().store(newStore()).keyRing(KeyRing.generate()).build();
    server =
        kind.start(
            SessionFilter.builder(manager).build(),
            new ScenarioServlet.OuterFilter(),
            new ScenarioServlet());
    Browser browser = new Browser(server);

    String object = browser.get("/set-item?name=i&value=apple").body();
    browser.get("/set?name=s&value=caf%C3%A9");
    browser.get("/set-bytes?name=b&value=raw");

    assertThat(object)
        .isEqualTo(
            "IllegalStateException: setAttribute(\"i\"): a "
                + BridgeServlet.Item.class.getName()
                + " needs a value codec, and the SessionManager has none: set"
                + " SessionManager.Builder.valueCodec(...); without one, attributes are String and"
                + " byte[] only");
    assertThat(browser.get("/get?name=s").body()).isEqualTo("café");
    assertThat(browser.get("/get?name=b").body()).isEqualTo("bytes:raw");
    assertThat(browser.get("/get?name=i").body()).isEqualTo("null");
  }
}
