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

  @Test
  void everyContract_runsWithoutSkips_andEachTestsStoreIsClosed() {
    STORES.clear();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();

    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Sample.class)).build(),
            listener);

    TestExecutionSummary summary = listener.getSummary();
    assertThat(summary.getFailures()).isEmpty();
    assertThat(summary.getTestsSkippedCount()).isZero();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(53);
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
    private final Tracked store = new Tracked(nanos);

    @Override
    public Tracked store() {
      return store;
    }

    @Override
    public void elapse(Duration duration) {
      nanos.addAndGet(duration.toNanos());
    }

    @Override
    public void writeRaw(String key, byte[] bytes, Duration ttl) {
      store.entries.put(key, store.expiring(bytes.clone(), ttl));
    }

    @Override
    public Optional<byte[]> readRaw(String key) {
      return Optional.ofNullable(store.entries.get(key)).map(e -> e.blob().clone());
    }

    @Override
    public Optional<Duration> remainingTtl(String key) {
      return Optional.ofNullable(store.entries.get(key))
          .map(e -> Duration.ofNanos(e.expiresAtNanos() - nanos.get()));
    }
  }
}
