package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.tck.CountingSessionStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The session's own fidelity items seen through the filter: a handler that cancels or times out its
 * load, the idle timeout that slides on requests that never read the session, writes dropped by a
 * failed load, key rotation without signing anyone out, and the per-session timeout. Each is a test
 * named after it, through real HTTP on Jetty 12 and Tomcat 11; a subclass names the store.
 */
abstract class SessionItemScenarios {
  private SessionManager manager;

  /** The store of the running test, counted, and able to fail on demand. */
  private CountingSessionStore store;

  /** The expiry of the store's last load, save or touch. */
  private TtlRecordingStore ttls;

  /** Managers a test made over the same store, as other nodes or other key rings. */
  private final List<SessionManager> otherManagers = new ArrayList<>();

  private ServletContainer server;

  /** A new store for one test, empty of other tests' sessions. */
  abstract SessionStore newStore();

  private ServletContainer start(
      ServletContainer.Kind kind, UnaryOperator<SessionManager.Builder> options) throws Exception {
    manager =
        options
            .apply(
                SessionManager.builder()
                    .store(
                        store = CountingSessionStore.wrap(ttls = new TtlRecordingStore(newStore())))
                    .keyRing(KeyRing.generate()))
            .build();
    server =
        kind.start(
            SessionFilter.builder(manager).build(),
            new ScenarioServlet.OuterFilter(),
            new ScenarioServlet());
    return server;
  }

  private ServletContainer start(ServletContainer.Kind kind) throws Exception {
    return start(kind, b -> b);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (server != null) {
        assertThat(server.containerSessionsCreated()).as("container sessions").isZero();
        server.close();
      }
    } finally {
      if (manager != null) {
        manager.close();
      }
      otherManagers.forEach(SessionManager::close);
    }
  }

  // ---- a handler cancels or times out its load

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void loadAsyncCancelledByTheHandler_theRequestEndsNormallyAndTheSessionIsUnchanged(
      ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=cart&value=apple");

    HttpResponse<String> cancelled = browser.get("/cancel-load");

    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(cancelled.body()).isEqualTo("cancelled");
    assertThat(cancelled.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(browser.get("/get?name=cart").body()).isEqualTo("apple");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void loadAsyncTimedOutByTheHandler_itsLaterWriteIsCommitted(ServletContainer.Kind kind)
      throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=cart&value=apple");

    HttpResponse<String> written = browser.get("/time-out-load-then-set?name=cart&value=pear");

    assertThat(written.statusCode()).isEqualTo(200);
    assertThat(written.body()).isEqualTo("ok");
    assertThat(browser.get("/get?name=cart").body()).isEqualTo("pear");
  }

  // ---- the idle timeout slides on requests that never read the session

  /**
   * Ten requests at once that never read the session, once the touch interval has passed since it
   * was stored: one touch slides it, the others send nothing. The manager's clock moves past the
   * interval; the store's own expiry is far off.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void untouchedRequests_burst_touchAtMostOncePerInterval(ServletContainer.Kind kind)
      throws Exception {
    TestTime time = TestTime.at(Instant.now());
    Browser browser = new Browser(start(kind, b -> b.clock(time)));
    browser.get("/set?name=cart&value=apple");
    time.advance(manager.touchInterval());
    int touches = store.touches();
    ExecutorService clients = Executors.newFixedThreadPool(10);
    try {
      List<Future<HttpResponse<String>>> pages = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        Browser same = new Browser(server);
        same.cookie = browser.cookie;
        pages.add(clients.submit((Callable<HttpResponse<String>>) () -> same.get("/nothing")));
      }
      for (Future<HttpResponse<String>> page : pages) {
        assertThat(page.get().body()).isEqualTo("hello");
      }
    } finally {
      clients.shutdownNow();
    }
    // A touch nobody waits for may land just after the last response.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (store.touches() == touches && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }

    assertThat(store.touches() - touches).isEqualTo(1);
    assertThat(browser.get("/nothing").body()).isEqualTo("hello");
    assertThat(store.touches() - touches).as("within the same interval").isEqualTo(1);
  }

  private static final byte[] K1 = "k1-secret-0123456789abcdef-012345".getBytes();
  private static final byte[] K2 = "k2-secret-0123456789abcdef-012345".getBytes();

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void writeDroppedByFailedLoad_answers503(ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=cart&value=apple");
    store.failWith(new IllegalStateException("store is down"));

    HttpResponse<String> added = browser.get("/set?name=cart&value=pear");

    assertThat(added.statusCode()).isEqualTo(503);
    assertThat(added.body()).isEqualTo(RequestCycle.UNAVAILABLE_MESSAGE);
    store.recover();
    assertThat(browser.get("/get?name=cart").body()).isEqualTo("apple");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void readOnlyRequest_afterFailedLoad_answers200(ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=cart&value=apple");
    store.failWith(new IllegalStateException("store is down"));

    HttpResponse<String> read = browser.get("/get?name=cart");

    assertThat(read.statusCode()).isEqualTo(200);
    store.recover();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void untouchedRequest_slidesIdleTimeout(ServletContainer.Kind kind) throws Exception {
    Browser browser = new Browser(start(kind, b -> b.idleTimeout(Duration.ofMillis(1500))));
    browser.get("/set?name=cart&value=apple");
    for (int i = 0; i < 3; i++) {
      Thread.sleep(800);
      assertThat(browser.get("/nothing").body()).isEqualTo("hello");
    }
    Thread.sleep(800);

    assertThat(browser.get("/get?name=cart").body()).isEqualTo("apple");
    assertThat(store.touches()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void cookieUnderOldKey_reissuedUnderPrimary_retiringOldKeyLosesNoActiveSession(
      ServletContainer.Kind kind) throws Exception {
    Browser browser =
        new Browser(
            start(
                kind, b -> b.keyRing(KeyRing.builder().addKey("k2", K2).addKey("k1", K1).build())));
    SessionManager before = otherNode(KeyRing.builder().addKey("k1", K1).build());
    SessionManager retired = otherNode(KeyRing.builder().addKey("k2", K2).build());
    SessionRequest first = before.begin(null, false, () -> false);
    first.session().setString("user", "ada");
    String setCookie = first.finish().setCookie().orElseThrow();
    browser.cookie = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    assertThat(browser.cookie).contains(".k1.");

    HttpResponse<String> page = browser.get("/nothing");

    assertThat(page.headers().allValues("Set-Cookie")).hasSize(1);
    assertThat(browser.cookie).contains(".k2.");
    SessionRequest after = retired.beginWithCookieValue(browser.cookie, false, () -> false);
    assertThat(after.session().getString("user")).hasValue("ada");
  }

  /**
   * Fifty visitors whose cookies were signed under k1 each make one request under the ring {k2
   * primary, k1}: a page that never reads the session, a read or a write. Each is re-issued its
   * cookie under k2, and when k1 is retired every session is still there.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void keyRotation_fiftyVisitorsOneRequestEach_retiringTheOldKeyLosesNoSession(
      ServletContainer.Kind kind) throws Exception {
    start(kind, b -> b.keyRing(KeyRing.builder().addKey("k2", K2).addKey("k1", K1).build()));
    SessionManager before = otherNode(KeyRing.builder().addKey("k1", K1).build());
    SessionManager retired = otherNode(KeyRing.builder().addKey("k2", K2).build());
    List<Browser> visitors = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      SessionRequest first = before.begin(null, false, () -> false);
      first.session().setString("user", "visitor-" + i);
      String setCookie = first.finish().setCookie().orElseThrow();
      Browser visitor = new Browser(server);
      visitor.cookie = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
      visitors.add(visitor);
    }

    for (int i = 0; i < visitors.size(); i++) {
      String path =
          switch (i % 3) {
            case 0 -> "/nothing";
            case 1 -> "/get?name=user";
            default -> "/set?name=cart&value=apple";
          };
      assertThat(visitors.get(i).get(path).statusCode()).isEqualTo(200);
    }

    for (int i = 0; i < visitors.size(); i++) {
      String cookie = visitors.get(i).cookie;
      assertThat(cookie).as("visitor %d's cookie", i).contains(".k2.");
      SessionRequest after = retired.beginWithCookieValue(cookie, false, () -> false);
      assertThat(after.session().getString("user")).hasValue("visitor-" + i);
      after.finish();
    }
  }

  /** Another manager over the running test's store, as another node would be. */
  private SessionManager otherNode(KeyRing ring) {
    SessionManager other = SessionManager.builder().store(store).keyRing(ring).build();
    otherManagers.add(other);
    return other;
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void setMaxInactiveInterval_persistedWithSessionAndHonouredByTheStore(ServletContainer.Kind kind)
      throws Exception {
    Browser browser = new Browser(start(kind));
    browser.get("/set?name=user&value=ada");

    assertThat(browser.get("/max?value=7200").body()).isEqualTo("max=7200");
    assertThat(ttls.lastTtl).isEqualTo(Duration.ofHours(2));
    assertThat(browser.get("/max-get").body()).isEqualTo("7200");
    assertThat(ttls.lastTtl).isEqualTo(Duration.ofHours(2));
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void setMaxInactiveInterval_belowMinimumOrNeverExpire_rejected(ServletContainer.Kind kind)
      throws Exception {
    Browser browser = new Browser(start(kind));
    for (String interval : List.of("0", "-1", "59")) {
      assertThat(browser.get("/max?value=" + interval).body())
          .isEqualTo(
              "IAE: setMaxInactiveInterval("
                  + interval
                  + "): the interval must be from 60 to 31536000 seconds; a session that never"
                  + " expires (0 or less) is not supported");
    }
  }
}
