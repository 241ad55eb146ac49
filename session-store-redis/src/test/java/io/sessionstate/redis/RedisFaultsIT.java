package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionException;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sixteen visitors under load while their Redis is killed and restarted, or frozen and resumed:
 * every request ends in time, either served or failed with the library's store error; the store
 * recovers by itself; and with {@code appendfsync always} no acknowledged commit is lost.
 */
class RedisFaultsIT {
  private static final int CLIENTS = 16;
  private static final Duration OPERATION_TIMEOUT = RedisSessionStore.DEFAULT_OPERATION_TIMEOUT;
  private RedisServerProcess server;
  private SessionManager manager;

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void startWith(String... serverArgs) {
    startWith(SessionManager.DEFAULT_IO_TIMEOUT, serverArgs);
  }

  private void startWith(Duration ioTimeout, String... serverArgs) {
    server = RedisServerProcess.start(serverArgs);
    manager =
        SessionManager.builder()
            .ioTimeout(ioTimeout)
            .store(
                RedisSessionStore.builder()
                    .host("127.0.0.1")
                    .port(server.port())
                    .applicationName("faults")
                    .build())
            .keyRing(KeyRing.builder().addKey("k1", new byte[32]).build())
            .build();
  }

  @Test
  void killedAndRestartedTwoSecondsLater_everyRequestEndsInTime_andNoAcknowledgedCommitIsLost()
      throws Exception {
    startWith("--appendonly", "yes", "--appendfsync", "always");
    Load load = new Load(manager, CLIENTS);
    load.start();
    RedisServerProcess.sleep(Duration.ofSeconds(1));
    long killedAt = load.elapsedMillis();
    server.kill();
    RedisServerProcess.sleep(Duration.ofSeconds(2));
    server.restart();
    long restartedAt = load.elapsedMillis();
    RedisServerProcess.sleep(Duration.ofSeconds(2));
    assertThat(load.stop(Duration.ofSeconds(5))).as("every visitor stopped").isTrue();

    List<Load.Outcome> all = load.all();
    List<Load.Outcome> failures = all.stream().filter(o -> o.error() != null).toList();
    report("kill", all, failures);
    assertThat(failures).as("requests failed while Redis was down").isNotEmpty();
    assertThat(all.stream().filter(o -> o.error() == null && o.startMillis() > restartedAt))
        .as("requests served after the restart")
        .isNotEmpty();
    long bound = OPERATION_TIMEOUT.toMillis() + 250;
    assertThat(all)
        .allSatisfy(
            o -> assertThat(o.millis()).as("request duration, ms").isLessThanOrEqualTo(bound));
    assertThat(failures)
        .allSatisfy(
            o ->
                assertThat(o.error())
                    .isInstanceOf(SessionStoreException.class)
                    .message()
                    .matches(
                        "redis store failed to (load|save): ("
                            + "could not connect to Redis \\(Failed to connect to 127\\.0\\.0\\.1:"
                            + server.port()
                            + "\\. Connection refused\\)"
                            + "|the connection to Redis failed \\(.+\\)"
                            + "|Redis is still loading its data set into memory \\(LOADING .+\\))"));
    // The store recovered by itself: a second after the restart, nothing fails any more.
    assertThat(failures)
        .allSatisfy(
            o -> assertThat(o.startMillis()).isBetween(killedAt - bound, restartedAt + 1000));

    for (int client = 0; client < CLIENTS; client++) {
      long acknowledged = 0;
      for (Load.Outcome o : load.outcomes.get(client)) {
        if (o.read() != null) {
          // What a request loads is never older than the last commit the store acknowledged.
          assertThat((long) o.read())
              .as("client %d at %d ms", client, o.startMillis())
              .isGreaterThanOrEqualTo(acknowledged);
          acknowledged = o.read() + 1L;
        }
      }
      assertThat(acknowledged).isEqualTo(load.acknowledged[client]);
      Optional<Integer> stored = load.browsers[client].request(s -> s.getInt32("n"));
      // The last commit may have been applied without its acknowledgement reaching the visitor.
      assertThat(stored.orElseThrow().longValue())
          .as("client %d", client)
          .isBetween(acknowledged, acknowledged + 1);
    }
  }

  @Test
  void frozenForThreeSeconds_noRequestTakesLongerThanTheTimeout_andNoneIsStuckAfterwards()
      throws Exception {
    startWith();
    Load load = new Load(manager, CLIENTS);
    load.start();
    RedisServerProcess.sleep(Duration.ofSeconds(1));
    long frozenAt = load.elapsedMillis();
    server.pause();
    try {
      RedisServerProcess.sleep(Duration.ofSeconds(3));
    } finally {
      server.resume();
    }
    long resumedAt = load.elapsedMillis();
    RedisServerProcess.sleep(Duration.ofSeconds(2));
    assertThat(load.stop(Duration.ofSeconds(5))).as("every visitor stopped").isTrue();

    List<Load.Outcome> all = load.all();
    List<Load.Outcome> failures = all.stream().filter(o -> o.error() != null).toList();
    report("freeze", all, failures);
    assertThat(failures).as("requests failed while Redis was frozen").isNotEmpty();
    // Bounded by the operation timeout, not by the three-second freeze; the half timeout of slack
    // is for a loaded machine's scheduling, still far below the freeze.
    assertThat(all)
        .allSatisfy(
            o ->
                assertThat(o.millis())
                    .as("request duration, ms")
                    .isLessThanOrEqualTo(OPERATION_TIMEOUT.toMillis() * 3 / 2));
    assertThat(failures)
        .allSatisfy(
            o ->
                assertThat(o.error())
                    .isInstanceOf(SessionStoreException.class)
                    .hasMessageContaining(
                        "Redis did not answer within the operation timeout of PT1S"));
    assertThat(failures)
        .allSatisfy(o -> assertThat(o.startMillis()).isBetween(frozenAt - 1100, resumedAt + 100));
    // Every visitor was served again after the freeze.
    for (int client = 0; client < CLIENTS; client++) {
      assertThat(load.outcomes.get(client))
          .as("client %d", client)
          .anySatisfy(
              o -> {
                assertThat(o.startMillis()).isGreaterThan(resumedAt);
                assertThat(o.error()).isNull();
              });
    }
  }

  @Test
  void frozen_synchronousLoadAndCommitOnTheRequestsThread_endByTheOperationTimeout() {
    startWith();
    Browser browser = new Browser(manager);
    browser.run(s -> s.setString("a", "1"));
    SessionRequest writer = manager.beginWithCookieValue(browser.cookieValue(), false, () -> false);
    assertThat(writer.session().getString("a")).contains("1");
    writer.session().setString("a", "2");
    server.pause();
    try {
      // An implicit load: on this thread, ended by the store's operation timeout (the I/O timeout
      // is a minute); the session is unavailable and the change is reported by the commit.
      SessionRequest reader =
          manager.beginWithCookieValue(browser.cookieValue(), false, () -> false);
      long start = System.nanoTime();
      assertThat(reader.session().isAvailable()).isFalse();
      reader.session().setString("a", "3");
      assertThatThrownBy(reader::finish)
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("1 change made by this request was not kept")
          .cause()
          .hasMessageContaining("Redis did not answer within the operation timeout of PT1S");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(OPERATION_TIMEOUT.multipliedBy(3).dividedBy(2));
      // A synchronous commit: the same bound, a SessionException, nothing half written.
      long commitStart = System.nanoTime();
      assertThatThrownBy(writer::finish)
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("Redis did not answer within the operation timeout of PT1S");
      assertThat(Duration.ofNanos(System.nanoTime() - commitStart))
          .isLessThan(OPERATION_TIMEOUT.multipliedBy(3).dividedBy(2));
    } finally {
      server.resume();
    }
    // The commit that timed out may still land when Redis resumes (its command was sent): a
    // timeout leaves the outcome unknown. The change of the request that found the session
    // unavailable never lands.
    browser.run(s -> assertThat(s.getString("a").orElseThrow()).isIn("1", "2"));
  }

  @Test
  void frozen_400ConcurrentLoadAsync_parkAtMostTheThreadBound_andEachEndsWithASessionException()
      throws Exception {
    Duration ioTimeout = Duration.ofSeconds(3);
    startWith(ioTimeout);
    Browser browser = new Browser(manager);
    browser.run(s -> s.setString("a", "1"));
    long threadsBefore = ioThreads();
    List<CompletableFuture<Void>> loads = new ArrayList<>();
    server.pause();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < 400; i++) {
        loads.add(
            manager
                .beginWithCookieValue(browser.cookieValue(), false, () -> false)
                .session()
                .loadAsync());
      }
      // None is refused at once: past the thread bound, calls wait for a thread.
      assertThat(loads).noneMatch(CompletableFuture::isDone);
      RedisServerProcess.sleep(Duration.ofMillis(500));
      assertThat(ioThreads() - threadsBefore)
          .as("threads parked behind the frozen Redis")
          .isLessThanOrEqualTo(SessionManager.DEFAULT_MAX_IO_THREADS);
      Map<String, Long> outcomes = new TreeMap<>();
      for (CompletableFuture<Void> load : loads) {
        Throwable failure = load.handle((v, t) -> t).get(10, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(CompletionException.class);
        assertThat(failure.getCause()).isInstanceOf(SessionException.class);
        outcomes.merge(failure.getCause().getClass().getSimpleName(), 1L, Long::sum);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.printf("400 loadAsync behind a frozen Redis: %s in %s%n", outcomes, took);
      // Calls that got a thread end by the operation timeout, those still waiting by the I/O
      // timeout; none outlives it by more than one operation timeout.
      assertThat(took).isLessThan(ioTimeout.plus(OPERATION_TIMEOUT).plusMillis(500));
      assertThat(outcomes.keySet()).contains("SessionTimeoutException", "SessionStoreException");
    } finally {
      server.resume();
    }
    browser.run(s -> assertThat(s.getString("a")).contains("1"));
  }

  private static long ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("sessionstate-io-"))
        .count();
  }

  private static void report(String name, List<Load.Outcome> all, List<Load.Outcome> failures) {
    long slowest = all.stream().mapToLong(Load.Outcome::millis).max().orElse(0);
    System.out.printf(
        "%s: %d requests, %d failed, slowest %d ms; failures: %s%n",
        name,
        all.size(),
        failures.size(),
        slowest,
        failures.stream()
            .map(o -> String.valueOf(o.error().getMessage()))
            .map(m -> m.length() > 110 ? m.substring(0, 110) : m)
            .collect(Collectors.groupingBy(m -> m, Collectors.counting())));
  }
}
