package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.SessionStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Concurrent clients that save and load sessions through one store until stopped, recording when
 * each operation started and ended and how it failed, so that a fault test can measure the window
 * in which operations failed and check what they failed with.
 */
final class LoadUnderFault {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final int KEYS_PER_CLIENT = 64;

  /** One operation: its start and end ({@link System#nanoTime()}) and its failure, if any. */
  record Outcome(long startNanos, long endNanos, Throwable error) {}

  private final SessionStore store;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean running = new AtomicBoolean(true);

  private LoadUnderFault(SessionStore store) {
    this.store = store;
  }

  /**
   * Starts {@code clients} threads, each saving and loading its own {@value #KEYS_PER_CLIENT} keys.
   */
  static LoadUnderFault start(SessionStore store, int clients, String keyPrefix) {
    LoadUnderFault load = new LoadUnderFault(store);
    for (int c = 0; c < clients; c++) {
      String prefix = keyPrefix + "-" + c + "-";
      Thread thread = new Thread(() -> load.run(prefix), "load-" + c);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void run(String prefix) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (running.get()) {
      String key = prefix + random.nextInt(KEYS_PER_CLIENT);
      boolean save = random.nextBoolean();
      long start = System.nanoTime();
      Throwable error = null;
      try {
        if (save) {
          store.save(key, ("v" + start).getBytes(StandardCharsets.UTF_8), TTL);
        } else {
          store.loadAndTouch(key, TTL);
        }
      } catch (Throwable e) {
        error = e;
      }
      outcomes.add(new Outcome(start, System.nanoTime(), error));
      // A steady load, not a busy loop: a refused connection fails in microseconds, and the
      // servers under test share the machine's cores with the clients.
      RedisServerProcess.sleep(Duration.ofMillis(error == null ? 1 : 5));
    }
  }

  /**
   * A master lost under load: writes 300 sessions, waits with {@code awaitReplicated} until the
   * replicas hold them, runs 8 clients for a second, calls {@code killAndAwaitPromotion}, keeps the
   * load on for 2 s more, then asserts that only store errors occurred, for at most 5 s, that
   * operations succeed again, and that every session written before the fault survived it.
   */
  static void assertSurvivesFailover(
      String name, SessionStore store, Runnable awaitReplicated, Runnable killAndAwaitPromotion)
      throws InterruptedException {
    Map<String, byte[]> before = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      byte[] blob = ("before-" + i).getBytes(StandardCharsets.UTF_8);
      String key = "before-" + i;
      store.save(key, blob, TTL);
      before.put(key, blob);
    }
    awaitReplicated.run();

    LoadUnderFault load = start(store, 8, "load");
    List<Outcome> outcomes;
    long killed;
    try {
      RedisServerProcess.sleep(Duration.ofSeconds(1));
      killed = System.nanoTime();
      killAndAwaitPromotion.run();
      // Load on the promoted deployment for a while, so that a late error would be seen.
      RedisServerProcess.sleep(Duration.ofSeconds(2));
    } finally {
      outcomes = load.stop();
    }
    Report report = Report.of(outcomes, killed);
    System.out.println(name + " master killed: " + report);
    assertThat(report.foreignFailures())
        .as("failures that are not the store's: %s", report)
        .isEmpty();
    assertThat(report.failures()).as("the loss is noticed: %s", report).isPositive();
    assertThat(report.window()).as("%s", report).isLessThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(report.successesAfterWindow()).as("%s", report).isPositive();
    for (Map.Entry<String, byte[]> e : before.entrySet()) {
      assertThat(store.loadAndTouch(e.getKey(), TTL))
          .as("session %s written before the fault", e.getKey())
          .hasValueSatisfying(b -> assertThat(b).isEqualTo(e.getValue()));
    }
  }

  /** Stops the clients, waits for them, and returns every operation's outcome. */
  List<Outcome> stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(30).toMillis());
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " is stuck");
      }
    }
    synchronized (outcomes) {
      return List.copyOf(outcomes);
    }
  }

  /** What the outcomes say about the fault that happened at {@code faultNanos}. */
  record Report(
      int operations,
      int failures,
      Map<String, Integer> foreignFailures,
      Duration window,
      int successesAfterWindow,
      Map<String, Integer> failureMessages) {

    static Report of(List<Outcome> outcomes, long faultNanos) {
      int failures = 0;
      long lastFailureEnd = faultNanos;
      Map<String, Integer> foreign = new LinkedHashMap<>();
      Map<String, Integer> messages = new LinkedHashMap<>();
      for (Outcome o : outcomes) {
        if (o.error() == null) {
          continue;
        }
        failures++;
        messages.merge(String.valueOf(o.error().getMessage()), 1, Integer::sum);
        lastFailureEnd = Math.max(lastFailureEnd, o.endNanos());
        if (!(o.error() instanceof SessionStoreException e) || !"redis".equals(e.storeName())) {
          foreign.merge(String.valueOf(o.error()), 1, Integer::sum);
        }
      }
      int after = 0;
      for (Outcome o : outcomes) {
        if (o.error() == null && o.startNanos() > lastFailureEnd) {
          after++;
        }
      }
      return new Report(
          outcomes.size(),
          failures,
          foreign,
          Duration.ofNanos(lastFailureEnd - faultNanos),
          after,
          messages);
    }
  }
}
