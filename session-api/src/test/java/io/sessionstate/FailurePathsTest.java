package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failure paths and races: loads in flight, timeouts, a saturated or closed executor, sign-out when
 * the store blipped, absolute expiry and the events of a first-visit sign-in.
 */
class FailurePathsTest {
  private static final KeyRing RING =
      KeyRing.builder().addKey("k1", "0123456789abcdef0123456789abcdef".getBytes()).build();

  private final List<SessionManager> managers = new ArrayList<>();

  private SessionManager manager(
      TestStore store, java.util.function.Consumer<SessionManager.Builder> options) {
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
  void invalidate_afterImplicitLoadFailed_stillDeletesTheStoredEntry() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("user", "alice"));
    String oldCookie = browser.cookie;
    store.failure.set(new IllegalStateException("blip"));
    SessionRequest request = browser.begin();
    assertThat(request.session().isAvailable()).isFalse();
    store.failure.set(null);
    request.session().invalidate();
    request.finish();
    assertThat(store.size()).isZero();
    Requests thief = new Requests(manager);
    thief.cookie = oldCookie;
    thief.run(s -> assertThat(s.getString("user")).isEmpty());
  }

  @Test
  void invalidate_whileStoreStillDown_throwsInsteadOfPretending() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("user", "alice"));
    store.failure.set(new IllegalStateException("down"));
    SessionRequest request = browser.begin();
    request.session().getString("user");
    assertThatThrownBy(() -> request.session().invalidate())
        .isInstanceOf(SessionStoreException.class);
  }

  @Test
  void absoluteLifetime_expiredKeyIsNeverStoredAgain_andTheCookieIsCleared() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> b.absoluteLifetime(Duration.ofMinutes(30)));
    Requests victim = new Requests(manager);
    victim.run(s -> s.setString("user", "alice"));
    String stolen = victim.cookie;
    store.elapse(Duration.ofMinutes(15));
    victim.run(s -> s.getString("user"));
    store.elapse(Duration.ofMinutes(15));
    SessionResponse expiry = victim.run(s -> assertThat(s.getString("user")).isEmpty());
    assertThat(expiry.setCookie()).get().asString().contains("Max-Age=0");
    assertThat(store.size()).isZero();
    // The browser ignored the clearing cookie and writes again: a fresh key, not the stolen one.
    victim.cookie = stolen;
    SessionResponse rewrite = victim.run(s -> s.setString("cart", "secret-order"));
    assertThat(Requests.cookieValue(rewrite)).get().isNotEqualTo(stolen);
    Requests thief = new Requests(manager);
    thief.cookie = stolen;
    thief.run(s -> assertThat(s.getString("cart")).isEmpty());
  }

  @Test
  void loadAsync_inFlight_laterAccessWaitsForIt_oneRoundTrip_noWriteLost() throws Exception {
    TestStore store = TestStore.networked();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    int loadsBefore = store.loads.get();
    store.block = new CountDownLatch(1);
    SessionRequest request = browser.begin();
    CompletableFuture<Void> prefetch = request.session().loadAsync();
    CompletableFuture<Void> again = request.session().loadAsync(); // the same load, not another
    Thread release =
        new Thread(
            () -> {
              sleepQuietly(100);
              store.block.countDown();
            });
    release.start();
    request.session().setString("b", "2"); // waits for the load in flight
    request.finish();
    release.join();
    assertThat(store.loads.get() - loadsBefore).isEqualTo(1);
    assertThat(prefetch).isCompleted();
    assertThat(again).isCompleted();
    store.block = null;
    browser.run(s -> assertThat(s.keys()).containsExactly("a", "b"));
  }

  @Test
  void invalidate_whileAnAsyncLoadIsInFlight_theLoadedContentsNeverComeBack() throws Exception {
    TestStore store = TestStore.networked();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("user", "alice"));
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.afterLoadRead =
        () -> {
          read.countDown();
          awaitQuietly(release);
        };
    SessionRequest request = browser.begin();
    CompletableFuture<Void> load = request.session().loadAsync();
    assertThat(read.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    store.afterLoadRead = () -> {};

    request.session().invalidate(); // signs out while the load holds alice's blob
    release.countDown();
    load.join();
    assertThat(request.session().keys()).isEmpty();
    request.session().setString("note", "signed out");
    String oldCookie = browser.cookie;
    browser.cookie = Requests.cookieValue(request.finish()).orElseThrow();

    browser.run(s -> assertThat(s.keys()).containsExactly("note"));
    browser.cookie = oldCookie;
    browser.run(s -> assertThat(s.keys()).isEmpty());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void ioTimeout_futureCompletesOnTheManagersTimerThread_notTheJdksSharedOne() {
    TestStore store = TestStore.networked();
    // Long enough that the callback is attached before the timeout fires, even on a loaded
    // machine: a callback attached to a future already complete runs on the attaching thread.
    SessionManager manager = manager(store, b -> b.ioTimeout(Duration.ofSeconds(1)));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    store.block = new CountDownLatch(1);
    AtomicReference<String> thread = new AtomicReference<>();
    CompletableFuture<Void> load =
        browser.begin().session().loadAsync().whenComplete((v, t) -> thread.set(name()));
    assertThatThrownBy(load::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SessionTimeoutException.class);
    store.block.countDown();
    assertThat(thread.get()).startsWith("sessionstate-timeout-");
  }

  @Test
  void executor_storeThatHangs_parksAtMostTheThreadBound_theRestWaitAndEndByTheIoTimeout() {
    TestStore store = TestStore.networked();
    SessionManager manager = manager(store, b -> b.ioTimeout(Duration.ofSeconds(2)));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    int loadsBefore = store.loads.get();
    store.callThreads.clear();
    store.block = new CountDownLatch(1);
    List<CompletableFuture<Void>> loads = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      loads.add(browser.begin().session().loadAsync());
    }
    // None is refused at once: past the thread bound, calls wait for a thread.
    assertThat(loads).noneMatch(CompletableFuture::isDone);
    for (CompletableFuture<Void> load : loads) {
      assertThatThrownBy(load::join)
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(SessionTimeoutException.class)
          .hasMessage("session load did not finish within the I/O timeout of PT2S");
    }
    assertThat(store.loads.get() - loadsBefore).isEqualTo(SessionManager.DEFAULT_MAX_IO_THREADS);
    assertThat(store.callThreads.stream().distinct().count())
        .isEqualTo(SessionManager.DEFAULT_MAX_IO_THREADS);
    store.block.countDown();
    store.block = null;
    // A call made after the queue drained runs; the waiting calls whose timeout passed never ran.
    browser.begin().session().loadAsync().join();
    assertThat(store.loads.get() - loadsBefore)
        .isEqualTo(SessionManager.DEFAULT_MAX_IO_THREADS + 1);
  }

  @Test
  void executor_queueFull_furtherCallsFailAtOnceWithStoreError() {
    TestStore store = TestStore.networked();
    SessionManager manager = manager(store, b -> b.ioTimeout(Duration.ofSeconds(20)));
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    store.block = new CountDownLatch(1);
    List<CompletableFuture<Void>> loads = new ArrayList<>();
    int bound = SessionManager.DEFAULT_MAX_IO_THREADS + SessionManager.DEFAULT_MAX_WAITING_IO_CALLS;
    for (int i = 0; i < bound + 20; i++) {
      loads.add(browser.begin().session().loadAsync());
    }
    long rejected =
        loads.stream()
            .filter(CompletableFuture::isCompletedExceptionally)
            .map(f -> f.handle((v, t) -> StoreCalls.unwrap(t)).join())
            .filter(t -> t instanceof SessionStoreException)
            .filter(
                t ->
                    t.getMessage()
                        .equals(
                            "test store failed to load: no thread free to run it (the executor"
                                + " rejected the call)"))
            .count();
    store.block.countDown();
    assertThat(rejected).isEqualTo(20);
    CompletableFuture.allOf(
            loads.stream()
                .filter(f -> !f.isCompletedExceptionally())
                .toArray(CompletableFuture[]::new))
        .join();
  }

  @Test
  void executor_rejectingCall_failsTheAsyncFutures_whileSynchronousCallsRunOnTheCaller() {
    TestStore store = TestStore.networked();
    SessionManager manager =
        manager(
            store,
            b ->
                b.executor(
                    r -> {
                      throw new RejectedExecutionException("full");
                    }));
    SessionRequest request = manager.begin(null, false, () -> false);
    request.session().setString("a", "1");
    assertThatThrownBy(() -> StoreCalls.await(request.finishAsync()))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage(
            "test store failed to save: no thread free to run it (the executor rejected the call)");
    // finish() needs no executor: the caller waits anyway, so the store runs on its thread.
    SessionResponse finished = request.finish();
    assertThat(Requests.cookieValue(finished)).isPresent();
    SessionRequest withCookie =
        manager.begin("session=" + Requests.cookieValue(finished).get(), false, () -> false);
    assertThatThrownBy(() -> StoreCalls.await(withCookie.session().loadAsync()))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage(
            "test store failed to load: no thread free to run it (the executor rejected the call)");
    // The access after the failed loadAsync() tries once more, synchronously, on this thread.
    assertThat(withCookie.session().getString("a")).contains("1");
  }

  @Test
  void close_managerRefusesNewRequests_andNeverCallsTheStoreAgain() {
    TestStore store = TestStore.inProcess();
    SessionManager manager = manager(store, b -> {});
    Requests browser = new Requests(manager);
    browser.run(s -> s.setString("a", "1"));
    SessionRequest inFlight = browser.begin();
    manager.close();
    manager.close(); // a second close does nothing
    int calls = store.calls();
    assertThatThrownBy(() -> manager.begin(null, false, () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SessionManager is closed");
    assertThat(inFlight.session().isAvailable()).isFalse();
    assertThat(store.calls()).isEqualTo(calls);
  }

  @Test
  void events_firstVisitSignIn_isCreatedNotRegenerated() {
    TestStore store = TestStore.inProcess();
    RecordingListener listener = new RecordingListener();
    SessionManager manager = manager(store, b -> b.listener(listener));
    Requests browser = new Requests(manager);
    browser.run(
        s -> {
          s.setString("cart", "1");
          s.regenerateId();
          s.setString("user", "alice");
        });
    browser.run(Session::regenerateId);
    browser.run(Session::invalidate);
    assertThat(listener.events)
        .containsExactly("created", "committed", "regenerated", "committed", "invalidated");
    assertThat(listener.invalidatedIds).containsExactly("null");
  }

  private static String name() {
    return Thread.currentThread().getName();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
