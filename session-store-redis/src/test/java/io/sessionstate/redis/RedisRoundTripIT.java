package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.CommitMode;
import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.spi.VersionedSessionStore;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;

/**
 * Counts what each kind of request sends to Redis, on a server of the test's own so no other
 * client's commands are counted: the commands from {@code INFO commandstats} deltas, and the round
 * trips from {@code total_reads_processed}, which grows once per batch of bytes the server reads
 * from a client (a pipelined {@code MULTI ... EXEC} arrives as one). The commands a script runs
 * count as commands too. On one node a load is one transaction of plain commands that read the
 * header and the rest apart and slide the expiry; a conditional save is one transaction, in one
 * round trip, of a plain {@code SET} of a staging key and a script that checks the condition and
 * renames it into place.
 */
class RedisRoundTripIT {
  private static final String APP = "roundtrips";
  private static RedisServerProcess server;
  private static Jedis admin;
  private static final byte[] TOMBSTONE = {(byte) 0xFF, 'S', 'S', 'T'};
  private static final Map<CommitMode, SessionManager> managers = new EnumMap<>(CommitMode.class);
  private static SessionManager manager;

  @BeforeAll
  static void start() {
    server = RedisServerProcess.start();
    admin = server.admin();
    for (CommitMode mode : CommitMode.values()) {
      RedisSessionStore store =
          RedisSessionStore.builder()
              .host("127.0.0.1")
              .port(server.port())
              .applicationName(APP)
              .build();
      managers.put(
          mode,
          SessionManager.builder()
              .store(store)
              .commitMode(mode)
              .keyRing(KeyRing.builder().addKey("k1", new byte[32]).build())
              .build());
    }
    manager = managers.get(CommitMode.COHERENT);
  }

  @AfterAll
  static void stop() {
    managers.values().forEach(SessionManager::close);
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
    // Each store's connection is opened, and the server learns each script (sent whole once with
    // EVAL), before anything is counted.
    for (SessionManager m : managers.values()) {
      VersionedSessionStore store = (VersionedSessionStore) m.store();
      Duration second = Duration.ofSeconds(1);
      store.loadVersioned("warm-up", second);
      store.saveIf("warm-up", Condition.exists(), new byte[1], second);
      store.replaceIf("warm-up", Condition.exists(), "warm-up-2", new byte[1], second, second);
    }
  }

  @Test
  void newVisitor_firstValue_isOneTransaction() {
    Browser browser = new Browser(manager);

    Traffic traffic = measure(() -> browser.run(s -> s.setString("name", "ada")));

    // One transaction: the SET of the staging key at version 1 with its time to live, then the
    // script (GETRANGE finds nothing, EXISTS says there is nothing, RENAME); the blob skips Lua.
    assertThat(traffic.commands)
        .isEqualTo(
            Map.of(
                "multi",
                1L,
                "set",
                1L,
                "evalsha",
                1L,
                "exec",
                1L,
                "getrange",
                1L,
                "exists",
                1L,
                "rename",
                1L));
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
  void readOnlyRequest_isOneTransactionThatReadsAndSlidesWithoutAScript() {
    Browser browser = signedIn();

    Traffic traffic =
        measure(() -> browser.run(s -> assertThat(s.getString("name")).contains("ada")));

    // One transaction and no script: PTTL, GETRANGE of the header, GETRANGE of the rest, PEXPIRE.
    assertThat(traffic.commands)
        .isEqualTo(Map.of("multi", 1L, "pttl", 1L, "getrange", 2L, "pexpire", 1L, "exec", 1L));
    assertThat(traffic.roundTrips).isEqualTo(1);
  }

  @Test
  void modifiedRequest_isALoadThenASaveTransaction() {
    Browser browser = signedIn();

    Traffic traffic = measure(() -> browser.run(s -> s.setString("name", "grace")));

    // The load (PTTL, two GETRANGEs, PEXPIRE), then the save's transaction (SET of the staging
    // key, then the script: GETRANGE, RENAME, SETRANGE of the version it could not know).
    assertThat(traffic.commands)
        .isEqualTo(
            Map.of(
                "multi",
                2L,
                "exec",
                2L,
                "pttl",
                1L,
                "getrange",
                3L,
                "pexpire",
                1L,
                "evalsha",
                1L,
                "set",
                1L,
                "rename",
                1L,
                "setrange",
                1L));
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
  void invalidate_isALoadThenOneSetOfATombstone() {
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

    assertThat(traffic.commands)
        .isEqualTo(
            Map.of("multi", 1L, "exec", 1L, "pttl", 1L, "getrange", 2L, "pexpire", 1L, "set", 1L));
    assertThat(traffic.roundTrips).isEqualTo(2);
    assertThat(admin.get(key.getBytes(StandardCharsets.UTF_8))).isEqualTo(TOMBSTONE);
    assertThat(admin.pttl(key)).isBetween(1L, manager.tombstoneTtl().toMillis());
    assertThat(browser.hasCookie()).isFalse();
  }

  @Test
  void regenerateId_isALoadThenOneScriptOverBothKeys() {
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
        .isEqualTo(
            Map.of(
                "multi",
                1L,
                "exec",
                1L,
                "pttl",
                1L,
                "getrange",
                3L,
                "pexpire",
                1L,
                "evalsha",
                1L,
                "set",
                2L));
    assertThat(traffic.roundTrips).isEqualTo(2);
    String newKey = browser.redisKey(APP);
    assertThat(newKey).isNotEqualTo(oldKey);
    byte[] tombstone = admin.get(oldKey.getBytes(StandardCharsets.UTF_8));
    assertThat(tombstone).startsWith(TOMBSTONE).hasSize(20);
    assertThat(admin.pttl(newKey)).isPositive();
    assertThat(browser.<Optional<String>>request(s -> s.getString("name"))).contains("ada");
  }

  @ParameterizedTest
  @EnumSource(CommitMode.class)
  void everyMode_withoutConflict_isOneRoundTripPerReadAndTwoPerWrite(CommitMode mode) {
    Browser browser = signedIn(managers.get(mode));

    Traffic read = measure(() -> browser.run(s -> assertThat(s.getString("name")).contains("ada")));
    Traffic write = measure(() -> browser.run(s -> s.setString("name", "grace")));

    assertThat(read.roundTrips).isEqualTo(1);
    assertThat(read.commands).doesNotContainKey("evalsha");
    assertThat(write.roundTrips).isEqualTo(2);
    assertThat(write.commands).containsEntry("evalsha", 1L);
    assertThat(browser.<Optional<String>>request(s -> s.getString("name"))).contains("grace");
  }

  private Browser signedIn() {
    return signedIn(manager);
  }

  private Browser signedIn(SessionManager manager) {
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
