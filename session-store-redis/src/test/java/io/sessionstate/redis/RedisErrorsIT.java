package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionStoreException;
import io.sessionstate.tck.LogCapture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What a request sees when Redis refuses its commands: the library's error naming the store, the
 * operation and Redis' own words; {@code retryTimeout}'s schedule (a retry after 20 ms, then one a
 * second, then a last try at the timeout); and {@code throwOnError(false)}, which logs, keeps the
 * last error and lets the request go on. The server is made a read-only replica of a master that
 * does not exist, so it keeps its data and answers every write with {@code READONLY}.
 */
class RedisErrorsIT {
  private static final String READONLY =
      "the Redis node is a read-only replica, as after a failover"
          + " (READONLY You can't write against a read only replica.)";
  // Scheduling noise on a shared machine, on top of the documented schedule.
  private static final long TOLERANCE_MILLIS = 400;
  private RedisServerProcess server;
  private Jedis admin;
  private SessionManager manager;
  private RedisSessionStore store;

  @BeforeEach
  void start() {
    server = RedisServerProcess.start();
    admin = server.admin();
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private SessionManager manager(Duration retryTimeout, boolean throwOnError) {
    store =
        RedisSessionStore.builder()
            .host("127.0.0.1")
            .port(server.port())
            .applicationName("errors")
            .retryTimeout(retryTimeout)
            .throwOnError(throwOnError)
            .build();
    manager =
        SessionManager.builder()
            .store(store)
            .keyRing(KeyRing.builder().addKey("k1", new byte[32]).build())
            .build();
    return manager;
  }

  private void becomeReadOnlyReplica() {
    admin.replicaof("127.0.0.1", RedisServerProcess.freePort());
  }

  private void becomeMaster() {
    admin.replicaofNoOne();
  }

  @Test
  void readOnlyReplica_failsLoadAndSave_namingStoreOperationAndRedisError() {
    SessionManager manager = manager(Duration.ZERO, true);
    Browser ada = new Browser(manager);
    ada.run(s -> s.setString("name", "ada"));
    becomeReadOnlyReplica();

    ada.run(
        s ->
            assertThatThrownBy(() -> s.loadAsync().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(SessionStoreException.class)
                .hasMessage("redis store failed to load: " + READONLY)
                .satisfies(
                    e -> {
                      assertThat(((SessionStoreException) e).storeName()).isEqualTo("redis");
                      assertThat(((SessionStoreException) e).operation()).isEqualTo("load");
                    }));
    Browser newcomer = new Browser(manager);
    assertThatThrownBy(() -> newcomer.run(s -> s.setString("name", "grace")))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("redis store failed to save: " + READONLY);
    assertThat(newcomer.hasCookie()).as("no cookie for a session that was not stored").isFalse();

    becomeMaster();
    assertThat(ada.<Optional<String>>request(s -> s.getString("name"))).contains("ada");
  }

  @Test
  void replace_onReadOnlyReplica_namesRedisOwnError_andIsRetried() {
    manager(Duration.ofMillis(1500), true);
    byte[] blob = {1, 2, 3};
    store.save("old", blob, Duration.ofMinutes(1));
    becomeReadOnlyReplica();
    long refusedBefore = readOnlyErrors();

    // The SET queued inside MULTI is refused with READONLY, and EXEC then answers only
    // EXECABORT: the error that names the cause, and decides the retry, is the SET's.
    assertThatThrownBy(() -> store.replace("old", "new", blob, Duration.ofMinutes(1)))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("redis store failed to replace: " + READONLY);
    // Tries at 0, 20 ms and 1.02 s, then the last at 1.5 s; each has its SET and DEL refused.
    assertThat(readOnlyErrors() - refusedBefore).isEqualTo(4 * 2);

    becomeMaster();
    assertThat(store.loadAndTouch("old", Duration.ofMinutes(1)))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
    assertThat(store.loadAndTouch("new", Duration.ofMinutes(1))).isEmpty();
  }

  @Test
  void retryTimeout_retriesAfter20msThenEverySecond_thenOnceMoreAtTheTimeout() {
    SessionManager manager = manager(Duration.ofMillis(2500), true);
    becomeReadOnlyReplica();
    long refusedBefore = readOnlyErrors();
    Browser newcomer = new Browser(manager);

    long start = System.nanoTime();
    assertThatThrownBy(() -> newcomer.run(s -> s.setString("name", "grace")))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("redis store failed to save: " + READONLY);
    long millis = (System.nanoTime() - start) / 1_000_000;

    // Tries at 0, 20 ms, 1.02 s and 2.02 s, then the last at 2.5 s.
    assertThat(readOnlyErrors() - refusedBefore).isEqualTo(5);
    assertThat(millis).isBetween(2500L, 2500 + TOLERANCE_MILLIS);
  }

  @Test
  void retryTimeout_succeedsOnTheFirstRetryAfterTheNodeBecomesWritable() throws Exception {
    SessionManager manager = manager(Duration.ofSeconds(5), true);
    becomeReadOnlyReplica();
    long refusedBefore = readOnlyErrors();
    Browser newcomer = new Browser(manager);

    CompletableFuture<Void> promote =
        CompletableFuture.runAsync(
            () -> {
              RedisServerProcess.sleep(Duration.ofMillis(1500));
              try (Jedis other = server.admin()) {
                other.replicaofNoOne();
              }
            });
    long start = System.nanoTime();
    newcomer.run(s -> s.setString("name", "grace"));
    long millis = (System.nanoTime() - start) / 1_000_000;
    promote.get(10, TimeUnit.SECONDS);

    // Refused at 0, 20 ms and 1.02 s; written by the try at 2.02 s.
    assertThat(readOnlyErrors() - refusedBefore).isEqualTo(3);
    assertThat(millis).isBetween(2020L, 2020 + TOLERANCE_MILLIS);
    assertThat(newcomer.<Optional<String>>request(s -> s.getString("name"))).contains("grace");
  }

  @Test
  void retryTimeout_doesNotRetryWhatCannotPass() {
    SessionManager manager = manager(Duration.ofSeconds(5), true);
    Browser ada = new Browser(manager);
    ada.run(s -> s.setString("name", "ada"));
    // A key of another type under the session's key: GETEX fails with WRONGTYPE, which no retry
    // can mend.
    String key = ada.redisKey("errors");
    admin.del(key);
    admin.lpush(key, "x");

    long start = System.nanoTime();
    ada.run(
        s ->
            assertThatThrownBy(() -> s.loadAsync().join())
                .cause()
                .isInstanceOf(SessionStoreException.class)
                .hasMessage(
                    "redis store failed to load: Redis answered an error (WRONGTYPE Operation"
                        + " against a key holding the wrong kind of value)"));
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
  }

  @Test
  void throwOnErrorFalse_logsKeepsTheLastErrorAndTheRequestGoesOn() {
    SessionManager manager = manager(Duration.ZERO, false);
    Browser ada = new Browser(manager);
    ada.run(s -> s.setString("name", "ada"));
    Browser adaLater = ada.copy();
    becomeReadOnlyReplica();
    assertThat(store.lastError()).isEmpty();

    try (LogCapture log = LogCapture.systemErr()) {
      // The failed load reads as a session that is not there: the request starts an empty one.
      Optional<String> name = ada.request(s -> s.getString("name"));

      assertThat(name).isEmpty();
      assertThat(store.lastError())
          .get()
          .satisfies(e -> assertThat(e.operation()).isEqualTo("load"))
          .extracting(Throwable::getMessage)
          .isEqualTo("redis store failed to load: " + READONLY);
      assertThat(log.text())
          .contains("WARN")
          .contains("Redis session store: load failed: redis store failed to load: " + READONLY)
          .doesNotContain(ada.storeKey());

      // The failed save is logged and lost; the request itself completes.
      ada.run(s -> s.setString("name", "grace"));

      assertThat(store.lastError())
          .get()
          .satisfies(e -> assertThat(e.operation()).isEqualTo("save"))
          .extracting(Throwable::getMessage)
          .isEqualTo("redis store failed to save: " + READONLY);
      assertThat(log.text())
          .contains("Redis session store: save failed: redis store failed to save: " + READONLY);
    }

    becomeMaster();
    // Nothing was overwritten while Redis refused writes.
    assertThat(adaLater.<Optional<String>>request(s -> s.getString("name"))).contains("ada");
  }

  @Test
  void loadingServer_failsWithLoading_andRetryTimeoutWaitsItOut() {
    stop();
    // Every key takes a millisecond to load, so a restart loads for about two seconds, and the
    // server answers clients between every kilobyte it loads.
    server =
        RedisServerProcess.start(
            "--key-load-delay", "1000", "--loading-process-events-interval-bytes", "1024");
    admin = server.admin();
    SessionManager retrying = manager(Duration.ofSeconds(8), true);
    Browser ada = new Browser(retrying);
    ada.run(s -> s.setString("name", "ada"));
    try (var pipeline = admin.pipelined()) {
      for (int i = 0; i < 2000; i++) {
        pipeline.set("filler:" + i, "x");
      }
    }
    admin.save();
    admin.close();
    server.kill();
    admin = null;
    server.restartWithoutWaiting();
    awaitLoading();
    RedisSessionStore noRetry =
        RedisSessionStore.builder()
            .host("127.0.0.1")
            .port(server.port())
            .applicationName("errors")
            .build();
    try (SessionManager impatient =
        SessionManager.builder()
            .store(noRetry)
            .keyRing(KeyRing.builder().addKey("k1", new byte[32]).build())
            .build()) {
      Browser sameVisitor = ada.copyFor(impatient);
      sameVisitor.run(
          s ->
              assertThatThrownBy(() -> s.loadAsync().join())
                  .cause()
                  .isInstanceOf(SessionStoreException.class)
                  .hasMessage(
                      "redis store failed to load: Redis is still loading its data set into"
                          + " memory (LOADING Redis is loading the dataset in memory)"));
    }

    // With a retry timeout the same request waits until the data set is loaded.
    assertThat(ada.<Optional<String>>request(s -> s.getString("name"))).contains("ada");
  }

  private void awaitLoading() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() - deadline < 0) {
      try (Jedis probe = server.admin()) {
        probe.get("filler:0");
        throw new AssertionError(
            "redis-server answered GET: it loaded too fast to test LOADING\n" + server.log());
      } catch (JedisDataException e) {
        assertThat(e).hasMessageStartingWith("LOADING");
        return;
      } catch (JedisConnectionException e) {
        RedisServerProcess.sleep(Duration.ofMillis(5)); // not listening yet
      }
    }
    throw new AssertionError("redis-server did not start loading:\n" + server.log());
  }

  private long readOnlyErrors() {
    for (String line : admin.info("errorstats").split("\r\n")) {
      if (line.startsWith("errorstat_READONLY:count=")) {
        return Long.parseLong(line.substring("errorstat_READONLY:count=".length()));
      }
    }
    return 0;
  }
}
