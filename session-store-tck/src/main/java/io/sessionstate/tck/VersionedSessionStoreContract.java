package io.sessionstate.tck;

import static io.sessionstate.tck.TestData.SECOND;
import static io.sessionstate.tck.TestData.TTL;
import static io.sessionstate.tck.TestData.newKey;
import static io.sessionstate.tck.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.VersionedSessionStore;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link VersionedSessionStore}, the store on its own: versions that every save
 * advances, each condition's outcome, tombstones that no condition overwrites and that expire on
 * their own time, moves, atomic check-and-write under concurrency, and failure after close. A store
 * that implements the capability passes it; its test class implements this interface beside the
 * others.
 */
public interface VersionedSessionStoreContract extends StoreUnderTest {

  /** The tombstone time to live the tests use. */
  Duration TOMBSTONE_TTL = Duration.ofMinutes(6);

  /** The store under test, as the capability. */
  default VersionedSessionStore versioned() {
    return (VersionedSessionStore) store();
  }

  @Test
  default void loadVersioned_unknownKey_isAbsent() {
    assertThat(versioned().loadVersioned(newKey(), TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  default void saveIfAbsent_freeKey_savesAtVersion1_andLoadsBack() {
    String key = newKey();
    byte[] blob = randomBytes(100);

    Outcome outcome = versioned().saveIf(key, Condition.absent(), blob, TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.SAVED);
    assertThat(outcome.version()).isEqualTo(1);
    Stored stored = versioned().loadVersioned(key, TTL);
    assertThat(stored.blob()).isEqualTo(blob);
    assertThat(stored.version()).isEqualTo(1);
    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  default void saveIfVersion_theLoadedVersion_savesAndAdvancesIt() {
    String key = newKey();
    versioned().saveIf(key, Condition.absent(), randomBytes(10), TTL);
    byte[] next = randomBytes(10);

    Outcome outcome = versioned().saveIf(key, Condition.version(1), next, TTL);

    assertThat(outcome.version()).isEqualTo(2);
    assertThat(versioned().loadVersioned(key, TTL).blob()).isEqualTo(next);
  }

  @Test
  default void saveIfVersion_aStaleVersion_isAConflictCarryingWhatIsStored_andWritesNothing() {
    String key = newKey();
    versioned().saveIf(key, Condition.absent(), randomBytes(10), TTL);
    byte[] second = randomBytes(10);
    versioned().saveIf(key, Condition.version(1), second, TTL);

    Outcome stale = versioned().saveIf(key, Condition.version(1), randomBytes(10), TTL);

    assertThat(stale.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(stale.current().blob()).isEqualTo(second);
    assertThat(stale.current().version()).isEqualTo(2);
    assertThat(versioned().loadVersioned(key, TTL).blob()).isEqualTo(second);
  }

  @Test
  default void saveIfVersionOrExists_nothingStored_isGone_andWritesNothing() {
    String key = newKey();

    assertThat(versioned().saveIf(key, Condition.version(1), randomBytes(10), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(versioned().saveIf(key, Condition.exists(), randomBytes(10), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(versioned().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  default void saveIfExists_expiredSession_isGone_noResurrection() {
    String key = newKey();
    versioned().saveIf(key, Condition.absent(), randomBytes(10), Duration.ofMinutes(1));
    elapse(pastExpiry(Duration.ofMinutes(1)));

    assertThat(versioned().saveIf(key, Condition.exists(), randomBytes(10), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(versioned().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  default void saveIfExists_anyVersion_lastWriterWins() {
    String key = newKey();
    versioned().saveIf(key, Condition.absent(), randomBytes(10), TTL);
    versioned().saveIf(key, Condition.version(1), randomBytes(10), TTL);
    byte[] last = randomBytes(10);

    Outcome outcome = versioned().saveIf(key, Condition.exists(), last, TTL);

    assertThat(outcome.version()).isEqualTo(3);
    assertThat(versioned().loadVersioned(key, TTL).blob()).isEqualTo(last);
  }

  @Test
  default void saveIfAbsent_aLiveSession_isAConflict_saveIfNotInvalidated_overwritesIt() {
    String key = newKey();
    byte[] first = randomBytes(10);
    versioned().saveIf(key, Condition.absent(), first, TTL);

    Outcome absent = versioned().saveIf(key, Condition.absent(), randomBytes(10), TTL);
    Outcome notInvalidated =
        versioned().saveIf(key, Condition.notInvalidated(), randomBytes(10), TTL);

    assertThat(absent.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(absent.current().blob()).isEqualTo(first);
    assertThat(notInvalidated.version()).isEqualTo(2);
  }

  @Test
  default void invalidate_leavesATombstone_thatEveryConditionFindsGone() {
    String key = newKey();
    versioned().saveIf(key, Condition.absent(), randomBytes(10), TTL);

    versioned().invalidate(key, TOMBSTONE_TTL);

    assertThat(versioned().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
    for (Condition c :
        List.of(
            Condition.version(1),
            Condition.exists(),
            Condition.absent(),
            Condition.notInvalidated())) {
      assertThat(versioned().saveIf(key, c, randomBytes(10), TTL).status())
          .as("%s over a tombstone", c)
          .isEqualTo(Outcome.Status.GONE);
    }
    assertThat(versioned().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
  }

  @Test
  default void invalidate_unknownKey_leavesATombstoneToo() {
    String key = newKey();

    versioned().invalidate(key, TOMBSTONE_TTL);

    assertThat(versioned().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
  }

  @Test
  default void tombstone_readsAsAbsentThroughThePlainMethods() {
    String key = newKey();
    versioned().saveIf(key, Condition.absent(), randomBytes(10), TTL);
    versioned().invalidate(key, TOMBSTONE_TTL);

    store().touch(key, TTL);

    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
    assertThat(versioned().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
  }

  @Test
  default void tombstone_expiresAfterItsOwnTtl_whateverLoadsItMeets() {
    String key = newKey();
    versioned().invalidate(key, TOMBSTONE_TTL);

    elapse(TOMBSTONE_TTL.minus(Duration.ofMinutes(1)));
    assertThat(versioned().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
    elapse(Duration.ofMinutes(1).plus(SECOND));

    assertThat(versioned().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.ABSENT);
    assertThat(versioned().saveIf(key, Condition.absent(), randomBytes(10), TTL).status())
        .as("an expired tombstone frees the key")
        .isEqualTo(Outcome.Status.SAVED);
  }

  @Test
  default void loadVersioned_slidesALiveSession() {
    String key = newKey();
    versioned().saveIf(key, Condition.absent(), randomBytes(10), Duration.ofMinutes(2));

    elapse(Duration.ofMinutes(1));
    versioned().loadVersioned(key, Duration.ofMinutes(2));
    elapse(Duration.ofMinutes(1).plus(SECOND));

    assertThat(versioned().loadVersioned(key, TTL).state()).isEqualTo(Stored.State.PRESENT);
  }

  @Test
  default void plainSave_isAVersionTheConditionsSee() {
    String key = newKey();
    store().save(key, randomBytes(10), TTL);
    long version = versioned().loadVersioned(key, TTL).version();
    versioned().saveIf(key, Condition.version(version), randomBytes(10), TTL);

    assertThat(versioned().saveIf(key, Condition.version(version), randomBytes(10), TTL).status())
        .isEqualTo(Outcome.Status.CONFLICT);
  }

  @Test
  default void replaceIf_conditionHolds_tombstonesTheOldKey_andSavesTheNewOneAtVersion1() {
    String oldKey = newKey();
    String newKey = newKey();
    versioned().saveIf(oldKey, Condition.absent(), randomBytes(10), TTL);
    byte[] blob = randomBytes(10);

    Outcome outcome =
        versioned().replaceIf(oldKey, Condition.version(1), newKey, blob, TTL, TOMBSTONE_TTL);

    assertThat(outcome.version()).isEqualTo(1);
    assertThat(versioned().loadVersioned(oldKey, TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
    Stored moved = versioned().loadVersioned(newKey, TTL);
    assertThat(moved.blob()).isEqualTo(blob);
    assertThat(moved.version()).isEqualTo(1);
  }

  @Test
  default void replaceIf_staleVersion_isAConflict_andChangesNeitherKey() {
    String oldKey = newKey();
    String newKey = newKey();
    versioned().saveIf(oldKey, Condition.absent(), randomBytes(10), TTL);
    byte[] second = randomBytes(10);
    versioned().saveIf(oldKey, Condition.version(1), second, TTL);

    Outcome outcome =
        versioned()
            .replaceIf(oldKey, Condition.version(1), newKey, randomBytes(10), TTL, TOMBSTONE_TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(outcome.current().blob()).isEqualTo(second);
    assertThat(versioned().loadVersioned(oldKey, TTL).blob()).isEqualTo(second);
    assertThat(versioned().loadVersioned(newKey, TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  default void replaceIf_signedOutKey_isGone_andWritesNoNewKey() {
    String oldKey = newKey();
    String newKey = newKey();
    versioned().saveIf(oldKey, Condition.absent(), randomBytes(10), TTL);
    versioned().invalidate(oldKey, TOMBSTONE_TTL);

    Outcome outcome =
        versioned()
            .replaceIf(oldKey, Condition.exists(), newKey, randomBytes(10), TTL, TOMBSTONE_TTL);

    assertThat(outcome.status()).isEqualTo(Outcome.Status.GONE);
    assertThat(versioned().loadVersioned(newKey, TTL).state()).isEqualTo(Stored.State.ABSENT);
  }

  @Test
  default void replaceIf_sameKey_isRejected() {
    String key = newKey();

    assertThatThrownBy(
            () ->
                versioned()
                    .replaceIf(key, Condition.exists(), key, randomBytes(1), TTL, TOMBSTONE_TTL))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("replaceIf needs two different keys");
  }

  @Test
  default void saveIfVersion_concurrentIncrements_loseNone() throws Exception {
    VersionedSessionStore store = versioned(); // hooks are called on the test's thread only
    String key = newKey();
    store.saveIf(key, Condition.absent(), counter(0), TTL);
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    Stored seen = store.loadVersioned(key, TTL);
                    while (true) {
                      long next = ByteBuffer.wrap(seen.blob()).getLong() + 1;
                      Outcome o =
                          store.saveIf(key, Condition.version(seen.version()), counter(next), TTL);
                      if (o.status() == Outcome.Status.SAVED) {
                        break;
                      }
                      seen = o.current();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    Stored end = store.loadVersioned(key, TTL);
    assertThat(ByteBuffer.wrap(end.blob()).getLong()).isEqualTo((long) threads * perThread);
    assertThat(end.version()).isEqualTo(1L + threads * perThread);
  }

  @Test
  default void afterClose_everyVersionedOperationFails_sayingTheStoreIsClosed() {
    VersionedSessionStore store = versioned();
    String key = newKey();
    store.close();

    List<ThrowingCallable> calls = new ArrayList<>();
    calls.add(() -> store.loadVersioned(key, TTL));
    calls.add(() -> store.saveIf(key, Condition.absent(), randomBytes(1), TTL));
    calls.add(() -> store.invalidate(key, TOMBSTONE_TTL));
    calls.add(
        () ->
            store.replaceIf(key, Condition.exists(), newKey(), randomBytes(1), TTL, TOMBSTONE_TTL));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("the store is closed");
    }
  }

  private static byte[] counter(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }
}
