package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session behaves as ASP.NET Core's does where users rely on it: a caller's own load future is
 * theirs to cancel, every request with a valid cookie slides the idle timeout, a write the session
 * could not keep is reported, a key rotation signs nobody out, and a session may carry its own idle
 * timeout.
 */
class FidelityTest {
  private static final byte[] K1 = "k1-secret-0123456789abcdef-012345".getBytes();
  private static final byte[] K2 = "k2-secret-0123456789abcdef-012345".getBytes();
  private static final KeyRing RING = KeyRing.builder().addKey("k1", K1).build();

  private final List<SessionManager> managers = new ArrayList<>();

  private SessionManager manager(TestStore store, Consumer<SessionManager.Builder> options) {
    SessionManager.Builder b =
        SessionManager.builder().store(store).keyRing(RING).clock(new StoreClock(store));
    options.accept(b);
    SessionManager m = b.build();
    managers.add(m);
    return m;
  }

  @AfterEach
  void closeAll() {
    managers.forEach(SessionManager::close);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.onSpinWait();
    }
  }

  // ---- 1. the caller's load future is the caller's

  @Test
  void loadAsync_cancelledByCaller_commitStillRuns() {
    TestStore store = TestStore.networked();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    store.block = new CountDownLatch(1);

    SessionRequest request = browser.begin();
    CompletableFuture<Void> load = request.session().loadAsync();
    assertThat(load.cancel(true)).isTrue();
    store.block.countDown();
    request.session().setString("b", "2");
    request.finish();

    browser.run(
        s -> {
          assertThat(s.getString("a")).hasValue("1");
          assertThat(s.getString("b")).hasValue("2");
        });
  }

  @Test
  void loadAsync_cancelledByCaller_untouchedSessionFinishes() {
    TestStore store = TestStore.networked();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    store.block = new CountDownLatch(1);

    SessionRequest request = browser.begin();
    request.session().loadAsync().cancel(true);
    store.block.countDown();

    assertThat(request.finish().setCookie()).isEmpty();
    assertThat(request.session().isAvailable()).isTrue();
    assertThat(request.session().getString("a")).hasValue("1");
  }

  @Test
  void loadAsync_timedOutByCaller_sessionStateUnchanged() {
    TestStore store = TestStore.networked();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    store.block = new CountDownLatch(1);

    SessionRequest request = browser.begin();
    CompletableFuture<Void> load =
        request.session().loadAsync().orTimeout(20, TimeUnit.MILLISECONDS);
    assertThatThrownBy(load::join).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
    store.block.countDown();

    assertThat(request.session().loadAsync()).succeedsWithin(Duration.ofSeconds(10));
    assertThat(request.session().getString("a")).hasValue("1");
    request.session().setString("c", "3");
    request.finish();
    browser.run(s -> assertThat(s.getString("c")).hasValue("3"));
    assertThat(store.loads.get()).isEqualTo(2);
  }

  // ---- 2. every request with a valid cookie slides the idle timeout

  @Test
  void untouchedRequest_slidesIdleTimeout() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> b.idleTimeout(Duration.ofMillis(1500)));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("cart", "apple"));
    for (int i = 0; i < 3; i++) {
      store.elapse(Duration.ofMillis(800));
      browser.run(s -> {}); // a page that never reads the session
    }
    store.elapse(Duration.ofMillis(800));
    browser.run(s -> assertThat(s.getString("cart")).hasValue("apple"));
  }

  @Test
  void untouchedRequests_burst_touchAtMostOncePerInterval() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    assertThat(manager.touchInterval()).isEqualTo(Duration.ofMinutes(1));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    int before = store.calls();

    for (int i = 0; i < 20; i++) {
      browser.run(s -> {}); // the save has just slid it
    }
    assertThat(store.touches.get()).isZero();
    store.elapse(Duration.ofMinutes(1));
    for (int i = 0; i < 20; i++) {
      browser.run(s -> {});
    }
    assertThat(store.touches.get()).isEqualTo(1);
    store.elapse(Duration.ofSeconds(59));
    browser.run(s -> {});
    assertThat(store.touches.get()).isEqualTo(1);
    store.elapse(Duration.ofSeconds(1));
    browser.run(s -> {});
    assertThat(store.touches.get()).isEqualTo(2);
    assertThat(store.calls() - before).isEqualTo(2);
    assertThat(store.remainingTtl(storeKeyOf(browser))).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void untouchedRequest_onNodeThatNeverSawTheSession_slidesItOnce() {
    TestStore store = TestStore.inProcess();
    SessionManager first = manager(store, b -> {});
    SessionManager second = manager(store, b -> {});
    Requests browser = new Requests(first);
    browser.run(s -> s.setString("a", "1"));
    store.elapse(Duration.ofMinutes(10));
    Requests onSecond = new Requests(second);
    onSecond.cookie = browser.cookie;
    int before = store.calls();

    for (int i = 0; i < 5; i++) {
      onSecond.run(s -> {});
    }
    assertThat(store.calls() - before).isEqualTo(1);
    assertThat(store.remainingTtl(storeKeyOf(browser))).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void untouchedRequest_touchRunsOffTheResponsePath() throws Exception {
    TestStore store = TestStore.networked();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    store.elapse(Duration.ofMinutes(1));
    store.block = new CountDownLatch(1);
    try {
      CompletableFuture<SessionResponse> finished =
          CompletableFuture.supplyAsync(() -> browser.begin().finish());
      assertThat(finished.get(5, TimeUnit.SECONDS).setCookie()).isEmpty();
      awaitTrue(() -> store.touches.get() == 1);
    } finally {
      store.block.countDown();
    }
  }

  @Test
  void untouchedRequest_touchFails_listenerToldAndNextRequestTriesAgain() {
    TestStore store = TestStore.inProcess();
    RecordingListener listener = new RecordingListener();
    SessionManager manager = manager(store, b -> b.listener(listener));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    store.elapse(Duration.ofMinutes(1));
    store.failure.set(new IllegalStateException("connection reset"));

    assertThat(browser.run(s -> {}).setCookie()).isEmpty(); // the request does not fail
    assertThat(listener.events).endsWith("failed touch");
    store.failure.set(null);
    browser.run(s -> {});
    assertThat(store.touches.get()).isEqualTo(2);
    assertThat(store.remainingTtl(storeKeyOf(browser))).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void loadedRequest_isNotTouchedAgain() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    browser.run(s -> s.getString("a"));
    browser.run(s -> s.loadAsync().join());
    assertThat(store.touches.get()).isZero();
    assertThat(store.loads.get()).isEqualTo(2);
  }

  @Test
  void untouchedRequest_withoutCookie_callsNoStore() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    new Requests(manager).run(s -> {});
    assertThat(store.calls()).isZero();
  }

  @Test
  void touchInterval_defaultIsOneTwentiethOfIdleTimeout_andConfigurable() {
    TestStore store = TestStore.inProcess();
    assertThat(manager(store, b -> b.idleTimeout(Duration.ofMinutes(40))).touchInterval())
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(manager(store, b -> b.touchInterval(Duration.ofSeconds(5))).touchInterval())
        .isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> SessionManager.builder().touchInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("touchInterval must be positive: PT0S");
    assertThatThrownBy(
            () ->
                SessionManager.builder()
                    .store(store)
                    .idleTimeout(Duration.ofMinutes(5))
                    .touchInterval(Duration.ofMinutes(5))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("touchInterval must be shorter than idleTimeout (PT5M): PT5M");
  }

  // ---- 3. a write the session could not keep is reported

  @Test
  void writeDroppedByFailedLoad_finishFailsWithStoreError() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("cart", "apple"));
    store.failure.set(new IllegalStateException("connection refused"));

    SessionRequest request = browser.begin();
    Session session = request.session();
    String cart = session.getString("cart").orElse("");
    session.setString("cart", cart + ",pear");
    assertThat(session.isAvailable()).isFalse();

    assertThatThrownBy(request::finish)
        .isInstanceOf(SessionStoreException.class)
        .hasMessage(
            "test store failed to commit: the session could not be loaded, so 1 change made by"
                + " this request was not kept")
        .cause()
        .isInstanceOf(SessionStoreException.class)
        .hasMessage(
            "test store failed to load: java.lang.IllegalStateException: connection refused");
    store.failure.set(null);
    browser.run(s -> assertThat(s.getString("cart")).hasValue("apple"));
  }

  @Test
  void readOnlyRequest_afterFailedLoad_finishesWithoutError() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("cart", "apple"));
    store.failure.set(new IllegalStateException("connection refused"));

    SessionRequest request = browser.begin();
    assertThat(request.session().getString("cart")).isEmpty();
    assertThat(request.finish().setCookie()).isEmpty();
  }

  // ---- 4. key rotation signs nobody out

  @Test
  void cookieUnderOldKey_reissuedUnderPrimary_retiringOldKeyLosesNoActiveSession() {
    TestStore store = TestStore.networked(); // blob integrity on: blobs are signed too
    KeyRing k2PrimaryK1 = KeyRing.builder().addKey("k2", K2).addKey("k1", K1).build();
    KeyRing k2Only = KeyRing.builder().addKey("k2", K2).build();
    SessionManager before = manager(store, b -> {});
    SessionManager rotated = manager(store, b -> b.keyRing(k2PrimaryK1));
    SessionManager retired = manager(store, b -> b.keyRing(k2Only));
    assertThat(before.blobIntegrity()).isTrue();

    List<Requests> visitors = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Requests visitor = new Requests(before);
      String value = "v" + i;
      visitor.run(s -> s.setString("user", value));
      assertThat(visitor.cookie).contains(".k1.");
      visitors.add(visitor);
    }
    for (int i = 0; i < visitors.size(); i++) {
      Requests onRotated = new Requests(rotated);
      onRotated.cookie = visitors.get(i).cookie;
      int kind = i % 3;
      SessionResponse response =
          onRotated.run(
              s -> {
                if (kind == 1) {
                  s.getString("user"); // read-only
                } else if (kind == 2) {
                  s.setInt32("visits", 2); // modifying
                } // kind 0: a page that never reads the session
              });
      assertThat(Requests.cookieValue(response))
          .as("visitor %d (request kind %d) gets a cookie under the primary key", i, kind)
          .hasValueSatisfying(v -> assertThat(v).contains(".k2."));
      visitors.get(i).cookie = onRotated.cookie;
    }
    for (int i = 0; i < visitors.size(); i++) {
      Requests onRetired = new Requests(retired);
      onRetired.cookie = visitors.get(i).cookie;
      String expected = "v" + i;
      onRetired.run(s -> assertThat(s.getString("user")).hasValue(expected));
    }
  }

  @Test
  void cookieUnderPrimaryKey_notReissued() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    assertThat(browser.run(s -> s.getString("a")).setCookie()).isEmpty();
    assertThat(browser.run(s -> {}).setCookie()).isEmpty();
  }

  // ---- 9. a session's own idle timeout

  @Test
  void setIdleTimeout_persistedWithSession_andHonouredAtEveryStoreCall() {
    TestStore store = TestStore.networked();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(
        s -> {
          s.setString("user", "ada");
          assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(20));
          s.setIdleTimeout(Duration.ofHours(8));
          assertThat(s.idleTimeout()).isEqualTo(Duration.ofHours(8));
        });
    String key = storeKeyOf(browser);
    assertThat(store.remainingTtl(key)).isEqualTo(Duration.ofHours(8));

    store.elapse(Duration.ofHours(1));
    browser.run(s -> assertThat(s.idleTimeout()).isEqualTo(Duration.ofHours(8)));
    awaitTrue(() -> store.remainingTtl(key).equals(Duration.ofHours(8)));

    store.elapse(Duration.ofHours(1));
    browser.run(s -> {}); // never reads the session
    awaitTrue(() -> store.remainingTtl(key).equals(Duration.ofHours(8)));

    // Other nodes have never seen the session: what they slide it by comes from its blob.
    Requests onSecond = new Requests(manager(store, b -> {}));
    onSecond.cookie = browser.cookie;
    store.elapse(Duration.ofHours(1));
    onSecond.run(s -> assertThat(s.getString("user")).hasValue("ada"));
    awaitTrue(() -> store.remainingTtl(key).equals(Duration.ofHours(8)));

    Requests onThird = new Requests(manager(store, b -> {}));
    onThird.cookie = browser.cookie;
    store.elapse(Duration.ofHours(1));
    onThird.run(s -> {}); // never reads the session
    awaitTrue(() -> store.remainingTtl(key).equals(Duration.ofHours(8)));

    store.elapse(Duration.ofHours(7));
    browser.run(s -> assertThat(s.getString("user")).hasValue("ada"));
  }

  @Test
  void setIdleTimeout_persistentCookieFollowingIdleTimeout_getsTheSessionsOwnMaxAge() {
    TestStore store = TestStore.inProcess();
    Consumer<SessionManager.Builder> persistent =
        b -> b.cookie(CookieOptions.builder().maxAgeFollowsIdleTimeout().build());
    SessionManager manager = manager(store, persistent);
    Requests browser = new Requests(manager);
    SessionResponse created =
        browser.run(
            s -> {
              s.setString("user", "ada");
              s.setIdleTimeout(Duration.ofHours(8));
            });
    assertThat(created.setCookie()).get().asString().contains("; Max-Age=28800");
    assertThat(browser.run(s -> s.getString("user")).setCookie())
        .get()
        .asString()
        .contains("; Max-Age=28800");
    assertThat(browser.run(s -> {}).setCookie()).get().asString().contains("; Max-Age=28800");

    // A node that has not seen the session learns its timeout from the blob before it refreshes the
    // cookie, never shortening it to the manager's 20 minutes: an in-process store's load is done
    // by then; a networked store's node, which does not wait for it, leaves the cookie as it is.
    Requests onSecond = new Requests(manager(store, persistent));
    onSecond.cookie = browser.cookie;
    assertThat(onSecond.run(s -> {}).setCookie()).get().asString().contains("; Max-Age=28800");
    assertThat(onSecond.run(s -> s.getString("user")).setCookie())
        .get()
        .asString()
        .contains("; Max-Age=28800");
  }

  @Test
  void persistentCookieFollowingIdleTimeout_untouchedOnNodeThatNeverSawIt_leftAsItIs() {
    TestStore store = TestStore.networked();
    Consumer<SessionManager.Builder> persistent =
        b -> b.cookie(CookieOptions.builder().maxAgeFollowsIdleTimeout().build());
    Requests browser = new Requests(manager(store, persistent));
    browser.run(
        s -> {
          s.setString("user", "ada");
          s.setIdleTimeout(Duration.ofHours(8));
        });
    Requests onSecond = new Requests(manager(store, persistent));
    onSecond.cookie = browser.cookie;
    store.block = new CountDownLatch(1);
    try {
      assertThat(onSecond.run(s -> {}).setCookie()).isEmpty();
    } finally {
      store.block.countDown();
    }
    awaitTrue(() -> store.loads.get() == 1);
  }

  @Test
  void setIdleTimeout_belowMinimum_rejected() {
    SessionManager manager = manager(TestStore.inProcess(), b -> {});
    Session session = manager.begin(null, false, () -> false).session();
    assertThat(Session.MIN_IDLE_TIMEOUT).isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> session.setIdleTimeout(Duration.ofSeconds(59)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout must be at least PT1M: PT59S");
    assertThatThrownBy(() -> session.setIdleTimeout(Duration.ofDays(366)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout must be at most PT8760H: PT8784H");
    assertThatThrownBy(() -> session.setIdleTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("idleTimeout");
  }

  @Test
  void setIdleTimeout_neverExpire_rejected() {
    SessionManager manager = manager(TestStore.inProcess(), b -> {});
    Session session = manager.begin(null, false, () -> false).session();
    assertThatThrownBy(() -> session.setIdleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "idleTimeout must be positive: sessions that never expire are not supported: PT0S");
    assertThatThrownBy(() -> session.setIdleTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "idleTimeout must be positive: sessions that never expire are not supported: PT-1S");
  }

  @Test
  void setIdleTimeout_shorterThanManagers_expiresTheSessionSooner() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(
        s -> {
          s.setString("user", "ada");
          s.setIdleTimeout(Duration.ofMinutes(5));
        });
    store.elapse(Duration.ofMinutes(4));
    browser.run(s -> assertThat(s.getString("user")).hasValue("ada"));
    store.elapse(Duration.ofMinutes(4));
    browser.run(s -> s.getString("user"));
    store.elapse(Duration.ofMinutes(6));
    browser.run(s -> assertThat(s.getString("user")).isEmpty());
  }

  private static String storeKeyOf(Requests browser) {
    return browser.cookie.substring(0, browser.cookie.indexOf('.'));
  }
}
