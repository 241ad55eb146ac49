package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a blocking store is called: on the request's thread wherever the request waits anyway (a
 * load on first access, {@code finish()}, {@code invalidate()}), bounded by the store's own
 * timeout; on the manager's executor under the I/O timeout for the asynchronous methods.
 */
class CallingThreadTest {
  private static final KeyRing RING =
      KeyRing.builder().addKey("k1", "0123456789abcdef0123456789abcdef".getBytes()).build();

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

  @Test
  void implicitLoadAndFinish_callTheStoreOnTheCallersThread() {
    TestStore store = TestStore.networked();
    Requests browser = new Requests(manager(store, b -> {}));
    browser.run(s -> s.setString("a", "1"));
    browser.run(s -> s.setString("a", s.getString("a").orElseThrow() + "2"));
    assertThat(store.loads.get()).isEqualTo(1);
    assertThat(store.saves.get()).isEqualTo(2);
    assertThat(store.callThreads).hasSize(3).containsOnly(Thread.currentThread());
    assertThat(store.peek(store.keys().iterator().next())).isPresent();
  }

  @Test
  void invalidate_deletesOnTheCallersThread() {
    TestStore store = TestStore.networked();
    Requests browser = new Requests(manager(store, b -> {}));
    browser.run(s -> s.setString("a", "1"));
    store.callThreads.clear();
    browser.run(Session::invalidate);
    assertThat(store.deletes.get()).isEqualTo(1);
    assertThat(store.callThreads).containsOnly(Thread.currentThread());
    assertThat(store.size()).isZero();
  }

  @Test
  void asyncLoadAndCommit_runOnTheManagersExecutor() {
    TestStore store = TestStore.networked();
    Requests browser = new Requests(manager(store, b -> {}));
    browser.run(s -> s.setString("a", "1"));
    store.callThreads.clear();
    SessionRequest request = browser.begin();
    request.session().loadAsync().join();
    request.session().setString("a", "2");
    request.finishAsync().join();
    assertThat(store.callThreads).hasSize(2);
    assertThat(store.callThreads)
        .allSatisfy(t -> assertThat(t.getName()).startsWith("sessionstate-io-"));
  }

  @Test
  void finish_afterAnUnfinishedLoadAsync_waitsForIt_thenCommitsOnTheCallersThread() {
    TestStore store = TestStore.networked();
    Requests browser = new Requests(manager(store, b -> {}));
    browser.run(s -> s.setString("a", "1"));
    store.callThreads.clear();
    store.block = new CountDownLatch(1);
    SessionRequest request = browser.begin();
    request.session().loadAsync();
    Thread release = new Thread(() -> store.block.countDown());
    release.start();
    request.session().setString("a", "2"); // waits for the load in flight
    store.block = null;
    request.finish();
    assertThat(store.loads.get()).isEqualTo(1);
    assertThat(store.callThreads).hasSize(2);
    assertThat(store.callThreads.get(0).getName()).startsWith("sessionstate-io-");
    assertThat(store.callThreads.get(1)).isSameAs(Thread.currentThread());
    browser.run(s -> assertThat(s.getString("a")).contains("2"));
  }

  @Test
  void frozenStore_implicitLoadEndsByTheStoresOwnTimeout_sessionUnavailable_notTheIoTimeout() {
    TestStore store = TestStore.networked();
    // An I/O timeout far beyond the test's patience: only the store's own timeout can end the call.
    RecordingListener listener = new RecordingListener();
    Requests browser =
        new Requests(manager(store, b -> b.ioTimeout(Duration.ofHours(1)).listener(listener)));
    browser.run(s -> s.setString("a", "1"));
    store.operationTimeout = Duration.ofMillis(100);
    store.block = new CountDownLatch(1);
    SessionRequest request = browser.begin();
    assertThat(request.session().isAvailable()).isFalse();
    assertThat(request.session().getString("a")).isEmpty();
    request.session().setString("a", "2"); // dropped: the session is unavailable
    assertThatThrownBy(request::finish)
        .isInstanceOf(SessionStoreException.class)
        .hasMessage(
            "test store failed to commit: the session could not be loaded, so 1 change made by"
                + " this request was not kept")
        .cause()
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("test store failed to load: no reply within the operation timeout of PT0.1S");
    assertThat(store.callThreads).last().isSameAs(Thread.currentThread());
    assertThat(listener.events).containsSubsequence("failed load", "failed commit");
    store.block = null;
    browser.run(s -> assertThat(s.getString("a")).contains("1"));
  }

  @Test
  void frozenStore_finishEndsByTheStoresOwnTimeout_withASessionException() {
    TestStore store = TestStore.networked();
    Requests browser = new Requests(manager(store, b -> b.ioTimeout(Duration.ofHours(1))));
    browser.run(s -> s.setString("a", "1"));
    SessionRequest request = browser.begin();
    request.session().setString("a", "2");
    store.operationTimeout = Duration.ofMillis(100);
    store.block = new CountDownLatch(1);
    assertThatThrownBy(request::finish)
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("test store failed to save: no reply within the operation timeout of PT0.1S");
    store.block = null;
    browser.run(s -> assertThat(s.getString("a")).contains("1"));
  }

  @Test
  void frozenStore_asyncLoadStillEndsByTheIoTimeout() {
    TestStore store = TestStore.networked();
    Requests browser = new Requests(manager(store, b -> b.ioTimeout(Duration.ofMillis(100))));
    browser.run(s -> s.setString("a", "1"));
    store.block = new CountDownLatch(1);
    try {
      assertThatThrownBy(() -> browser.begin().session().loadAsync().join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(SessionTimeoutException.class)
          .hasMessage("session load did not finish within the I/O timeout of PT0.1S");
    } finally {
      store.block.countDown();
    }
  }
}
