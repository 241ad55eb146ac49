package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionStoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection pool under a server that stops answering: a connection whose command timed out is
 * never handed to another request, and a request that finds no free connection fails instead of
 * waiting for one.
 */
class RedisPoolIT {
  private static final String APP = "pool";
  private static final Duration OPERATION_TIMEOUT = Duration.ofMillis(400);
  // Scheduling noise on a shared machine; the bound itself is the operation timeout.
  private static final Duration TOLERANCE = Duration.ofMillis(250);
  private RedisServerProcess server;
  private SessionManager manager;

  @BeforeEach
  void start() {
    server = RedisServerProcess.start();
    manager =
        SessionManager.builder()
            .store(
                RedisSessionStore.builder()
                    .host("127.0.0.1")
                    .port(server.port())
                    .applicationName(APP)
                    .operationTimeout(OPERATION_TIMEOUT)
                    .maxConnections(1)
                    .build())
            .keyRing(KeyRing.builder().addKey("k1", new byte[32]).build())
            .build();
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aConnectionThatTimedOut_isNeverReused_soNoLateReplyReachesAnotherSession() {
    Browser ada = signedIn("ada");
    Browser grace = signedIn("grace");

    for (int round = 0; round < 3; round++) {
      server.pause();
      try {
        ada.run(
            s -> {
              CompletableFuture<Void> load = s.loadAsync();
              assertThatThrownBy(load::join)
                  .isInstanceOf(CompletionException.class)
                  .cause()
                  .isInstanceOf(SessionStoreException.class)
                  .hasMessage(
                      "redis store failed to load: Redis did not answer within the operation"
                          + " timeout of PT0.4S (Read timed out)");
            });
      } finally {
        server.resume();
      }
      // The server now answers the GETEX it had read before it froze, on the old socket; had
      // that socket gone back to the pool, the next request would read this late reply.
      RedisServerProcess.sleep(Duration.ofMillis(200));

      assertThat(grace.<Optional<String>>request(s -> s.getString("name"))).contains("grace");
      assertThat(ada.<Optional<String>>request(s -> s.getString("name"))).contains("ada");
    }
  }

  @Test
  void withEveryConnectionBusy_aRequestFailsWithinTheOperationTimeout() throws Exception {
    Browser ada = signedIn("ada");
    Browser grace = signedIn("grace");
    Failure first;
    Failure second;
    server.pause();
    try {
      // Takes the pool's only connection and holds it until its read times out.
      CompletableFuture<Failure> holder = CompletableFuture.supplyAsync(() -> failedLoad(ada));
      RedisServerProcess.sleep(Duration.ofMillis(100));
      second = failedLoad(grace);
      first = holder.get(10, TimeUnit.SECONDS);
    } finally {
      server.resume();
    }

    // The waiting request either gave up waiting for the connection, or got it when the first
    // gave it up and then had only the rest of its own operation timeout for the reply.
    long bound = OPERATION_TIMEOUT.toMillis() + TOLERANCE.toMillis();
    assertThat(first.millis).isLessThanOrEqualTo(bound);
    assertThat(first.error)
        .isInstanceOf(SessionStoreException.class)
        .hasMessageStartingWith("redis store failed to load: Redis did not answer within");
    assertThat(second.millis).isLessThanOrEqualTo(bound);
    assertThat(second.error)
        .isInstanceOf(SessionStoreException.class)
        .message()
        .satisfiesAnyOf(
            m ->
                assertThat(m).startsWith("redis store failed to load: Redis did not answer within"),
            m ->
                assertThat(m)
                    .startsWith(
                        "redis store failed to load: no pooled connection to Redis became free"
                            + " within the operation timeout of PT0.4S"));
    assertThat(grace.<Optional<String>>request(s -> s.getString("name"))).contains("grace");
    assertThat(ada.<Optional<String>>request(s -> s.getString("name"))).contains("ada");
  }

  private record Failure(long millis, Throwable error) {}

  /** A request whose explicit load must fail; how long the load took and how it failed. */
  private static Failure failedLoad(Browser browser) {
    return browser.request(
        s -> {
          long start = System.nanoTime();
          try {
            s.loadAsync().join();
          } catch (CompletionException e) {
            return new Failure((System.nanoTime() - start) / 1_000_000, e.getCause());
          }
          throw new AssertionError("the load succeeded on a frozen server");
        });
  }

  private Browser signedIn(String name) {
    Browser browser = new Browser(manager);
    browser.run(s -> s.setString("name", name));
    return browser;
  }
}
