package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One test or more for every rule of the session model (DESIGN.md section 3), named after it. */
class SessionRulesTest {
  private static final KeyRing RING =
      KeyRing.builder().addKey("k1", "0123456789abcdef0123456789abcdef".getBytes()).build();

  private TestStore store = TestStore.inProcess();
  private SessionManager manager = manager(store, b -> {});

  private SessionManager manager(
      TestStore s, java.util.function.Consumer<SessionManager.Builder> c) {
    SessionManager.Builder b =
        SessionManager.builder().store(s).keyRing(RING).clock(new StoreClock(s));
    c.accept(b);
    return b.build();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** A browser with one stored session holding a=1. */
  private Requests browserWithSession() {
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    assertThat(browser.cookie).isNotNull();
    return browser;
  }

  // ---- load

  @Test
  void load_fetchesOnceAndSlidesIdleTimeoutInTheSameCall() {
    Requests browser = browserWithSession();
    store.elapse(Duration.ofMinutes(15));
    int before = store.calls();
    SessionRequest request = browser.begin();
    request.session().loadAsync().join();
    request.session().loadAsync().join();
    assertThat(request.session().getString("a")).contains("1");
    request.finish();
    assertThat(store.calls() - before).isEqualTo(1);
    assertThat(store.loads.get()).isEqualTo(1);
    String key = store.keys().iterator().next();
    assertThat(store.remainingTtl(key)).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void isNewAndCreatedAt_newUntilStored_thenTheStoredCreationTime() {
    Requests browser = new Requests(manager);
    List<java.time.Instant> created = new ArrayList<>();
    browser.run(
        s -> {
          assertThat(s.isNew()).isTrue();
          s.setString("a", "1");
          assertThat(s.isNew()).isTrue();
          created.add(s.createdAt());
        });
    store.elapse(Duration.ofMinutes(5));
    browser.run(
        s -> {
          assertThat(s.isNew()).isFalse();
          assertThat(s.createdAt()).isEqualTo(created.get(0));
          s.invalidate();
          assertThat(s.isNew()).isTrue();
        });
    assertThat(store.loads.get()).isEqualTo(1);
  }

  @Test
  void load_implicitOnFirstAccess() {
    Requests browser = browserWithSession();
    SessionRequest request = browser.begin();
    assertThat(request.session().getString("a")).contains("1");
    assertThat(store.loads.get()).isEqualTo(1);
  }

  @Test
  void load_requireExplicitLoad_accessBeforeLoadThrows() {
    manager.close();
    store = TestStore.inProcess();
    manager = manager(store, b -> b.requireExplicitLoad(true));
    SessionRequest request = manager.begin(null, false, () -> false);
    assertThatThrownBy(() -> request.session().getString("a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("session accessed before loadAsync() completed, and requireExplicitLoad is on");
    request.session().loadAsync().join();
    assertThat(request.session().getString("a")).isEmpty();
  }

  @Test
  void load_newSessionWithoutCookie_costsNoRoundTrip() {
    SessionRequest request = manager.begin(null, false, () -> false);
    request.session().loadAsync().join();
    assertThat(request.session().keys()).isEmpty();
    request.finish();
    assertThat(store.calls()).isZero();
  }

  // ---- failed load

  @Test
  void failedLoad_async_failsWithStoreError() {
    Requests browser = browserWithSession();
    store.failure.set(new IllegalStateException("connection refused"));
    SessionRequest request = browser.begin();
    assertThatThrownBy(() -> request.session().loadAsync().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SessionStoreException.class)
        .hasMessage(
            "test store failed to load: java.lang.IllegalStateException: connection refused");
  }

  @Test
  void failedLoad_implicit_leavesSessionUnavailable_readsEmpty_writesNotKeptAndReported() {
    Requests browser = browserWithSession();
    store.failure.set(new IllegalStateException("down"));
    SessionRequest request = browser.begin();
    Session session = request.session();
    assertThat(session.getString("a")).isEmpty();
    assertThat(session.isAvailable()).isFalse();
    session.setString("b", "2");
    assertThat(session.keys()).isEmpty();
    store.failure.set(null);
    assertThatThrownBy(request::finish)
        .isInstanceOf(SessionStoreException.class)
        .hasMessage(
            "test store failed to commit: the session could not be loaded, so 1 change made by"
                + " this request was not kept");
    // Nothing written over the real session, which is intact.
    assertThat(store.saves.get()).isEqualTo(1);
    browser.run(s -> assertThat(s.getString("a")).contains("1"));
  }

  // ---- commit

  @Test
  void commit_modified_writesWholeSessionWithIdleTimeout() {
    Requests browser = browserWithSession();
    browser.run(s -> s.setString("b", "2"));
    assertThat(store.saves.get()).isEqualTo(2);
    String key = store.keys().iterator().next();
    assertThat(store.remainingTtl(key)).isEqualTo(Duration.ofMinutes(20));
    browser.run(
        s -> {
          assertThat(s.getString("a")).contains("1");
          assertThat(s.getString("b")).contains("2");
        });
  }

  @Test
  void commit_unmodifiedAfterLoad_sendsNothing() {
    Requests browser = browserWithSession();
    int before = store.calls();
    browser.run(s -> s.getString("a"));
    assertThat(store.calls() - before).isEqualTo(1); // the load alone
    assertThat(store.saves.get() + store.touches.get()).isEqualTo(1); // the first request's save
  }

  @Test
  void commit_failed_failsTheFutureWithStoreError() {
    SessionRequest request = manager.begin(null, false, () -> false);
    request.session().setString("a", "1");
    store.failure.set(new IllegalStateException("disk full"));
    assertThatThrownBy(request::finish)
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("test store failed to save: java.lang.IllegalStateException: disk full");
  }

  @Test
  void commit_readOnlyRequestIsOneRoundTrip_modifiedIsTwo_untouchedIsZero() {
    Requests browser = browserWithSession();
    int before = store.calls();
    browser.run(s -> {});
    assertThat(store.calls() - before).as("untouched").isZero();
    before = store.calls();
    browser.run(s -> s.getString("a"));
    assertThat(store.calls() - before).as("read-only").isEqualTo(1);
    before = store.calls();
    browser.run(s -> s.setString("a", "2"));
    assertThat(store.calls() - before).as("modified").isEqualTo(2);
  }

  // ---- coherent, last writer wins

  @Test
  void lastWriterWins_concurrentCommitsLeaveExactlyTheLastCommittersContents() {
    Requests browser = browserWithSession();
    SessionRequest first = browser.begin();
    SessionRequest second = browser.begin();
    first.session().setString("x", "first");
    second.session().setString("y", "second");
    first.finish();
    second.finish();
    browser.run(
        s -> {
          assertThat(s.keys()).containsExactly("a", "y");
          assertThat(s.getString("y")).contains("second");
        });
  }

  // ---- empty sessions

  @Test
  void emptySession_neverWritten_noEntryAndNoCookie() {
    for (int i = 0; i < 100_000; i++) {
      SessionRequest request = manager.begin(null, false, () -> false);
      request.session().getString("anything");
      request.session().keys();
      SessionResponse response = request.finish();
      if (response.setCookie().isPresent()) {
        throw new AssertionError("request " + i + " set a cookie");
      }
    }
    assertThat(store.size()).isZero();
    assertThat(store.calls()).isZero();
  }

  @Test
  void emptySession_setThenRemoved_storesNothingAndSetsNoCookie() {
    SessionResponse response =
        new Requests(manager)
            .run(
                s -> {
                  s.setString("a", "1");
                  s.remove("a");
                });
    assertThat(response.setCookie()).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void emptySession_clearedStoredSession_isDeletedFromStore() {
    Requests browser = browserWithSession();
    browser.run(Session::clear);
    assertThat(store.size()).isZero();
    assertThat(store.deletes.get()).isEqualTo(1);
  }

  // ---- expired session

  @Test
  void expiredSession_default_startsEmptyUnderTheSameKey() {
    Requests browser = browserWithSession();
    String cookie = browser.cookie;
    store.elapse(Duration.ofMinutes(21));
    SessionResponse response =
        browser.run(
            s -> {
              assertThat(s.keys()).isEmpty();
              s.setString("b", "2");
            });
    assertThat(response.setCookie()).isEmpty(); // the browser already holds this key
    assertThat(browser.cookie).isEqualTo(cookie);
    browser.run(s -> assertThat(s.getString("b")).contains("2"));
  }

  @Test
  void expiredSession_renewUnknownKeys_issuesAFreshKey() {
    manager.close();
    store = TestStore.inProcess();
    manager = manager(store, b -> b.renewUnknownKeys(true));
    Requests browser = browserWithSession();
    String cookie = browser.cookie;
    store.elapse(Duration.ofMinutes(21));
    SessionResponse response = browser.run(s -> s.setString("b", "2"));
    assertThat(Requests.cookieValue(response)).isPresent().get().isNotEqualTo(cookie);
    assertThat(store.size()).isEqualTo(1);
  }

  // ---- idle timeout

  @Test
  void idleTimeout_defaultTwentyMinutes_slidOnEveryLoad() {
    assertThat(manager.idleTimeout()).isEqualTo(Duration.ofMinutes(20));
    Requests browser = browserWithSession();
    for (int i = 0; i < 5; i++) {
      store.elapse(Duration.ofMinutes(19));
      browser.run(s -> assertThat(s.getString("a")).contains("1"));
    }
    store.elapse(Duration.ofMinutes(20));
    browser.run(s -> assertThat(s.keys()).isEmpty());
  }

  // ---- I/O timeout

  @Test
  void ioTimeout_defaultOneMinute_andInfiniteConstantDisablesIt() {
    assertThat(manager.ioTimeout()).isEqualTo(Duration.ofMinutes(1));
    SessionManager infinite =
        manager(TestStore.networked(), b -> b.ioTimeout(SessionManager.INFINITE_TIMEOUT));
    assertThat(infinite.ioTimeout()).isEqualTo(SessionManager.INFINITE_TIMEOUT);
    assertThat(infinite.toString()).contains("ioTimeout=infinite");
    infinite.close();
  }

  @Test
  void ioTimeout_storeThatHangs_failsWithTimeoutException() {
    TestStore slow = TestStore.networked();
    SessionManager timed = manager(slow, b -> b.ioTimeout(Duration.ofMillis(50)));
    try {
      Requests browser = new Requests(timed);
      browser.run(s -> s.setString("a", "1"));
      slow.block = new CountDownLatch(1);
      SessionRequest request = browser.begin();
      assertThatThrownBy(() -> request.session().loadAsync().join())
          .cause()
          .isInstanceOf(SessionTimeoutException.class)
          .hasMessage("session load did not finish within the I/O timeout of PT0.05S");
      slow.block.countDown();
    } finally {
      timed.close();
    }
  }

  @Test
  void ioTimeout_networkedStore_asyncCallsRunOnExecutor_synchronousOnesOnTheCaller() {
    TestStore networked = TestStore.networked();
    List<String> threads = new ArrayList<>();
    SessionManager m =
        manager(
            networked,
            b ->
                b.executor(
                    r -> {
                      threads.add("executor");
                      r.run();
                    }));
    Requests browser = new Requests(m);
    browser.run(s -> s.setString("a", "1")); // finish(): on the caller's thread
    assertThat(threads).isEmpty();
    SessionRequest request = browser.begin();
    request.session().loadAsync().join();
    request.session().setString("a", "2");
    request.finishAsync().join();
    assertThat(threads).containsExactly("executor", "executor");
    m.close();
  }

  @Test
  void ioTimeout_inProcessStore_runsInlineWithNoExecutorHop() {
    TestStore local = TestStore.inProcess();
    List<String> hops = new ArrayList<>();
    SessionManager m = manager(local, b -> b.executor(r -> hops.add("hop")));
    Requests browser = new Requests(m);
    browser.run(s -> s.setString("a", "1"));
    browser.run(s -> s.setString("a", "2"));
    assertThat(hops).isEmpty();
    assertThat(local.saves.get()).isEqualTo(2);
    m.close();
  }

  // ---- absolute lifetime

  @Test
  void absoluteLifetime_offByDefault() {
    assertThat(manager.absoluteLifetime()).isEmpty();
    Requests browser = browserWithSession();
    for (int i = 0; i < 100; i++) {
      store.elapse(Duration.ofMinutes(19));
      browser.run(s -> s.setInt32("n", 1));
    }
    browser.run(s -> assertThat(s.getString("a")).contains("1"));
  }

  @Test
  void absoluteLifetime_expiresActiveSessionAndIssuesFreshKey() {
    manager.close();
    store = TestStore.inProcess();
    manager = manager(store, b -> b.absoluteLifetime(Duration.ofHours(1)));
    Requests browser = browserWithSession();
    String oldCookie = browser.cookie;
    for (int i = 0; i < 5; i++) {
      store.elapse(Duration.ofMinutes(10));
      browser.run(s -> s.setInt32("n", 1));
    }
    // The stored expiry never reaches past the absolute deadline.
    String key = store.keys().iterator().next();
    assertThat(store.remainingTtl(key)).isEqualTo(Duration.ofMinutes(10));
    store.elapse(Duration.ofMinutes(9));
    browser.run(s -> assertThat(s.getString("a")).contains("1"));
    store.elapse(Duration.ofMinutes(1));
    SessionResponse response =
        browser.run(
            s -> {
              assertThat(s.keys()).isEmpty();
              s.setString("fresh", "1");
            });
    assertThat(Requests.cookieValue(response)).isPresent().get().isNotEqualTo(oldCookie);
    assertThat(store.size()).isEqualTo(1);
  }

  // ---- keys and values

  @Test
  void keysAndValues_copiedInAndOut() {
    Requests browser = new Requests(manager);
    byte[] value = {1, 2, 3};
    browser.run(
        s -> {
          s.set("v", value);
          value[0] = 9;
          s.tryGetValue("v").get()[1] = 9;
          assertThat(s.tryGetValue("v")).get().isEqualTo(new byte[] {1, 2, 3});
        });
  }

  @Test
  void keysAndValues_keyOver65535Utf8Bytes_rejected() {
    Session s = manager.begin(null, false, () -> false).session();
    String ok = "é".repeat(32767) + "a"; // 65,535 bytes
    s.set(ok, new byte[0]);
    String tooLong = "é".repeat(32768);
    assertThatThrownBy(() -> s.set(tooLong, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("session keys are limited to 65535 UTF-8 bytes: key \"")
        .hasMessageEndingWith("...\" is 65536");
  }

  @Test
  void keysAndValues_nullsRejected() {
    Session s = manager.begin(null, false, () -> false).session();
    assertThatThrownBy(() -> s.set(null, new byte[0]))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key");
    assertThatThrownBy(() -> s.set("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value");
  }

  @Test
  void keysAndValues_valueOverMaxValueSize_rejectedAtSet() {
    manager.close();
    store = TestStore.inProcess();
    manager = manager(store, b -> b.maxValueSize(10));
    Session s = manager.begin(null, false, () -> false).session();
    assertThatThrownBy(() -> s.set("big", new byte[11]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value for key \"big\" is 11 bytes, over maxValueSize of 10");
    assertThat(s.keys()).isEmpty();
  }

  @Test
  void keysAndValues_sessionOverMaxSessionSize_rejectedAtSetAndNothingLost() {
    manager.close();
    store = TestStore.inProcess();
    manager = manager(store, b -> b.maxSessionSize(100));
    Requests browser = new Requests(manager);
    browser.run(s -> s.set("a", new byte[40]));
    browser.run(
        s ->
            assertThatThrownBy(() -> s.set("b", new byte[40]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                    "setting key \"b\" would make the session 124 bytes, over maxSessionSize of"
                        + " 100"));
    browser.run(s -> assertThat(s.keys()).containsExactly("a"));
  }

  @Test
  void keysAndValues_typedHelpers_stringsIntsLongs() {
    Requests browser = new Requests(manager);
    browser.run(
        s -> {
          s.setString("s", "héllo");
          s.setInt32("i", 0x01020304);
          s.setLong("l", -2L);
        });
    browser.run(
        s -> {
          assertThat(s.getString("s")).contains("héllo");
          assertThat(s.tryGetValue("s")).get().isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
          assertThat(s.tryGetValue("i")).get().isEqualTo(new byte[] {1, 2, 3, 4});
          assertThat(s.getInt32("i")).contains(0x01020304);
          assertThat(s.getLong("l")).contains(-2L);
          assertThat(s.getInt32("l")).isEmpty(); // 8 bytes are not an int
          assertThat(s.getLong("missing")).isEmpty();
        });
  }

  @Test
  void keysAndValues_objectsWithoutCodec_throwNamingTheOption() {
    Session s = manager.begin(null, false, () -> false).session();
    assertThatThrownBy(() -> s.setObject("o", List.of(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "no valueCodec configured: set SessionManager.Builder.valueCodec(...) to store objects");
  }

  @Test
  void keysAndValues_objectsThroughValueCodec() {
    manager.close();
    store = TestStore.inProcess();
    ValueCodec utf8 =
        new ValueCodec() {
          @Override
          public byte[] encode(Object value) {
            return value.toString().getBytes(StandardCharsets.UTF_8);
          }

          @Override
          public <T> T decode(byte[] bytes, Class<T> type) {
            return type.cast(new StringBuilder(new String(bytes, StandardCharsets.UTF_8)));
          }
        };
    manager = manager(store, b -> b.valueCodec(utf8));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setObject("o", 42));
    browser.run(
        s ->
            assertThat(s.getObject("o", StringBuilder.class).map(Object::toString)).contains("42"));
  }

  @Test
  void keysAndValues_loneSurrogateKey_rejected() {
    Session s = manager.begin(null, false, () -> false).session();
    assertThatThrownBy(() -> s.set("a\uD800", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("session key is not valid Unicode: lone surrogate at index 1");
  }

  // ---- id

  @Test
  void id_randomStableForTheLifeOfTheSession_andDistinctFromTheCookieKey() {
    Requests browser = new Requests(manager);
    String[] ids = new String[2];
    browser.run(
        s -> {
          s.setString("a", "1");
          ids[0] = s.id();
        });
    browser.run(s -> ids[1] = s.id());
    assertThat(ids[0])
        .hasSize(32)
        .isEqualTo(ids[1])
        .doesNotContain(browser.cookie.substring(0, 22));
    browser.run(Session::regenerateId);
    browser.run(s -> assertThat(s.id()).isEqualTo(ids[0]));
    String[] otherId = new String[1];
    new Requests(manager).run(s -> otherId[0] = s.id());
    assertThat(otherId[0]).hasSize(32).isNotEqualTo(ids[0]);
  }

  // ---- clear / remove

  @Test
  void clearAndRemove_markChangedOnlyWhenSomethingWasThere() {
    Requests browser = browserWithSession();
    int saves = store.saves.get();
    int deletes = store.deletes.get();
    browser.run(
        s -> {
          s.remove("missing");
          s.tryGetValue("a");
        });
    assertThat(store.saves.get()).isEqualTo(saves);
    browser.run(s -> s.remove("a"));
    assertThat(store.deletes.get()).isEqualTo(deletes + 1); // emptied, so deleted
    int calls = store.calls();
    browser.run(Session::clear);
    assertThat(store.calls() - calls).isEqualTo(1); // the load; clearing nothing writes nothing
  }

  // ---- establishing

  @Test
  void establishing_setOnNewSessionAfterResponseStarted_throws() {
    SessionRequest request = manager.begin(null, false, () -> true);
    assertThatThrownBy(() -> request.session().setString("a", "1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "The session cannot be established after the response has started: its cookie could"
                + " no longer be sent. Set session values before writing the response.");
    assertThat(request.session().keys()).isEmpty();
  }

  @Test
  void establishing_setOnExistingSessionAfterResponseStarted_isAllowed() {
    Requests browser = browserWithSession();
    SessionRequest request = manager.begin("session=" + browser.cookie, false, () -> true);
    request.session().setString("b", "2");
    request.finish();
    browser.run(s -> assertThat(s.getString("b")).contains("2"));
  }

  // ---- unreadable data

  @Test
  void unreadableData_corruptBlobLoadsAsEmptySession_andIsReported() {
    RecordingListener listener = new RecordingListener();
    manager.close();
    store = TestStore.inProcess();
    manager = manager(store, b -> b.listener(listener));
    Requests browser = browserWithSession();
    String key = store.keys().iterator().next();
    store.put(key, new byte[] {1, 0, 1, 2, 3});
    browser.run(
        s -> {
          assertThat(s.isAvailable()).isTrue();
          assertThat(s.keys()).isEmpty();
          s.setString("c", "3");
        });
    assertThat(listener.unreadable)
        .singleElement()
        .extracting(Throwable::getMessage)
        .asString()
        .startsWith("unreadable session data: blob is truncated");
    browser.run(s -> assertThat(s.keys()).containsExactly("c"));
  }

  @Test
  void unreadableData_unknownRevision_loadsAsEmptySession() {
    Requests browser = browserWithSession();
    String key = store.keys().iterator().next();
    byte[] blob = store.peek(key).get();
    blob[0] = 2;
    store.put(key, blob);
    browser.run(s -> assertThat(s.keys()).isEmpty());
  }

  @Test
  void unreadableData_oversizeBlobRejectedBeforeDecoding() {
    manager.close();
    store = TestStore.inProcess();
    manager = manager(store, b -> b.maxSessionSize(1000));
    Requests browser = browserWithSession();
    String key = store.keys().iterator().next();
    store.put(key, new byte[1000 + BlobFormat.MAX_TAG_BYTES + 1]);
    browser.run(s -> assertThat(s.keys()).isEmpty());
  }

  // ---- TempData

  @Test
  void tempData_readOnce_goneAfterTheReadingRequestCommits() {
    Requests browser = new Requests(manager);
    browser.run(s -> s.tempData().putString("flash", "saved"));
    browser.run(s -> assertThat(s.tempData().getString("flash")).contains("saved"));
    browser.run(s -> assertThat(s.tempData().getString("flash")).isEmpty());
  }

  @Test
  void tempData_readTwiceInTheSameRequest_stillThere() {
    Requests browser = new Requests(manager);
    browser.run(s -> s.tempData().putString("flash", "saved"));
    browser.run(
        s -> {
          assertThat(s.tempData().getString("flash")).contains("saved");
          assertThat(s.tempData().getString("flash")).contains("saved");
        });
    browser.run(s -> assertThat(s.tempData().keys()).isEmpty());
  }

  @Test
  void tempData_peekDoesNotConsume() {
    Requests browser = new Requests(manager);
    browser.run(s -> s.tempData().putString("flash", "saved"));
    browser.run(s -> assertThat(s.tempData().peekString("flash")).contains("saved"));
    browser.run(s -> assertThat(s.tempData().getString("flash")).contains("saved"));
    browser.run(s -> assertThat(s.tempData().peekString("flash")).isEmpty());
  }

  @Test
  void tempData_keepRetainsAReadValue() {
    Requests browser = new Requests(manager);
    browser.run(
        s -> {
          s.tempData().putString("a", "1");
          s.tempData().putString("b", "2");
        });
    browser.run(
        s -> {
          s.tempData().getString("a");
          s.tempData().getString("b");
          s.tempData().keep("a");
        });
    browser.run(s -> assertThat(s.tempData().keys()).containsExactly("a"));
  }

  @Test
  void tempData_isHiddenFromKeysAndItsKeyIsReserved() {
    Requests browser = new Requests(manager);
    browser.run(
        s -> {
          s.tempData().putString("a", "1");
          assertThat(s.keys()).isEmpty();
          assertThatThrownBy(() -> s.set(TempData.STORAGE_KEY, new byte[0]))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("key is reserved for TempData: use Session.tempData()");
        });
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void tempData_lastValueRead_sessionEmptiedAndDeleted() {
    Requests browser = new Requests(manager);
    browser.run(s -> s.tempData().putString("a", "1"));
    browser.run(s -> s.tempData().getString("a"));
    assertThat(store.size()).isZero();
  }

  // ---- events

  @Test
  void events_createdCommittedRegeneratedInvalidated() {
    RecordingListener listener = new RecordingListener();
    manager.close();
    store = TestStore.inProcess();
    manager = manager(store, b -> b.listener(listener));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    browser.run(s -> s.getString("a"));
    browser.run(s -> s.setString("a", "2"));
    browser.run(Session::regenerateId);
    browser.run(Session::invalidate);
    store.failure.set(new IllegalStateException("down"));
    SessionRequest failing = manager.begin(null, false, () -> false);
    failing.session().setString("a", "1");
    assertThatThrownBy(failing::finish).isInstanceOf(SessionStoreException.class);
    assertThat(listener.events)
        .containsExactly(
            "created",
            "committed",
            "committed",
            "regenerated",
            "committed",
            "invalidated",
            "failed commit");
  }

  @Test
  void events_listenerThatThrows_doesNotBreakTheRequest() {
    manager.close();
    store = TestStore.inProcess();
    SessionListener broken =
        new RecordingListener() {
          @Override
          public void committed(String id) {
            throw new IllegalStateException("listener bug");
          }
        };
    manager = manager(store, b -> b.listener(broken));
    Requests browser = new Requests(manager);
    SessionResponse response = browser.run(s -> s.setString("a", "1"));
    assertThat(response.setCookie()).isPresent();
    assertThat(Optional.ofNullable(browser.cookie)).isPresent();
  }
}
