package io.sessionstate.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Versions, conditional saves and tombstones in the memory store, on a ticker the test moves. */
class MemoryVersionedStoreTest {
  private static final Duration TTL = Duration.ofMinutes(20);
  private static final Duration TOMBSTONE_TTL = Duration.ofMinutes(6);

  private final AtomicLong nanos = new AtomicLong();
  private final MemorySessionStore store = MemorySessionStore.builder().ticker(nanos::get).build();

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void loadVersioned_unknownKey_isAbsent() {
    assertThat(store.loadVersioned(key(), TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  void saveIfAbsent_freeKey_savesVersion1() {
    String key = key();

    Outcome outcome = store.saveIf(key, Condition.absent(), bytes("a"), TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.SAVED);
    assertThat(outcome.version()).isEqualTo(1);
    Stored stored = store.loadVersioned(key, TTL);
    assertThat(stored.blob()).isEqualTo(bytes("a"));
    assertThat(stored.version()).isEqualTo(1);
  }

  @Test
  void saveIfVersion_loadedVersion_savesAndAdvancesTheVersion() {
    String key = key();
    store.saveIf(key, Condition.absent(), bytes("a"), TTL);

    Outcome outcome = store.saveIf(key, Condition.version(1), bytes("b"), TTL);

    assertThat(outcome.version()).isEqualTo(2);
    assertThat(store.loadVersioned(key, TTL).blob()).isEqualTo(bytes("b"));
  }

  @Test
  void saveIfVersion_staleVersion_isAConflictThatNamesWhatIsStored() {
    String key = key();
    store.saveIf(key, Condition.absent(), bytes("a"), TTL);
    store.saveIf(key, Condition.version(1), bytes("b"), TTL);

    Outcome outcome = store.saveIf(key, Condition.version(1), bytes("stale"), TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(outcome.current().blob()).isEqualTo(bytes("b"));
    assertThat(outcome.current().version()).isEqualTo(2);
    assertThat(store.loadVersioned(key, TTL).blob()).isEqualTo(bytes("b"));
  }

  @Test
  void saveIfVersionOrExists_missingKey_isGoneAndWritesNothing() {
    String key = key();

    assertThat(store.saveIf(key, Condition.version(1), bytes("a"), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(store.saveIf(key, Condition.exists(), bytes("a"), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(store.loadVersioned(key, TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  void saveIfExists_otherVersion_lastWriterWins() {
    String key = key();
    store.saveIf(key, Condition.absent(), bytes("a"), TTL);
    store.saveIf(key, Condition.version(1), bytes("b"), TTL);

    Outcome outcome = store.saveIf(key, Condition.exists(), bytes("c"), TTL);

    assertThat(outcome.version()).isEqualTo(3);
    assertThat(store.loadVersioned(key, TTL).blob()).isEqualTo(bytes("c"));
  }

  @Test
  void saveIfAbsent_liveKey_isAConflict() {
    String key = key();
    store.saveIf(key, Condition.absent(), bytes("first"), TTL);

    Outcome outcome = store.saveIf(key, Condition.absent(), bytes("second"), TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(outcome.current().blob()).isEqualTo(bytes("first"));
  }

  @Test
  void saveIfNotInvalidated_freeOrLiveKey_saves() {
    String key = key();

    assertThat(store.saveIf(key, Condition.notInvalidated(), bytes("a"), TTL).version())
        .isEqualTo(1);
    assertThat(store.saveIf(key, Condition.notInvalidated(), bytes("b"), TTL).version())
        .isEqualTo(2);
  }

  @Test
  void invalidate_leavesATombstoneThatNoConditionOverwrites() {
    String key = key();
    store.saveIf(key, Condition.absent(), bytes("signed in"), TTL);

    store.invalidate(key, TOMBSTONE_TTL);

    assertThat(store.loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
    for (Condition c :
        List.of(
            Condition.version(1),
            Condition.exists(),
            Condition.absent(),
            Condition.notInvalidated())) {
      assertThat(store.saveIf(key, c, bytes("back"), TTL).status())
          .as("%s", c)
          .isEqualTo(Outcome.Status.GONE);
    }
    assertThat(store.loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
  }

  @Test
  void tombstone_readsAsAbsentThroughThePlainMethods_andTouchDoesNotReviveIt() {
    String key = key();
    store.save(key, bytes("a"), TTL);
    store.invalidate(key, TOMBSTONE_TTL);

    store.touch(key, TTL);

    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
    assertThat(store.loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
  }

  @Test
  void tombstone_expiresAfterItsOwnTtl_notSlidByLoadsOrTouches() {
    String key = key();
    store.invalidate(key, TOMBSTONE_TTL);

    elapse(Duration.ofMinutes(5));
    store.loadVersioned(key, TTL);
    store.loadAndTouch(key, TTL);
    store.touch(key, TTL);
    assertThat(store.loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
    elapse(Duration.ofMinutes(1).plusSeconds(1));

    assertThat(store.loadVersioned(key, TTL).state()).isEqualTo(Stored.State.ABSENT);
    // An expired tombstone frees the key for a new session under it.
    assertThat(store.saveIf(key, Condition.absent(), bytes("new"), TTL).status())
        .isEqualTo(Outcome.Status.SAVED);
  }

  @Test
  void loadVersioned_slidesALiveEntry() {
    String key = key();
    store.saveIf(key, Condition.absent(), bytes("a"), Duration.ofMinutes(1));

    elapse(Duration.ofSeconds(50));
    store.loadVersioned(key, Duration.ofMinutes(1));
    elapse(Duration.ofSeconds(50));

    assertThat(store.loadVersioned(key, TTL).state()).isEqualTo(Stored.State.PRESENT);
    elapse(TTL.plusSeconds(1));
    assertThat(store.loadVersioned(key, TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  void plainSave_isAVersionTheConditionsSee() {
    String key = key();
    store.save(key, bytes("plain"), TTL);
    long version = store.loadVersioned(key, TTL).version();

    store.save(key, bytes("plain again"), TTL);

    assertThat(store.saveIf(key, Condition.version(version), bytes("x"), TTL).status())
        .isEqualTo(Outcome.Status.CONFLICT);
  }

  @Test
  void replaceIf_conditionHolds_tombstonesTheOldKeyAndSavesTheNewAtVersion1() {
    String oldKey = key();
    String newKey = key();
    store.saveIf(oldKey, Condition.absent(), bytes("a"), TTL);

    Outcome outcome =
        store.replaceIf(oldKey, Condition.version(1), newKey, bytes("b"), TTL, TOMBSTONE_TTL);

    assertThat(outcome.version()).isEqualTo(1);
    assertThat(store.loadVersioned(oldKey, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
    Stored moved = store.loadVersioned(newKey, TTL);
    assertThat(moved.blob()).isEqualTo(bytes("b"));
    assertThat(moved.version()).isEqualTo(1);
  }

  @Test
  void replaceIf_staleVersion_isAConflict_andChangesNeitherKey() {
    String oldKey = key();
    String newKey = key();
    store.saveIf(oldKey, Condition.absent(), bytes("a"), TTL);
    store.saveIf(oldKey, Condition.version(1), bytes("b"), TTL);

    Outcome outcome =
        store.replaceIf(oldKey, Condition.version(1), newKey, bytes("c"), TTL, TOMBSTONE_TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(outcome.current().version()).isEqualTo(2);
    assertThat(store.loadVersioned(oldKey, TTL).blob()).isEqualTo(bytes("b"));
    assertThat(store.loadVersioned(newKey, TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  void replaceIf_signedOutKey_isGone_andWritesNoNewKey() {
    String oldKey = key();
    String newKey = key();
    store.saveIf(oldKey, Condition.absent(), bytes("a"), TTL);
    store.invalidate(oldKey, TOMBSTONE_TTL);

    Outcome outcome =
        store.replaceIf(oldKey, Condition.exists(), newKey, bytes("b"), TTL, TOMBSTONE_TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.GONE);
    assertThat(store.loadVersioned(newKey, TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  void replaceIf_sameKey_isRejected() {
    String key = key();

    assertThatThrownBy(
            () -> store.replaceIf(key, Condition.exists(), key, bytes("b"), TTL, TOMBSTONE_TTL))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("replaceIf needs two different keys");
  }

  @Test
  void saveIfVersion_concurrentIncrements_loseNone() throws Exception {
    String key = key();
    store.saveIf(key, Condition.absent(), counter(0), TTL);
    int threads = 8;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> increment(key, perThread)));
      }
      for (Future<?> f : done) {
        f.get();
      }

      Stored end = store.loadVersioned(key, TTL);
      assertThat(ByteBuffer.wrap(end.blob()).getLong()).isEqualTo((long) threads * perThread);
      assertThat(end.version()).isEqualTo(1L + threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Adds one {@code times} times, retrying on what each conflict says is stored. */
  private void increment(String key, int times) {
    for (int i = 0; i < times; i++) {
      Stored seen = store.loadVersioned(key, TTL);
      while (true) {
        long next = ByteBuffer.wrap(seen.blob()).getLong() + 1;
        Outcome o = store.saveIf(key, Condition.version(seen.version()), counter(next), TTL);
        if (o.status() == Outcome.Status.SAVED) {
          break;
        }
        seen = o.current();
      }
    }
  }

  private void elapse(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private static byte[] counter(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }
}
