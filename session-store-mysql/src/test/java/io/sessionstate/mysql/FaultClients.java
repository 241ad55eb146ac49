package io.sessionstate.mysql;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionException;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Concurrent clients for the fault tests: each owns a session holding a counter and, until stopped,
 * runs requests that load it explicitly, add one and commit. Every request is recorded with its
 * start, end and outcome, and each client's last acknowledged and last attempted value is kept, so
 * a test can tell a lost commit from one that was never acknowledged.
 */
final class FaultClients {
  record Outcome(int client, long startNanos, long endNanos, Throwable error) {
    Duration duration() {
      return Duration.ofNanos(endNanos - startNanos);
    }

    boolean ok() {
      return error == null;
    }
  }

  final SessionManager manager;
  final List<String> cookies = new ArrayList<>();
  final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
  final AtomicLongArray acknowledged;
  final AtomicLongArray attempted;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  FaultClients(MySqlSessionStore store, Duration ioTimeout, int clients) {
    byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
    Arrays.fill(secret, (byte) 9);
    manager =
        SessionManager.builder()
            .store(store)
            .keyRing(KeyRing.builder().addKey("k1", secret).build())
            .ioTimeout(ioTimeout)
            .build();
    acknowledged = new AtomicLongArray(clients);
    attempted = new AtomicLongArray(clients);
    for (int i = 0; i < clients; i++) {
      SessionRequest request = manager.begin(null, false, () -> false);
      request.session().setLong("n", 0);
      String setCookie = request.finish().setCookie().orElseThrow();
      cookies.add(setCookie.substring(0, setCookie.indexOf(';')));
    }
  }

  void start() {
    for (int i = 0; i < cookies.size(); i++) {
      int client = i;
      Thread t = new Thread(() -> loop(client), "fault-client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop(int client) {
    while (!stop) {
      long start = System.nanoTime();
      Throwable error = null;
      try {
        SessionRequest request = manager.begin(cookies.get(client), false, () -> false);
        request.session().loadAsync().join();
        long next = request.session().getLong("n").orElse(0L) + 1;
        attempted.accumulateAndGet(client, next, Math::max);
        request.session().setLong("n", next);
        request.finish();
        acknowledged.accumulateAndGet(client, next, Math::max);
      } catch (CompletionException e) {
        error = e.getCause();
      } catch (SessionException e) {
        error = e;
      } catch (RuntimeException e) {
        error = e;
      }
      outcomes.add(new Outcome(client, start, System.nanoTime(), error));
      if (error != null) {
        sleepQuietly(20);
      }
    }
  }

  /** Stops the clients; returns the names of those still running after {@code wait}. */
  List<String> stop(Duration wait) throws InterruptedException {
    stop = true;
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> stuck = new ArrayList<>();
    for (Thread t : threads) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      if (t.isAlive()) {
        stuck.add(t.getName());
      }
    }
    return stuck;
  }

  /** The counter each session holds now, read through a request of its own. */
  long stored(int client) {
    SessionRequest request = manager.begin(cookies.get(client), false, () -> false);
    request.session().loadAsync().join();
    long n = request.session().getLong("n").orElse(-1L);
    request.finish();
    return n;
  }

  String summary() {
    long ok = outcomes.stream().filter(Outcome::ok).count();
    Duration longest =
        outcomes.stream().map(Outcome::duration).max(Duration::compareTo).orElse(Duration.ZERO);
    return outcomes.size()
        + " requests, "
        + ok
        + " succeeded, "
        + (outcomes.size() - ok)
        + " failed "
        + outcomes.stream()
            .filter(o -> !o.ok())
            .collect(
                java.util.stream.Collectors.groupingBy(
                    o -> o.error().getClass().getSimpleName(),
                    java.util.TreeMap::new,
                    java.util.stream.Collectors.counting()))
        + ", longest "
        + longest.toMillis()
        + " ms";
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
