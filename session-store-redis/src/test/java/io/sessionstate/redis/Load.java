package io.sessionstate.redis;

import io.sessionstate.SessionManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Visitors that each loop over requests that increment their own session's counter, through the
 * real request cycle, and record for every request how long it took and how it ended, and the last
 * counter value whose commit was acknowledged.
 */
final class Load {
  /** One request: when it started (ms since the load began), how long it took, how it ended. */
  record Outcome(int client, long startMillis, long millis, Throwable error, Integer read) {}

  final List<List<Outcome>> outcomes = new ArrayList<>();
  final long[] acknowledged;
  final Browser[] browsers;
  private final Thread[] threads;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final long origin = System.nanoTime();
  private final CountDownLatch started;

  Load(SessionManager manager, int clients) {
    acknowledged = new long[clients];
    browsers = new Browser[clients];
    threads = new Thread[clients];
    started = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      int client = i;
      browsers[i] = new Browser(manager);
      browsers[i].run(s -> s.setInt32("n", 0));
      List<Outcome> mine = new ArrayList<>();
      outcomes.add(mine);
      threads[i] = new Thread(() -> loop(client, mine), "visitor-" + i);
      threads[i].setDaemon(true);
    }
  }

  void start() {
    for (Thread t : threads) {
      t.start();
    }
  }

  long elapsedMillis() {
    return (System.nanoTime() - origin) / 1_000_000;
  }

  /** Stops the visitors and waits for them; false if one is still stuck after {@code wait}. */
  boolean stop(Duration wait) throws InterruptedException {
    stop.set(true);
    long deadline = System.nanoTime() + wait.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  List<Outcome> all() {
    List<Outcome> all = new ArrayList<>();
    outcomes.forEach(all::addAll);
    return all;
  }

  private void loop(int client, List<Outcome> mine) {
    started.countDown();
    while (!stop.get()) {
      long start = System.nanoTime();
      Throwable error = null;
      Integer read = null;
      try {
        read =
            browsers[client].request(
                s -> {
                  try {
                    s.loadAsync().join();
                  } catch (CompletionException e) {
                    throw new LoadFailed(e.getCause());
                  }
                  int n = s.getInt32("n").orElse(-1);
                  s.setInt32("n", n + 1);
                  return n;
                });
      } catch (LoadFailed e) {
        error = e.getCause();
      } catch (RuntimeException e) {
        error = e;
      }
      long end = System.nanoTime();
      if (error == null) {
        acknowledged[client] = read + 1L;
      }
      mine.add(
          new Outcome(
              client, (start - origin) / 1_000_000, (end - start) / 1_000_000, error, read));
      if (error != null) {
        RedisServerProcess.sleep(Duration.ofMillis(10)); // a browser retrying, not a busy loop
      }
    }
  }

  /** Carries a failed load out of the request's body, so the request is recorded as failed. */
  private static final class LoadFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LoadFailed(Throwable cause) {
      super(cause);
    }
  }
}
