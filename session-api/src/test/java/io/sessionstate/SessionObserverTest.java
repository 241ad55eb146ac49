package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionObserver.StoreOperation;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The observer as a manager drives it over a real (map) store: what each request's store calls and
 * events report, that failures and unreadable blobs are told, that nothing naming a session reaches
 * it, and that without an observer the store is called as it is.
 */
class SessionObserverTest {
  private static final KeyRing RING =
      KeyRing.builder().addKey("k1", "0123456789abcdef0123456789abcdef".getBytes()).build();

  private final List<SessionManager> managers = new ArrayList<>();

  private SessionManager manager(TestStore store, SessionObserver observer) {
    SessionManager m =
        SessionManager.builder()
            .store(store)
            .keyRing(RING)
            .clock(new StoreClock(store))
            .observer(observer)
            .build();
    managers.add(m);
    return m;
  }

  @AfterEach
  void closeAll() {
    managers.forEach(SessionManager::close);
  }

  @Test
  void requests_reportEachStoreCallAndEvent_inOrder() {
    TestStore store = TestStore.inProcess();
    RecordingObserver observer = new RecordingObserver();
    Requests browser = new Requests(manager(store, observer));

    browser.run(s -> s.setString("user", "ada"));
    int blob = store.peek(key(browser.cookie)).orElseThrow().length;
    browser.run(s -> s.getString("user"));
    browser.run(Session::regenerateId);
    browser.run(Session::invalidate);

    assertThat(observer.calls)
        .containsExactly(
            "save ok " + blob + " 1",
            "event created",
            "load ok " + blob,
            "load ok " + blob,
            "replace ok " + blob + " 1",
            "event regenerated",
            "delete ok",
            "event invalidated");
  }

  @Test
  void storeFailure_isAnError_withTheStoresOwnExceptionClass() {
    TestStore store = TestStore.inProcess();
    RecordingObserver observer = new RecordingObserver();
    Requests browser = new Requests(manager(store, observer));
    browser.run(s -> s.setString("user", "ada"));
    observer.calls.clear();

    store.failure.set(new IllegalStateException("server gone"));
    browser.run(s -> s.getString("user"));

    assertThat(observer.calls).containsExactly("load error IllegalStateException");
  }

  @Test
  void unreadableBlob_isLoaded_thenToldAsAnEvent() {
    TestStore store = TestStore.inProcess();
    RecordingObserver observer = new RecordingObserver();
    Requests browser = new Requests(manager(store, observer));
    browser.run(s -> s.setString("user", "ada"));
    store.put(key(browser.cookie), new byte[] {9, 9, 9});
    observer.calls.clear();

    browser.run(s -> s.getString("user"));

    assertThat(observer.calls).containsExactly("load ok 3", "event unreadable_data");
  }

  @Test
  void observer_neverReceivesTheKeyTheCookieOrAValue() {
    TestStore store = TestStore.inProcess();
    RecordingObserver observer = new RecordingObserver();
    Requests browser = new Requests(manager(store, observer));
    browser.run(s -> s.setString("secret-name", "secret-value"));
    String cookie = browser.cookie;
    browser.run(s -> s.getString("secret-name"));
    browser.run(Session::regenerateId);
    String regenerated = browser.cookie;
    store.failure.set(new IllegalStateException("failed for " + key(regenerated)));
    browser.run(s -> s.getString("secret-name"));
    store.failure.set(null);
    browser.run(Session::invalidate);

    assertThat(observer.everything).hasSizeGreaterThan(5);
    for (String seen : observer.everything) {
      assertThat(seen)
          .doesNotContain(key(cookie))
          .doesNotContain(key(regenerated))
          .doesNotContain("secret");
    }
  }

  @Test
  void observerThatThrows_costsALogLine_notTheRequest() {
    TestStore store = TestStore.inProcess();
    SessionObserver throwing =
        new SessionObserver() {
          @Override
          public void storeCall(
              String storeName,
              StoreOperation operation,
              StoreOutcome outcome,
              Class<? extends Throwable> errorType,
              long durationNanos,
              int blobBytes,
              int valueCount) {
            throw new IllegalStateException("meter broke");
          }

          @Override
          public void sessionEvent(String storeName, Event event) {
            throw new IllegalStateException("meter broke");
          }
        };
    Requests browser = new Requests(manager(store, throwing));

    browser.run(s -> s.setString("user", "ada"));
    browser.run(s -> assertThat(s.getString("user")).hasValue("ada"));
  }

  @Test
  void withoutAnObserver_theStoreIsCalledAsItIs() {
    TestStore store = TestStore.inProcess();
    assertThat(ObservedStore.wrap(store, SessionObserver.NONE)).isSameAs(store);
    assertThat(manager(store, SessionObserver.NONE).store()).isSameAs(store);
  }

  @Test
  void managerStore_isTheStoreAsGiven_evenWhenObserved() {
    TestStore store = TestStore.inProcess();
    assertThat(manager(store, new RecordingObserver()).store()).isSameAs(store);
  }

  @Test
  void timeouts_areToldApartFromOtherErrors_byTheJdkTypesInTheCauseChain() {
    assertThat(
            ObservedStore.isTimeout(
                new SessionStoreException(
                    "redis", "load", new IOException(new SocketTimeoutException("read")))))
        .isTrue();
    assertThat(ObservedStore.isTimeout(new SessionStoreException("redis", "load", "x", null)))
        .isFalse();
    assertThat(
            ObservedStore.errorType(
                new SessionStoreException("redis", "load", new IllegalStateException())))
        .isEqualTo(IllegalStateException.class);
    assertThat(ObservedStore.errorType(new SessionTimeoutException("load", Duration.ofSeconds(1))))
        .isEqualTo(SessionTimeoutException.class);
  }

  @Test
  void entryCount_readsTheHeader_taggedOrNot_andRejectsShortBlobs() {
    assertThat(BlobFormat.entryCount(new byte[] {1})).isEqualTo(-1);
    assertThat(BlobFormat.entryCount(new byte[] {7, 0, 0, 0})).isEqualTo(-1);
    TestStore store = TestStore.networked(); // tagged blobs
    Requests browser = new Requests(manager(store, SessionObserver.NONE));
    browser.run(
        s -> {
          s.setString("a", "1");
          s.setString("b", "2");
          s.setString("c", "3");
        });
    byte[] blob = store.peek(key(browser.cookie)).orElseThrow();
    assertThat(blob[1] & BlobFormat.FLAG_TAGGED).isEqualTo(BlobFormat.FLAG_TAGGED);
    assertThat(BlobFormat.entryCount(blob)).isEqualTo(3);
  }

  @Test
  void observedStore_passesFailuresOnUnchanged() {
    TestStore store = TestStore.inProcess();
    RecordingObserver observer = new RecordingObserver();
    SessionStore observed = ObservedStore.wrap(store, observer);
    IllegalStateException failure = new IllegalStateException("down");
    store.failure.set(failure);

    assertThatThrownBy(() -> observed.save("k", "v".getBytes(StandardCharsets.UTF_8), ttl()))
        .isSameAs(failure);
    assertThat(observer.calls).containsExactly("save error IllegalStateException");
    assertThat(observed).isInstanceOf(ReplacingSessionStore.class);
    store.failure.set(null);
    assertThat(observed.loadAndTouch("absent", ttl())).isEqualTo(Optional.empty());
  }

  private static Duration ttl() {
    return Duration.ofMinutes(1);
  }

  /** The session key in a cookie value {@code <key>.<keyId>.<tag>}. */
  private static String key(String cookie) {
    return cookie.substring(0, cookie.indexOf('.'));
  }
}
