package io.sessionstate.micrometer;

import static io.sessionstate.micrometer.SessionMetrics.ERROR_TAG;
import static io.sessionstate.micrometer.SessionMetrics.OPERATION_DURATION;
import static io.sessionstate.micrometer.SessionMetrics.OPERATION_TAG;
import static io.sessionstate.micrometer.SessionMetrics.OUTCOME_TAG;
import static io.sessionstate.micrometer.SessionMetrics.SYSTEM_TAG;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionstate.CommitMode;
import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.spi.SessionStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One known sequence of requests through a real session manager over a real store, and the count
 * every meter must then show: new sessions, reads, a key regeneration, sign-outs, an unreadable
 * blob written behind the store's back, a conflict between two concurrent requests, a write dropped
 * because a concurrent request signed the session out, and a store whose server is down. Each
 * store's test class supplies the store and the back doors; the sequence and the counts are the
 * same for all.
 */
abstract class MeterSequence {
  static final KeyRing RING =
      KeyRing.builder()
          .addKey("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII))
          .build();

  final MeterRegistry registry = new SimpleMeterRegistry();
  final RecordingObserver observer = new RecordingObserver(SessionMetrics.of(registry));
  private final List<SessionManager> managers = new ArrayList<>();
  private final List<Browser> browsers = new ArrayList<>();
  // Every value the sequence stores, none of which may reach the observer or a meter.
  private final Set<String> values = new CopyOnWriteArraySet<>();

  /** A new, empty store over the shared server, of its own (a key prefix, a table). */
  abstract SessionStore newStore();

  /** Writes {@code bytes} as the blob under the session key {@code key}, behind the store. */
  abstract void writeRaw(SessionStore store, String key, byte[] bytes);

  /** A store over a server of the test's own, which {@link #bringDown()} then stops. */
  abstract SessionStore storeToBringDown();

  /** Stops the server of {@link #storeToBringDown()}. */
  abstract void bringDown();

  /** The store's name, the value of {@code db.system.name}. */
  abstract String systemName();

  /**
   * The classes of error a store whose server is down may report, one of which must be the value of
   * {@code error.type}.
   */
  abstract Set<String> downErrorTypes();

  /**
   * The outcome a call to a store whose server is down reports: {@code error} or {@code timeout}.
   */
  String downOutcome() {
    return "error";
  }

  @AfterEach
  void closeManagers() {
    managers.forEach(SessionManager::close);
  }

  private SessionManager manager(SessionStore store) {
    SessionManager m =
        SessionManager.builder()
            .store(store)
            .keyRing(RING)
            .commitMode(CommitMode.MERGE)
            .ioTimeout(Duration.ofSeconds(20))
            .observer(observer)
            .build();
    managers.add(m);
    return m;
  }

  private Browser browser(SessionManager manager) {
    Browser b = new Browser(manager);
    browsers.add(b);
    return b;
  }

  private String value() {
    String v = "value-" + UUID.randomUUID();
    values.add(v);
    return v;
  }

  /** The sequence; the counts it leaves are asserted in {@link #knownSequence_leavesEachCount}. */
  private void runSequence() {
    SessionStore store = newStore();
    SessionManager manager = manager(store);

    Browser a = browser(manager);
    a.run(s -> s.setString("user", value())); // conditional_save ok, created
    a.run(s -> s.getString("user")); // load ok
    a.run(Session::regenerateId); // load ok, conditional_replace ok, regenerated
    a.run(Session::invalidate); // invalidate ok, invalidated

    Browser b = browser(manager);
    b.run(s -> s.setString("cart", value())); // conditional_save ok, created
    writeRaw(store, b.sessionKey(), new byte[] {9, 9, 9});
    b.run(s -> s.getString("cart")); // load ok, unreadable

    Browser c = browser(manager);
    c.run(s -> s.setString("v", value())); // conditional_save ok, created
    SessionRequest x = c.begin();
    x.session().getString("v"); // load ok
    SessionRequest y = c.begin();
    y.session().setString("w", value()); // load ok
    c.finish(y); // conditional_save ok
    x.session().setString("v", value());
    c.finish(x); // conditional_save conflict, conflict; merged: conditional_save ok

    Browser d = browser(manager);
    d.run(s -> s.setString("v", value())); // conditional_save ok, created
    SessionRequest p = d.begin();
    p.session().getString("v"); // load ok
    SessionRequest q = d.begin();
    q.session().invalidate(); // invalidate ok, invalidated
    d.finish(q);
    p.session().setString("v", value());
    d.finish(p); // conditional_save absent, dropped write

    SessionManager downManager = manager(storeToBringDown());
    Browser e = browser(downManager);
    e.run(s -> s.setString("v", value())); // conditional_save ok, created
    bringDown();
    e.run(s -> assertThat(s.isAvailable()).isFalse()); // load error
  }

  @Test
  void knownSequence_leavesEachCount() {
    runSequence();

    assertThat(timerCount("load", "ok")).isEqualTo(6);
    assertThat(timerCount("conditional_save", "ok")).isEqualTo(7);
    assertThat(timerCount("conditional_save", "conflict")).isEqualTo(1);
    assertThat(timerCount("conditional_save", "absent")).isEqualTo(1);
    assertThat(timerCount("conditional_replace", "ok")).isEqualTo(1);
    assertThat(timerCount("invalidate", "ok")).isEqualTo(2);
    assertThat(timerCount("load", downOutcome())).isEqualTo(1);
    assertThat(errorTypes()).hasSize(1);
    assertThat(downErrorTypes()).contains(errorTypes().get(0));
    // Nothing else was asked of the store.
    assertThat(allTimers().stream().mapToLong(Timer::count).sum())
        .isEqualTo(6 + 7 + 1 + 1 + 1 + 2 + 1);
    assertThat(allTimers())
        .allSatisfy(t -> assertThat(t.getId().getTag(SYSTEM_TAG)).isEqualTo(systemName()));
    assertThat(allTimers())
        .allSatisfy(
            t -> assertThat(t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive());

    assertThat(counter(SessionMetrics.CREATED)).isEqualTo(5);
    assertThat(counter(SessionMetrics.REGENERATED)).isEqualTo(1);
    assertThat(counter(SessionMetrics.INVALIDATED)).isEqualTo(2);
    assertThat(counter(SessionMetrics.UNREADABLE)).isEqualTo(1);
    assertThat(counter(SessionMetrics.CONFLICTS)).isEqualTo(1);
    assertThat(counter(SessionMetrics.DROPPED_WRITES)).isEqualTo(1);
    assertThat(registry.find(SessionMetrics.UNREADABLE_VALUES).counter()).isNull();

    // Sizes: every blob loaded (6, the 3-byte one among them) and written (9), values per write.
    assertThat(summaryCount("load")).isEqualTo(6);
    assertThat(registry.get(SessionMetrics.SESSION_SIZE).tag(OPERATION_TAG, "load").summary().max())
        .isGreaterThan(3);
    assertThat(summaryCount("conditional_save")).isEqualTo(9);
    assertThat(summaryCount("conditional_replace")).isEqualTo(1);
    assertThat(registry.get(SessionMetrics.SESSION_VALUES).summary().count()).isEqualTo(10);
    assertThat(registry.get(SessionMetrics.SESSION_VALUES).summary().max()).isEqualTo(2);
  }

  @Test
  void nothingNamingASession_reachesTheObserverOrAMeter() {
    runSequence();

    List<String> seen = new ArrayList<>(observer.seen);
    for (Meter meter : registry.getMeters()) {
      seen.add(meter.getId().getName());
      for (Tag tag : meter.getId().getTags()) {
        seen.add(tag.getKey() + "=" + tag.getValue());
      }
    }
    Set<String> secrets = new CopyOnWriteArraySet<>(values);
    browsers.forEach(b -> secrets.addAll(b.secrets));
    assertThat(secrets).hasSizeGreaterThan(values.size()); // the cookies and keys are in
    assertThat(observer.seen).hasSizeGreaterThan(20);
    for (String line : seen) {
      for (String secret : secrets) {
        assertThat(line).doesNotContain(secret);
      }
      assertThat(line).doesNotContain("value-").doesNotContain("session=");
    }
  }

  long timerCount(String operation, String outcome) {
    return registry
        .find(OPERATION_DURATION)
        .tag(OPERATION_TAG, operation)
        .tag(OUTCOME_TAG, outcome)
        .timers()
        .stream()
        .mapToLong(Timer::count)
        .sum();
  }

  private Collection<Timer> allTimers() {
    return registry.find(OPERATION_DURATION).timers();
  }

  private List<String> errorTypes() {
    return allTimers().stream()
        .map(t -> t.getId().getTag(ERROR_TAG))
        .filter(type -> !"none".equals(type))
        .toList();
  }

  private double counter(String name) {
    return registry.get(name).tag(SYSTEM_TAG, systemName()).counter().count();
  }

  private long summaryCount(String operation) {
    return registry
        .get(SessionMetrics.SESSION_SIZE)
        .tag(OPERATION_TAG, operation)
        .summary()
        .count();
  }
}
