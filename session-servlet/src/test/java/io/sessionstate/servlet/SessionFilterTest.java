package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.kryo.KryoValueCodec;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.tck.CountingSessionStore;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The filter and the HttpSession bridge inside a real Jetty 12, over real HTTP. */
class SessionFilterTest {
  private final CountingSessionStore store =
      CountingSessionStore.wrap(MemorySessionStore.builder().maximumBytes(16 << 20).build());
  private final SessionManager manager =
      SessionManager.builder()
          .store(store)
          .keyRing(KeyRing.generate())
          .valueCodec(KryoValueCodec.builder().register(BridgeServlet.Item.class).build())
          .build();
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private TestServer server;

  private void start(UnaryOperator<SessionFilter.Builder> options) throws Exception {
    SessionFilter filter = options.apply(SessionFilter.builder(manager)).build();
    server = TestServer.start(filter, new BridgeServlet());
  }

  private void start() throws Exception {
    start(b -> b);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    manager.close();
  }

  // ---- no session, no cost

  @Test
  void requestThatNeverWrites_setsNoCookieAndCallsNoStore() throws Exception {
    start();
    Visitor visitor = new Visitor();

    HttpResponse<String> nothing = visitor.get("/nothing");
    HttpResponse<String> lookup = visitor.get("/get?name=a");
    HttpResponse<String> created = visitor.get("/create-only");

    assertThat(nothing.body()).isEqualTo("hello");
    assertThat(lookup.body()).isEqualTo("no session");
    assertThat(created.body()).isEqualTo("new=true");
    for (HttpResponse<String> r : List.of(nothing, lookup, created)) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }
    assertThat(store.calls()).isZero();
  }

  @Test
  void readOnlyRequest_loadsOnceAndWritesNothing() throws Exception {
    start();
    Visitor visitor = new Visitor();
    visitor.get("/set?name=a&value=1");
    int loads = store.loads();
    int writes = store.writes();

    HttpResponse<String> read = visitor.get("/get?name=a");

    assertThat(read.body()).isEqualTo("1");
    assertThat(read.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(store.loads() - loads).isEqualTo(1);
    assertThat(store.writes() - writes).isZero();
  }

  // ---- the cookie

  @Test
  void cookie_isHttpOnlyLaxPathRootAndNotSecureOverPlainHttp() throws Exception {
    start();
    HttpResponse<String> response = new Visitor().get("/set?name=a&value=1");

    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("session=")
        .contains("; Path=/", "; HttpOnly", "; SameSite=Lax")
        .doesNotContain("Secure");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store");
    assertThat(store.saves()).isEqualTo(1);
  }

  @Test
  void forwardedProto_untrusted_isIgnored() throws Exception {
    start();
    HttpResponse<String> response =
        new Visitor().send("/set?name=a&value=1", b -> b.header("X-Forwarded-Proto", "https"));

    assertThat(response.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
  }

  @Test
  void forwardedProto_trusted_makesTheCookieSecure() throws Exception {
    start(b -> b.trustForwardedProto(true));
    HttpResponse<String> https =
        new Visitor().send("/set?name=a&value=1", b -> b.header("X-Forwarded-Proto", "https"));
    HttpResponse<String> http =
        new Visitor().send("/set?name=a&value=1", b -> b.header("X-Forwarded-Proto", "http"));
    HttpResponse<String> none = new Visitor().get("/set?name=a&value=1");

    assertThat(https.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    assertThat(http.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
    assertThat(none.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
  }

  @Test
  void applicationCookies_areKeptBesideTheSessionCookie() throws Exception {
    start();
    HttpResponse<String> response = new Visitor().get("/set-with-cookie?name=a&value=1");

    List<String> cookies = response.headers().allValues("Set-Cookie");
    assertThat(cookies).hasSize(2);
    assertThat(cookies).anyMatch(c -> c.startsWith("theme=dark"));
    assertThat(cookies).anyMatch(c -> c.startsWith("session="));
  }

  // ---- configured by init-params, as from web.xml

  @Test
  void initParams_managerFromContextAttribute() throws Exception {
    FilterHolder holder = new FilterHolder(SessionFilter.class);
    holder.setInitParameter("commit-failure", "log-and-continue");
    holder.setInitParameter("trust-forwarded-proto", "true");
    server =
        TestServer.start(
            holder, new BridgeServlet(), Map.of(SessionFilter.MANAGER_ATTRIBUTE, manager));
    Visitor visitor = new Visitor();
    HttpResponse<String> response =
        visitor.send("/set?name=a&value=1", b -> b.header("X-Forwarded-Proto", "https"));

    assertThat(response.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    assertThat(visitor.get("/get?name=a").body()).isEqualTo("1");
    store.failWith(new IllegalStateException("test store is down"));
    assertThat(new Visitor().get("/set?name=a&value=1").statusCode()).isEqualTo(200);
  }

  @Test
  void initParams_badValueOrNoManager_failWithAMessage() throws Exception {
    SessionFilter filter = new SessionFilter();
    Map<String, String> params = new HashMap<>();
    params.put("commit-failure", "retry");

    assertThatThrownBy(
            () -> filter.init(config(params, Map.of(SessionFilter.MANAGER_ATTRIBUTE, manager))))
        .isInstanceOf(ServletException.class)
        .hasMessage("init-param commit-failure must be respond-503 or log-and-continue: retry");
    assertThatThrownBy(() -> new SessionFilter().init(config(Map.of(), Map.of())))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "SessionFilter needs a SessionManager: set the init-param manager-factory, or put one"
                + " in the servlet context attribute 'io.sessionstate.SessionManager' (found"
                + " nothing)");
    assertThatThrownBy(
            () ->
                new SessionFilter()
                    .init(config(Map.of("manager-factory", "no.such.Factory"), Map.of())))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param manager-factory must name a class with a public no-argument constructor:"
                + " no.such.Factory");
  }

  @Test
  void initParams_badValueAfterAManagerFactory_closesTheManagerItMade() throws Exception {
    OwnedManagerFactory.last = null;
    Map<String, String> params =
        Map.of(
            "manager-factory", OwnedManagerFactory.class.getName(), "trust-forwarded-proto", "yes");

    assertThatThrownBy(() -> new SessionFilter().init(config(params, Map.of())))
        .isInstanceOf(ServletException.class)
        .hasMessage("init-param trust-forwarded-proto must be true or false: yes");
    // A container never calls destroy() on a filter whose init() failed.
    SessionManager made = OwnedManagerFactory.last;
    assertThat(made).isNotNull();
    assertThatThrownBy(() -> made.begin(null, false, () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SessionManager is closed");
  }

  @Test
  void initParams_valueCodecFactory_isRefusedNamingTheManagersOption() {
    Map<String, Object> attributes = Map.of(SessionFilter.MANAGER_ATTRIBUTE, manager);
    Map<String, String> params = Map.of("value-codec-factory", "com.example.Codecs");

    assertThatThrownBy(() -> new SessionFilter().init(config(params, attributes)))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param value-codec-factory is not supported: attribute values use the"
                + " SessionManager's codec; set SessionManager.Builder.valueCodec(...)");
  }

  @Test
  void initParams_listeners_mustBeSessionListenerClasses() {
    Map<String, Object> attributes = Map.of(SessionFilter.MANAGER_ATTRIBUTE, manager);

    assertThatThrownBy(
            () ->
                new SessionFilter()
                    .init(config(Map.of("listeners", "java.lang.String"), attributes)))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param listeners: java.lang.String implements none of HttpSessionListener,"
                + " HttpSessionAttributeListener and HttpSessionIdListener");
    assertThatThrownBy(
            () -> new SessionFilter().init(config(Map.of("listeners", "no.Such"), attributes)))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param listeners must name classes with a public no-argument constructor:"
                + " no.Such");
  }

  @Test
  void initParams_listeners_areCalled() throws Exception {
    FilterHolder holder = new FilterHolder(SessionFilter.class);
    holder.setInitParameter("listeners", " " + CountingListener.class.getName() + " ,");
    server =
        TestServer.start(
            holder, new BridgeServlet(), Map.of(SessionFilter.MANAGER_ATTRIBUTE, manager));
    int before = CountingListener.CREATED.get();

    new Visitor().get("/set?name=a&value=1");

    assertThat(CountingListener.CREATED.get() - before).isEqualTo(1);
  }

  /** A listener a container instantiates by name. */
  public static final class CountingListener implements jakarta.servlet.http.HttpSessionListener {
    static final java.util.concurrent.atomic.AtomicInteger CREATED =
        new java.util.concurrent.atomic.AtomicInteger();

    /** Called by the filter through reflection. */
    public CountingListener() {}

    @Override
    public void sessionCreated(jakarta.servlet.http.HttpSessionEvent se) {
      CREATED.incrementAndGet();
    }
  }

  @Test
  void builder_listenerOfNoSessionKind_isRefused() {
    java.util.EventListener notASessionListener = new java.util.EventListener() {};

    assertThatThrownBy(() -> SessionFilter.builder(manager).listener(notASessionListener))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "listener must implement HttpSessionListener, HttpSessionAttributeListener or"
                + " HttpSessionIdListener: ");
  }

  /** A FilterConfig over a real servlet context of a Jetty context handler that never starts. */
  private static FilterConfig config(Map<String, String> params, Map<String, Object> attributes) {
    ServletContextHandler handler = new ServletContextHandler();
    attributes.forEach(handler::setAttribute);
    ServletContext context = handler.getServletContext();
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "session";
      }

      @Override
      public ServletContext getServletContext() {
        return context;
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }

  // ---- attributes

  @Test
  void attributes_setGetNamesRemoveAndNull() throws Exception {
    start();
    Visitor visitor = new Visitor();
    visitor.get("/set?name=a&value=1");
    visitor.get("/set?name=b&value=two");
    visitor.get("/set-item?name=item&value=apple");

    assertThat(visitor.get("/get?name=a").body()).isEqualTo("1");
    assertThat(visitor.get("/get?name=item").body()).isEqualTo("Item[name=apple, quantity=3]");
    assertThat(visitor.get("/get?name=missing").body()).isEqualTo("null");
    assertThat(visitor.get("/names").body()).isEqualTo("a,b,item");

    visitor.get("/remove?name=a");
    visitor.get("/set-null?name=b");
    assertThat(visitor.get("/names").body()).isEqualTo("item");
    assertThat(visitor.get("/get?name=b").body()).isEqualTo("null");
  }

  @Test
  void attribute_ofAnUnregisteredClass_failsAtSetAndStoresNothing() throws Exception {
    start();
    Visitor visitor = new Visitor();
    HttpResponse<String> response = visitor.get("/set-unregistered?name=x&value=y");

    assertThat(response.body())
        .startsWith("SessionDataException: ")
        .contains(BridgeServlet.Unregistered.class.getName());
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(store.calls()).isZero();
  }

  @Test
  void info_newSessionThenStoredOne() throws Exception {
    start();
    Visitor visitor = new Visitor();
    long before = System.currentTimeMillis();
    visitor.get("/set?name=a&value=1");
    Map<String, String> first = visitor.info();
    Map<String, String> second = visitor.info();

    assertThat(first.get("isNew")).isEqualTo("false");
    assertThat(first.get("id")).matches("[0-9a-f]{32}").isEqualTo(second.get("id"));
    assertThat(first.get("requestedId")).isEqualTo(first.get("id"));
    assertThat(first.get("requestedValid")).isEqualTo("true");
    assertThat(first.get("fromCookie")).isEqualTo("true");
    assertThat(first.get("fromUrl")).isEqualTo("false");
    long created = Long.parseLong(first.get("created"));
    assertThat(created).isBetween(before - 1000, System.currentTimeMillis());
    assertThat(second.get("created")).isEqualTo(first.get("created"));
    assertThat(Long.parseLong(second.get("lastAccessed"))).isGreaterThanOrEqualTo(created);
    assertThat(first.get("maxInactive")).isEqualTo("1200");
    assertThat(first.get("context")).isEqualTo("true");
    assertThat(first.get("coreSession")).isEqualTo("true");
  }

  @Test
  void info_withoutCookie_andWithAForgedOne() throws Exception {
    start();
    Map<String, String> none = new Visitor().info();
    Visitor forged = new Visitor();
    forged.cookie = "not-a-valid-session-cookie";
    Map<String, String> bad = forged.info();

    assertThat(none.get("requestedId")).isEqualTo("null");
    assertThat(none.get("requestedValid")).isEqualTo("false");
    assertThat(none.get("session")).isEqualTo("none");
    assertThat(bad.get("requestedId")).matches("invalid-[0-9a-f]{16}");
    assertThat(bad.get("requestedValid")).isEqualTo("false");
    assertThat(bad.get("fromCookie")).isEqualTo("true");
    assertThat(bad.get("session")).isEqualTo("none");
    assertThat(store.calls()).isZero();
  }

  @Test
  void isNew_trueOnTheRequestThatCreatesIt() throws Exception {
    start();
    Visitor visitor = new Visitor();
    assertThat(visitor.get("/create-only").body()).isEqualTo("new=true");
    visitor.get("/set?name=a&value=1");
    assertThat(visitor.get("/create-only").body()).isEqualTo("new=false");
  }

  @Test
  void isNew_staysTrueForTheWholeRequestAfterTheFirstWriteCommits() throws Exception {
    start();
    Visitor visitor = new Visitor();

    HttpResponse<String> created = visitor.get("/new-across-first-write?name=a&value=1");
    HttpResponse<String> next = visitor.get("/new-across-first-write?name=a&value=2");

    assertThat(created.body()).isEqualTo("before=true after=true");
    assertThat(next.body()).isEqualTo("before=false after=false");
  }

  // ---- changing the id, invalidating

  @Test
  void changeSessionId_newCookieSameContentsOldCookieDead() throws Exception {
    start();
    Visitor visitor = new Visitor();
    visitor.get("/set?name=a&value=1");
    String oldCookie = visitor.cookie;

    HttpResponse<String> change = visitor.get("/change");

    assertThat(visitor.cookie).isNotNull().isNotEqualTo(oldCookie);
    assertThat(change.body()).matches("before=([0-9a-f]{32}) after=(?!\\1)[0-9a-f]{32}");
    assertThat(visitor.get("/get?name=a").body()).isEqualTo("1");
    Visitor attacker = new Visitor();
    attacker.cookie = oldCookie;
    assertThat(attacker.get("/get?name=a").body()).isEqualTo("no session");
  }

  @Test
  void changeSessionId_withoutSession_throwsIllegalState() throws Exception {
    start();
    assertThat(new Visitor().get("/change-none").body())
        .isEqualTo("ISE: changeSessionId() needs a session, and this request has none");
  }

  @Test
  void invalidate_deletesNowRemovesCookieAndKillsTheOldObject() throws Exception {
    start();
    Visitor visitor = new Visitor();
    visitor.get("/set?name=a&value=1");
    String oldCookie = visitor.cookie;
    int deletes = store.deletes();

    HttpResponse<String> response = visitor.get("/invalidate");

    assertThat(response.body())
        .isEqualTo("after=none old=ISE: getAttribute: the session has been invalidated");
    assertThat(response.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("session=;")
        .contains("Max-Age=0");
    assertThat(store.deletes() - deletes).isEqualTo(1);
    Visitor old = new Visitor();
    old.cookie = oldCookie;
    assertThat(old.get("/get?name=a").body()).isEqualTo("no session");
  }

  @Test
  void invalidate_theOldObjectKeepsItsIdAndTheNextSessionGetsAnother() throws Exception {
    start();
    Visitor visitor = new Visitor();
    visitor.get("/set?name=a&value=1");

    HttpResponse<String> response = visitor.get("/invalidate-then-new?name=b&value=2");

    assertThat(response.body()).isEqualTo("oldKeepsItsId=true newHasAnother=true");
    assertThat(visitor.get("/get?name=b").body()).isEqualTo("2");
  }

  // ---- commit before the first byte

  @Test
  void cookie_isSentWithStreamsRedirectsErrorsLargeBodiesAndEmptyBodies() throws Exception {
    start();
    for (String path :
        List.of(
            "/stream",
            "/redirect",
            "/error",
            "/big",
            "/reset",
            "/set-no-body",
            "/async",
            "/async-no-body",
            "/async-dispatch")) {
      Visitor visitor = new Visitor();
      HttpResponse<String> response = visitor.get(path + "?name=k&value=" + path.substring(1));
      assertThat(response.headers().allValues("Set-Cookie")).as(path).hasSize(1);
      assertThat(visitor.get("/get?name=k").body()).as(path).isEqualTo(path.substring(1));
    }
  }

  @Test
  void async_writesThroughTheWrapperAndCommitsOnComplete() throws Exception {
    start();
    Visitor visitor = new Visitor();
    HttpResponse<String> response = visitor.get("/async?name=k&value=v");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("async ok");
    assertThat(store.saves()).isEqualTo(1);
    assertThat(visitor.get("/get?name=k").body()).isEqualTo("v");
  }

  @Test
  void newSessionAfterTheResponseStarted_throwsTheCoresIllegalState() throws Exception {
    start();
    HttpResponse<String> response = new Visitor().get("/late?name=a&value=1");

    assertThat(response.body())
        .isEqualTo(
            "partial;ISE: The session cannot be established after the response has started: its"
                + " cookie could no longer be sent. Set session values before writing the"
                + " response.");
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(store.calls()).isZero();
  }

  @Test
  void existingSessionChangedAfterTheResponseStarted_isStillSaved() throws Exception {
    start();
    Visitor visitor = new Visitor();
    visitor.get("/set?name=a&value=1");
    HttpResponse<String> late = visitor.get("/late-existing?name=a&value=2");

    assertThat(late.body()).isEqualTo("partial;stored");
    assertThat(visitor.get("/get?name=a").body()).isEqualTo("2");
  }

  // ---- commit failures

  @Test
  void commitFailure_default_answers503WithAShortMessage() throws Exception {
    start();
    store.failWith(new IllegalStateException("test store is down"));
    HttpResponse<String> response = new Visitor().get("/set?name=a&value=1");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo(RequestCycle.UNAVAILABLE_MESSAGE);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/plain");
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(store.saves()).isEqualTo(1);
  }

  @Test
  void commitFailure_beforeABigBody_answers503AndDropsTheBody() throws Exception {
    start();
    store.failWith(new IllegalStateException("test store is down"));
    HttpResponse<String> response = new Visitor().get("/big?name=a&value=1");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo(RequestCycle.UNAVAILABLE_MESSAGE);
  }

  @Test
  void commitFailure_onRedirect_answers503() throws Exception {
    start();
    store.failWith(new IllegalStateException("test store is down"));
    HttpResponse<String> response = new Visitor().get("/redirect?name=a&value=1");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void commitFailure_logAndContinue_sendsThePageWithoutCookie() throws Exception {
    start(b -> b.commitFailure(SessionFilter.CommitFailure.LOG_AND_CONTINUE));
    store.failWith(new IllegalStateException("test store is down"));
    HttpResponse<String> response = new Visitor().get("/set?name=a&value=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
  }

  @Test
  void commitFailure_logAndContinue_triesTheStoreOncePerRequest() throws Exception {
    start(b -> b.commitFailure(SessionFilter.CommitFailure.LOG_AND_CONTINUE));
    store.failWith(new IllegalStateException("test store is down"));

    HttpResponse<String> written = new Visitor().get("/set?name=a&value=1");
    HttpResponse<String> empty = new Visitor().get("/set-no-body?name=a&value=1");

    assertThat(written.body()).isEqualTo("ok");
    assertThat(empty.statusCode()).isEqualTo(204);
    assertThat(store.saves()).isEqualTo(2);
  }

  @Test
  void loadFailure_leavesTheSessionUnavailableAndTheRequestServed() throws Exception {
    start();
    Visitor visitor = new Visitor();
    visitor.get("/set?name=a&value=1");
    store.failWith(new IllegalStateException("test store is down"));
    HttpResponse<String> response = visitor.get("/get?name=a");
    store.recover();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("no session");
    assertThat(visitor.get("/get?name=a").body()).isEqualTo("1");
  }

  /** A browser: keeps the session cookie between requests, as set by the server. */
  private final class Visitor {
    String cookie;

    HttpResponse<String> get(String path) throws Exception {
      return send(path, b -> b);
    }

    HttpResponse<String> send(String path, UnaryOperator<HttpRequest.Builder> extra)
        throws Exception {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
      if (cookie != null) {
        builder.header("Cookie", "session=" + cookie);
      }
      HttpResponse<String> response =
          http.send(extra.apply(builder).build(), HttpResponse.BodyHandlers.ofString());
      for (String setCookie : response.headers().allValues("Set-Cookie")) {
        if (setCookie.startsWith("session=")) {
          String value = setCookie.substring("session=".length(), setCookie.indexOf(';'));
          cookie = setCookie.contains("Max-Age=0") ? null : value;
        }
      }
      return response;
    }

    Map<String, String> info() throws Exception {
      Map<String, String> info = new HashMap<>();
      for (String line : get("/info").body().split("\n")) {
        int eq = line.indexOf('=');
        info.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
      return info;
    }
  }
}
