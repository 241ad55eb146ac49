package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Counts what each kind of request sends to Redis, on a server of the test's own so no other
 * client's commands are counted: the commands from {@code INFO commandstats} deltas, and the round
 * trips from {@code total_reads_processed}, which grows once per batch of bytes the server reads
 * from a client (a pipelined {@code MULTI ... EXEC} arrives as one).
 */
class RedisRoundTripIT {
  private static final String APP = "roundtrips";
  private static RedisServerProcess server;
  private static Jedis admin;
  private static SessionManager manager;

  @BeforeAll
  static void start() {
    server = RedisServerProcess.start();
    admin = server.admin();
    RedisSessionStore store =
        RedisSessionStore.builder()
            .host("127.0.0.1")
            .port(server.port())
            .applicationName(APP)
            .build();
    manager =
        SessionManager.builder()
            .store(store)
            .keyRing(KeyRing.builder().addKey("k1", new byte[32]).build())
            .build();
  }

  @AfterAll
  static void stop() {
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

  @BeforeEach
  void warmUp() {
    // The pool opens its connection on first use, and a new connection says hello to the server;
    // counts start once that is done.
    manager.store().loadAndTouch("warm-up", Duration.ofSeconds(1));
  }

  @Test
  void newVisitor_firstValue_isOneSet() {
    Browser browser = new Browser(manager);

    Traffic traffic = measure(() -> browser.run(s -> s.setString("name", "ada")));

    assertThat(traffic.commands).isEqualTo(Map.of("set", 1L));
    assertThat(traffic.roundTrips).isEqualTo(1);
    assertThat(admin.pttl(browser.redisKey(APP))).isPositive();
  }

  @Test
  void newConnection_sendsNothingBeforeItsFirstCommand() {
    // Jedis 8 would open with HELLO and Jedis 7 and 8 with CLIENT SETINFO unless told not to: on
    // either line a store's new connection must cost no round trip of its own.
    try (RedisSessionStore fresh =
        RedisSessionStore.builder()
            .host("127.0.0.1")
            .port(server.port())
            .applicationName(APP)
            .build()) {
      Traffic traffic = measure(() -> fresh.loadAndTouch("nobody", Duration.ofSeconds(1)));

      assertThat(traffic.commands).isEqualTo(Map.of("getex", 1L));
      assertThat(traffic.roundTrips).isEqualTo(1);
    }
  }

  @Test
  void newVisitor_onlyReading_sendsNothing() {
    Browser browser = new Browser(manager);

    Traffic traffic = measure(() -> browser.run(s -> assertThat(s.getString("name")).isEmpty()));

    assertThat(traffic.commands).isEmpty();
    assertThat(traffic.roundTrips).isZero();
    assertThat(browser.hasCookie()).isFalse();
  }

  @Test
  void readOnlyRequest_isOneGetex() {
    Browser browser = signedIn();

    Traffic traffic =
        measure(() -> browser.run(s -> assertThat(s.getString("name")).contains("ada")));

    assertThat(traffic.commands).isEqualTo(Map.of("getex", 1L));
    assertThat(traffic.roundTrips).isEqualTo(1);
  }

  @Test
  void modifiedRequest_isGetexThenSet() {
    Browser browser = signedIn();

    Traffic traffic = measure(() -> browser.run(s -> s.setString("name", "grace")));

    assertThat(traffic.commands).isEqualTo(Map.of("getex", 1L, "set", 1L));
    assertThat(traffic.roundTrips).isEqualTo(2);
    assertThat(browser.<Optional<String>>request(s -> s.getString("name"))).contains("grace");
  }

  @Test
  void requestThatNeverTouchesTheSession_sendsNothing() {
    Browser browser = signedIn();

    Traffic traffic = measure(() -> browser.run(s -> {}));

    assertThat(traffic.commands).isEmpty();
    assertThat(traffic.roundTrips).isZero();
  }

  @Test
  void invalidate_isGetexThenOneDel() {
    Browser browser = signedIn();
    String key = browser.redisKey(APP);

    Traffic traffic =
        measure(
            () ->
                browser.run(
                    s -> {
                      assertThat(s.getString("name")).contains("ada");
                      s.invalidate();
                    }));

    assertThat(traffic.commands).isEqualTo(Map.of("getex", 1L, "del", 1L));
    assertThat(traffic.roundTrips).isEqualTo(2);
    assertThat(admin.exists(key)).isFalse();
    assertThat(browser.hasCookie()).isFalse();
  }

  @Test
  void regenerateId_isGetexThenOneMultiExecRoundTrip() {
    Browser browser = signedIn();
    String oldKey = browser.redisKey(APP);

    Traffic traffic =
        measure(
            () ->
                browser.run(
                    s -> {
                      assertThat(s.getString("name")).contains("ada");
                      s.regenerateId();
                    }));

    assertThat(traffic.commands)
        .isEqualTo(Map.of("getex", 1L, "multi", 1L, "set", 1L, "del", 1L, "exec", 1L));
    assertThat(traffic.roundTrips).isEqualTo(2);
    String newKey = browser.redisKey(APP);
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(admin.exists(oldKey)).isFalse();
    assertThat(admin.pttl(newKey)).isPositive();
    assertThat(browser.<Optional<String>>request(s -> s.getString("name"))).contains("ada");
  }

  private Browser signedIn() {
    Browser browser = new Browser(manager);
    browser.run(s -> s.setString("name", "ada"));
    assertThat(browser.hasCookie()).isTrue();
    return browser;
  }

  /** What the server received while {@code action} ran, without the counting calls themselves. */
  private static Traffic measure(Runnable action) {
    Snapshot before = snapshot();
    action.run();
    Snapshot after = snapshot();
    Map<String, Long> commands = new TreeMap<>();
    after.calls.forEach(
        (command, calls) -> {
          long delta = calls - before.calls.getOrDefault(command, 0L);
          if (delta != 0 && !command.equals("info")) {
            commands.put(command, delta);
          }
        });
    // The second INFO's own read is counted before it answers.
    long roundTrips = after.reads - before.reads - 1;
    return new Traffic(commands, roundTrips);
  }

  private static Snapshot snapshot() {
    Map<String, Long> calls = new TreeMap<>();
    long reads = -1;
    for (String line : admin.info("everything").split("\r\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        int start = line.indexOf("calls=") + "calls=".length();
        calls.put(name, Long.parseLong(line.substring(start, line.indexOf(',', start))));
      } else if (line.startsWith("total_reads_processed:")) {
        reads = Long.parseLong(line.substring(line.indexOf(':') + 1));
      }
    }
    assertThat(reads).as("total_reads_processed in INFO").isNotNegative();
    return new Snapshot(calls, reads);
  }

  private record Snapshot(Map<String, Long> calls, long reads) {}

  private record Traffic(Map<String, Long> commands, long roundTrips) {}
}
