package io.sessionstate.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Versions, conditional saves and tombstones against one Redis deployment, read back both through
 * the store and directly on the server, so the stored layout (the store's header in front of the
 * blob, the tombstone value) is checked too. Each test's store has an application name of its own.
 */
abstract class RedisVersionedChecks {
  static final Duration TTL = Duration.ofMinutes(20);
  static final Duration TOMBSTONE_TTL = Duration.ofMinutes(6);

  final String app = "ver" + UUID.randomUUID().toString().replace("-", "");
  private final List<String> written = new ArrayList<>();
  private RedisSessionStore store;

  /** A builder for the deployment under test; the application name is set on top. */
  abstract RedisSessionStore.Builder builder();

  /** A connection to the node that holds {@code redisKey}; the caller closes it. */
  abstract Jedis nodeOf(String redisKey);

  RedisSessionStore store() {
    if (store == null) {
      store = builder().applicationName(app).build();
    }
    return store;
  }

  String key() {
    String key = UUID.randomUUID().toString();
    written.add(key);
    return key;
  }

  String redisKey(String sessionKey) {
    return "{" + app + "_" + sessionKey + "}_Data";
  }

  byte[] raw(String sessionKey) {
    try (Jedis node = nodeOf(redisKey(sessionKey))) {
      return node.get(redisKey(sessionKey).getBytes(UTF_8));
    }
  }

  long pttl(String sessionKey) {
    try (Jedis node = nodeOf(redisKey(sessionKey))) {
      return node.pttl(redisKey(sessionKey));
    }
  }

  @AfterEach
  void cleanUp() {
    for (String key : written) {
      try (Jedis node = nodeOf(redisKey(key))) {
        node.del(redisKey(key));
      }
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void saveIfAbsent_freeKey_storesTheHeaderAndVersion1() {
    String key = key();

    Outcome outcome = store().saveIf(key, Condition.absent(), bytes("a"), TTL);

    assertThat(outcome.version()).isEqualTo(1);
    byte[] raw = raw(key);
    assertThat(Arrays.copyOf(raw, 4)).isEqualTo(new byte[] {(byte) 0xFF, 'S', 'S', 'V'});
    assertThat(new String(raw, 4, 16, US_ASCII)).isEqualTo("0000000000000001");
    assertThat(Arrays.copyOfRange(raw, 20, raw.length)).isEqualTo(bytes("a"));
    assertThat(pttl(key)).isBetween(TTL.minusMinutes(1).toMillis(), TTL.toMillis());
    Stored stored = store().loadVersioned(key, TTL);
    assertThat(stored.blob()).isEqualTo(bytes("a"));
    assertThat(stored.version()).isEqualTo(1);
  }

  @Test
  void saveIfVersion_loadedVersion_savesAndAdvances_staleVersion_isAConflictWithWhatIsStored() {
    String key = key();
    store().saveIf(key, Condition.absent(), bytes("a"), TTL);

    assertThat(store().saveIf(key, Condition.version(1), bytes("b"), TTL).version()).isEqualTo(2);
    Outcome stale = store().saveIf(key, Condition.version(1), bytes("stale"), TTL);

    assertThat(stale.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(stale.current().blob()).isEqualTo(bytes("b"));
    assertThat(stale.current().version()).isEqualTo(2);
    assertThat(store().loadVersioned(key, TTL).blob()).isEqualTo(bytes("b"));
  }

  @Test
  void saveIfVersionOrExists_missingKey_isGoneAndWritesNothing() {
    String key = key();

    assertThat(store().saveIf(key, Condition.version(3), bytes("a"), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(store().saveIf(key, Condition.exists(), bytes("a"), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(raw(key)).isNull();
  }

  @Test
  void saveIfExists_anyVersion_lastWriterWins_saveIfAbsent_liveKey_isAConflict() {
    String key = key();
    store().saveIf(key, Condition.notInvalidated(), bytes("a"), TTL);
    store().saveIf(key, Condition.version(1), bytes("b"), TTL);

    assertThat(store().saveIf(key, Condition.exists(), bytes("c"), TTL).version()).isEqualTo(3);
    Outcome absent = store().saveIf(key, Condition.absent(), bytes("d"), TTL);

    assertThat(absent.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(absent.current().blob()).isEqualTo(bytes("c"));
  }

  @Test
  void saveIfVersion_sameBlobAnotherWriterSaved_isStillAConflict() {
    String key = key();
    store().saveIf(key, Condition.absent(), bytes("a"), TTL);
    store().saveIf(key, Condition.version(1), bytes("b"), TTL);

    Outcome second = store().saveIf(key, Condition.version(1), bytes("b"), TTL);

    assertThat(second.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(second.current().version()).isEqualTo(2);
  }

  @Test
  void invalidate_leavesATombstoneThatNoConditionOverwritesAndThatLoadsDoNotSlide() {
    String key = key();
    store().saveIf(key, Condition.absent(), bytes("signed in"), TTL);

    store().invalidate(key, TOMBSTONE_TTL);

    assertThat(raw(key)).isEqualTo(new byte[] {(byte) 0xFF, 'S', 'S', 'T'});
    for (Condition c :
        List.of(
            Condition.version(1),
            Condition.exists(),
            Condition.absent(),
            Condition.notInvalidated())) {
      assertThat(store().saveIf(key, c, bytes("back"), TTL).status())
          .as("%s", c)
          .isEqualTo(Outcome.Status.GONE);
    }
    assertThat(store().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
    assertThat(pttl(key)).isBetween(1L, TOMBSTONE_TTL.toMillis());
    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  void loadVersioned_neverShortensALongerExpiry() {
    String key = key();
    store().saveIf(key, Condition.absent(), bytes("own timeout"), TTL);

    assertThat(store().loadVersioned(key, Duration.ofMinutes(1)).state())
        .isEqualTo(Stored.State.PRESENT);

    assertThat(pttl(key)).isGreaterThan(TTL.minusMinutes(1).toMillis());
  }

  /**
   * Concurrent loads of one signed-out cookie with a slide shorter than the tombstone has left:
   * none may leave it shorter, or a slow commit of the signed-out session could outlive it.
   */
  @Test
  void concurrentLoadsOfATombstone_neverShortenIt() throws Exception {
    String key = key();
    store().invalidate(key, TOMBSTONE_TTL);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> loads = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        loads.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    assertThat(store().loadVersioned(key, Duration.ofMinutes(1)).state())
                        .isEqualTo(Stored.State.TOMBSTONE);
                  }
                }));
      }
      for (Future<?> load : loads) {
        load.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(pttl(key)).isGreaterThan(TOMBSTONE_TTL.minusMinutes(1).toMillis());
  }

  @Test
  void bareValue_isVersion0_andTheFirstConditionalSaveGivesItAHeader() {
    // What the plain save writes, and what earlier versions of the store wrote.
    String key = key();
    store().save(key, bytes("bare"), TTL);
    assertThat(raw(key)).isEqualTo(bytes("bare"));

    Stored stored = store().loadVersioned(key, TTL);
    assertThat(stored.blob()).isEqualTo(bytes("bare"));
    assertThat(stored.version()).isZero();

    assertThat(store().saveIf(key, Condition.version(0), bytes("new"), TTL).version()).isEqualTo(1);
    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("new")));
  }

  @Test
  void valuesThatOnlyLookLikeAHeader_areBareBlobs() {
    String key = key();
    for (byte[] value :
        List.of(
            new byte[] {(byte) 0xFF, 'S', 'S', 'V', '1'},
            "\u00FFSSV000000000000000x-rest".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            new byte[0])) {
      store().save(key, value, TTL);

      Stored stored = store().loadVersioned(key, TTL);

      assertThat(stored.blob()).isEqualTo(value);
      assertThat(stored.version()).isZero();
      assertThat(store().saveIf(key, Condition.version(0), value, TTL).version()).isEqualTo(1);
    }
    // A value that starts like a tombstone but is longer than one is a bare blob too.
    byte[] longer = new byte[40];
    System.arraycopy(new byte[] {(byte) 0xFF, 'S', 'S', 'T'}, 0, longer, 0, 4);
    store().save(key, longer, TTL);
    assertThat(store().loadVersioned(key, TTL).blob()).isEqualTo(longer);
  }

  @Test
  void replaceIf_conditionHolds_tombstonesTheOldKeyAndSavesTheNewAtVersion1() {
    String oldKey = key();
    String newKey = key();
    store().saveIf(oldKey, Condition.absent(), bytes("a"), TTL);

    Outcome outcome =
        store().replaceIf(oldKey, Condition.version(1), newKey, bytes("b"), TTL, TOMBSTONE_TTL);

    assertThat(outcome.version()).isEqualTo(1);
    assertThat(store().loadVersioned(oldKey, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
    assertThat(pttl(oldKey)).isBetween(1L, TOMBSTONE_TTL.toMillis());
    Stored moved = store().loadVersioned(newKey, TTL);
    assertThat(moved.blob()).isEqualTo(bytes("b"));
    assertThat(moved.version()).isEqualTo(1);
  }

  @Test
  void replaceIf_staleVersion_isAConflict_andLeavesNoNewKey() {
    String oldKey = key();
    String newKey = key();
    store().saveIf(oldKey, Condition.absent(), bytes("a"), TTL);
    store().saveIf(oldKey, Condition.version(1), bytes("b"), TTL);

    Outcome outcome =
        store().replaceIf(oldKey, Condition.version(1), newKey, bytes("c"), TTL, TOMBSTONE_TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(outcome.current().blob()).isEqualTo(bytes("b"));
    assertThat(store().loadVersioned(oldKey, TTL).blob()).isEqualTo(bytes("b"));
    assertThat(raw(newKey)).isNull();
  }

  @Test
  void replaceIf_signedOutKey_isGone_andLeavesNoNewKey() {
    String oldKey = key();
    String newKey = key();
    store().saveIf(oldKey, Condition.absent(), bytes("a"), TTL);
    store().invalidate(oldKey, TOMBSTONE_TTL);

    Outcome outcome =
        store().replaceIf(oldKey, Condition.exists(), newKey, bytes("b"), TTL, TOMBSTONE_TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.GONE);
    assertThat(raw(newKey)).isNull();
  }

  @Test
  void moveScript_runTwiceWithOneToken_reportsTheMoveDoneTheSecondTime() {
    // What a retry after a lost reply sends: the tombstone carries the move's token.
    String oldKey = key();
    String newKey = key();
    store().saveIf(oldKey, Condition.absent(), bytes("a"), TTL);
    List<byte[]> keys = List.of(redisKey(oldKey).getBytes(UTF_8));
    List<byte[]> args =
        List.of(
            bytes("VERSION"),
            bytes("1"),
            bytes("b"),
            bytes("60000"),
            bytes("60000"),
            bytes("0123456789abcdef"));

    try (Jedis node = nodeOf(redisKey(oldKey))) {
      Object first = node.eval(VersionedValues.MOVE.source, keys, args);
      Object second = node.eval(VersionedValues.MOVE.source, keys, args);
      Object other =
          node.eval(
              VersionedValues.MOVE.source,
              keys,
              List.of(
                  bytes("VERSION"),
                  bytes("1"),
                  bytes("b"),
                  bytes("60000"),
                  bytes("60000"),
                  bytes("fedcba9876543210")));

      assertThat(first).isEqualTo(List.of(1L, 1L));
      assertThat(second).isEqualTo(List.of(1L, 1L));
      assertThat(other).isEqualTo(List.of(3L));
    }
  }

  @Test
  void saveIfVersion_concurrentIncrementsFromFourThreads_loseNone() throws Exception {
    String key = key();
    store().saveIf(key, Condition.absent(), counter(0), TTL);
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> increment(key, perThread)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    Stored end = store().loadVersioned(key, TTL);
    assertThat(ByteBuffer.wrap(end.blob()).getLong()).isEqualTo((long) threads * perThread);
    assertThat(end.version()).isEqualTo(1L + threads * perThread);
  }

  private void increment(String key, int times) {
    for (int i = 0; i < times; i++) {
      Stored seen = store().loadVersioned(key, TTL);
      while (true) {
        long next = ByteBuffer.wrap(seen.blob()).getLong() + 1;
        Outcome o = store().saveIf(key, Condition.version(seen.version()), counter(next), TTL);
        if (o.status() == Outcome.Status.SAVED) {
          break;
        }
        seen = o.current();
      }
    }
  }

  static byte[] counter(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
