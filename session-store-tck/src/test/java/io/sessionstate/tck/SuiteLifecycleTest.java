package io.sessionstate.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** How the suite runs a store's test class, seen from outside through the JUnit launcher. */
class SuiteLifecycleTest {
  private static final List<Tracked> STORES = new CopyOnWriteArrayList<>();
  private static final List<String> OFF_THREAD_HOOK_CALLS = new CopyOnWriteArrayList<>();

  @Test
  void everyContract_runsWithoutSkips_onTheTestsThread_andEachTestsStoreIsClosed() {
    STORES.clear();
    OFF_THREAD_HOOK_CALLS.clear();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();

    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Sample.class)).build(),
            listener);

    TestExecutionSummary summary = listener.getSummary();
    assertThat(summary.getFailures()).isEmpty();
    assertThat(summary.getTestsSkippedCount()).isZero();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(53);
    assertThat(OFF_THREAD_HOOK_CALLS).isEmpty();
    assertThat(STORES).hasSize(53).allSatisfy(store -> assertThat(store.closed).isTrue());
  }

  private static final class Tracked extends MapSessionStore {
    volatile boolean closed;

    Tracked(AtomicLong nanos) {
      super(nanos::get);
      STORES.add(this);
    }

    @Override
    public void close() {
      closed = true;
      super.close();
    }
  }

  /** Run only through the launcher above: a nested class, which Surefire does not pick up. */
  static final class Sample
      implements SessionStoreContract,
          ReplacingSessionStoreContract,
          RequestCycleContract,
          BackDoorContract {
    private final AtomicLong nanos = new AtomicLong();
    private final Thread testThread = Thread.currentThread();
    private Tracked store;

    private void onTestThread(String hook) {
      if (Thread.currentThread() != testThread) {
        OFF_THREAD_HOOK_CALLS.add(hook + " on " + Thread.currentThread().getName());
      }
    }

    // Made on first use, as stores over a server often are: a hook called off the test's thread
    // would make a second store that nobody closes.
    @Override
    public Tracked store() {
      onTestThread("store");
      if (store == null) {
        store = new Tracked(nanos);
      }
      return store;
    }

    @Override
    public void elapse(Duration duration) {
      onTestThread("elapse");
      nanos.addAndGet(duration.toNanos());
    }

    @Override
    public void writeRaw(String key, byte[] bytes, Duration ttl) {
      onTestThread("writeRaw");
      store().entries.put(key, store().expiring(bytes.clone(), ttl));
    }

    @Override
    public Optional<byte[]> readRaw(String key) {
      onTestThread("readRaw");
      return Optional.ofNullable(store().entries.get(key)).map(e -> e.blob().clone());
    }

    @Override
    public Optional<Duration> remainingTtl(String key) {
      onTestThread("remainingTtl");
      return Optional.ofNullable(store().entries.get(key))
          .map(e -> Duration.ofNanos(e.expiresAtNanos() - nanos.get()));
    }
  }
}
