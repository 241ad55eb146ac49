package io.sessionstate.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionException;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionStoreException;
import io.sessionstate.SessionTimeoutException;
import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * Concurrent clients for the fault tests: each owns a session holding a counter and, until stopped,
 * runs requests that load it explicitly, add one and commit. Every request is recorded with its
 * start, end and outcome, and each client's last acknowledged and last attempted value is kept, so
 * a test can tell a lost commit from one that was never acknowledged. For the fault tests of a
 * store over a network server (a server that stalls, restarts or vanishes under load). Thread-safe.
 */
public final class FaultClients {

  /**
   * One request of one client: when it started and ended, and what it failed with.
   *
   * @param client the client's index
   * @param startNanos {@link System#nanoTime()} when it started
   * @param endNanos {@link System#nanoTime()} when it ended
   * @param error what it failed with, or null when it succeeded
   */
  public record Attempt(int client, long startNanos, long endNanos, @Nullable Throwable error) {
    /** {@return how long the request took} */
    public Duration duration() {
      return Duration.ofNanos(endNanos - startNanos);
    }

    /** {@return whether the request succeeded} */
    public boolean ok() {
      return error == null;
    }
  }

  private final SessionManager manager;
  private final List<String> cookies = new ArrayList<>();
  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  private final AtomicLongArray acknowledged;
  private final AtomicLongArray attempted;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  /**
   * A session manager over {@code store} with this I/O timeout, and {@code clients} sessions, each
   * holding a counter at zero, committed through it.
   *
   * @param store the store under test, which the manager closes
   * @param ioTimeout the manager's I/O timeout
   * @param clients how many clients, each with its own session
   */
  public FaultClients(SessionStore store, Duration ioTimeout, int clients) {
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

  /** {@return the manager the clients' requests go through; the test closes it} */
  public SessionManager manager() {
    return manager;
  }

  /** {@return every request made so far, in the order they ended; a live view} */
  public List<Attempt> attempts() {
    return attempts;
  }

  /**
   * {@return the highest counter value whose commit {@code client} saw acknowledged}
   *
   * @param client the client's index, from 0
   */
  public long acknowledged(int client) {
    return acknowledged.get(client);
  }

  /**
   * {@return the highest counter value {@code client} tried to commit, acknowledged or not}
   *
   * @param client the client's index, from 0
   */
  public long attempted(int client) {
    return attempted.get(client);
  }

  /** Starts one thread per client, each running requests until {@link #stop}. */
  public void start() {
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
      @Nullable Throwable error = null;
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
      attempts.add(new Attempt(client, start, System.nanoTime(), error));
      if (error != null) {
        sleepQuietly(20);
      }
    }
  }

  /**
   * Stops the clients; returns the names of those still running after {@code wait}.
   *
   * @param wait how long to wait for the clients to end
   * @return the names of the clients still running, empty when all ended
   * @throws InterruptedException if interrupted while waiting
   */
  public List<String> stop(Duration wait) throws InterruptedException {
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

  /**
   * {@return the counter each session holds now, read through a request of its own}
   *
   * @param client the client's index, from 0
   */
  public long stored(int client) {
    SessionRequest request = manager.begin(cookies.get(client), false, () -> false);
    request.session().loadAsync().join();
    long n = request.session().getLong("n").orElse(-1L);
    request.finish();
    return n;
  }

  /**
   * Asserts that every request ended within {@code limit} and that every failure is the library's
   * own: a {@link SessionStoreException} whose message starts with {@code "<storeName> store failed
   * to "} and holds each of {@code messageParts}, or a {@link SessionTimeoutException}.
   *
   * @param limit the longest a request may take
   * @param storeName the store's name, which each store failure's message starts with
   * @param messageParts texts each store failure's message must hold
   */
  public void assertBounded(Duration limit, String storeName, String... messageParts) {
    for (Attempt a : attempts) {
      assertThat(a.duration()).as("request of client %d took", a.client()).isLessThan(limit);
      if (!a.ok()) {
        assertThat(a.error())
            .as("failure of client %d", a.client())
            .isInstanceOfAny(SessionStoreException.class, SessionTimeoutException.class);
        if (a.error() instanceof SessionStoreException e) {
          assertThat(e.getMessage())
              .startsWith(storeName + " store failed to ")
              .contains(messageParts);
        }
      }
    }
  }

  /**
   * {@return how many requests failed that were in flight between the two {@link
   * System#nanoTime()}s}
   *
   * @param fromNanos the start of the window, a {@link System#nanoTime()}
   * @param toNanos the end of the window, a {@link System#nanoTime()}
   */
  public long failuresBetween(long fromNanos, long toNanos) {
    return attempts.stream()
        .filter(a -> !a.ok() && a.endNanos() - fromNanos > 0 && a.startNanos() - toNanos < 0)
        .count();
  }

  /**
   * Waits until every client has ended a request begun after {@code sinceNanos}, so that {@link
   * #assertRecovered} has requests to judge however slowly the machine runs; returns after {@code
   * timeout} regardless, and the assertion then says which client had none.
   *
   * @param sinceNanos the {@link System#nanoTime()} the requests must begin after
   * @param timeout the longest wait
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitRequestsSince(long sinceNanos, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      long clientsWithOne =
          attempts.stream()
              .filter(a -> a.startNanos() - sinceNanos >= 0)
              .mapToInt(Attempt::client)
              .distinct()
              .count();
      if (clientsWithOne == cookies.size()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  /**
   * Asserts that every request begun after {@code sinceNanos} ({@link System#nanoTime()})
   * succeeded, and that every client made at least one.
   *
   * @param sinceNanos the {@link System#nanoTime()} from which every request must succeed
   */
  public void assertRecovered(long sinceNanos) {
    for (int c = 0; c < cookies.size(); c++) {
      int client = c;
      List<Attempt> after =
          attempts.stream()
              .filter(a -> a.client() == client && a.startNanos() - sinceNanos >= 0)
              .toList();
      assertThat(after).as("requests of client %d after recovery", c).isNotEmpty();
      assertThat(after)
          .as("requests of client %d after recovery", c)
          .allSatisfy(a -> assertThat(a.error()).isNull());
    }
  }

  /**
   * Asserts that no acknowledged commit was lost: each session's counter, read now, is at least the
   * last value its client saw acknowledged, and at most the last it attempted (a commit that failed
   * at the client may still have reached the store).
   */
  public void assertNoAcknowledgedCommitLost() {
    for (int c = 0; c < cookies.size(); c++) {
      assertThat(stored(c))
          .as("client %d: stored counter against acknowledged and attempted ones", c)
          .isBetween(acknowledged(c), Math.max(acknowledged(c), attempted(c)));
    }
  }

  /** {@return how many requests succeeded and failed (by exception type), and the longest one} */
  public String summary() {
    long ok = attempts.stream().filter(Attempt::ok).count();
    Duration longest =
        attempts.stream().map(Attempt::duration).max(Duration::compareTo).orElse(Duration.ZERO);
    return attempts.size()
        + " requests, "
        + ok
        + " succeeded, "
        + (attempts.size() - ok)
        + " failed "
        + attempts.stream()
            .filter(o -> !o.ok())
            .collect(
                java.util.stream.Collectors.groupingBy(
                    FaultClients::errorType,
                    java.util.TreeMap::new,
                    java.util.stream.Collectors.counting()))
        + ", longest "
        + longest.toMillis()
        + " ms";
  }

  private static String errorType(Attempt a) {
    Throwable error = a.error();
    return error == null ? "none" : error.getClass().getSimpleName();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
