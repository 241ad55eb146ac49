package io.sessionstate.postgresql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import io.sessionstate.tck.CountingDataSource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Versions, conditional saves and tombstones against the shared server, in a table of each test's
 * own, read back both through the store and from the row itself; and what happens to a table of the
 * first schema.
 */
class PostgresVersionedStoreIT {
  private static final Duration TTL = Duration.ofMinutes(20);
  private static final Duration TOMBSTONE_TTL = Duration.ofMinutes(6);

  private final String table = Postgres.uniqueTable("versioned");
  private final CountingDataSource counting = CountingDataSource.wrap(Postgres.dataSource());
  private PostgresSessionStore store;

  private PostgresSessionStore store() {
    if (store == null) {
      store =
          PostgresSessionStore.builder()
              .dataSource(counting)
              .table(table)
              .createSchema(true)
              .sweeperEnabled(false)
              .build()
              .start();
      counting.reset();
    }
    return store;
  }

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close();
    }
    Postgres.dropTable(table);
  }

  @Test
  void saveIfAbsent_freeKey_isOneInsertAtVersion1() {
    Outcome outcome = store().saveIf("k", Condition.absent(), bytes("a"), TTL);

    assertThat(outcome.version()).isEqualTo(1);
    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0)).startsWith("WITH saved AS (INSERT INTO");
    assertThat(counting.transactionControls()).isZero();
    assertThat(row("k")).isEqualTo("61 1");
    Stored stored = store().loadVersioned("k", TTL);
    assertThat(stored.blob()).isEqualTo(bytes("a"));
    assertThat(stored.version()).isEqualTo(1);
  }

  @Test
  void saveIfVersion_loadedVersion_isOneConditionalUpdate_staleVersion_aConflictWithWhatIsStored() {
    store().saveIf("k", Condition.absent(), bytes("a"), TTL);
    counting.reset();

    assertThat(store().saveIf("k", Condition.version(1), bytes("b"), TTL).version()).isEqualTo(2);
    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0)).startsWith("WITH saved AS (UPDATE").doesNotContain("INSERT");
    Outcome stale = store().saveIf("k", Condition.version(1), bytes("stale"), TTL);

    assertThat(stale.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(stale.current().blob()).isEqualTo(bytes("b"));
    assertThat(stale.current().version()).isEqualTo(2);
    assertThat(row("k")).isEqualTo("62 2");
  }

  @Test
  void saveIfVersionOrExists_missingOrExpiredRow_isGoneAndWritesNothing() {
    assertThat(store().saveIf("k", Condition.version(1), bytes("a"), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(store().saveIf("k", Condition.exists(), bytes("a"), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(row("k")).isEqualTo("none");

    store().saveIf("old", Condition.absent(), bytes("a"), TTL);
    expire("old");
    assertThat(store().saveIf("old", Condition.exists(), bytes("b"), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
    assertThat(store().saveIf("old", Condition.version(1), bytes("b"), TTL).status())
        .isEqualTo(Outcome.Status.GONE);
  }

  @Test
  void saveIfAbsent_expiredRowNotYetSwept_takesItAndKeepsCountingVersions() {
    store().saveIf("k", Condition.absent(), bytes("a"), TTL);
    expire("k");

    Outcome outcome = store().saveIf("k", Condition.absent(), bytes("new"), TTL);

    assertThat(outcome.version()).isEqualTo(2);
    assertThat(store().loadVersioned("k", TTL).blob()).isEqualTo(bytes("new"));
  }

  @Test
  void saveIfExists_anyVersion_lastWriterWins_saveIfAbsent_liveKey_isAConflict() {
    store().saveIf("k", Condition.notInvalidated(), bytes("a"), TTL);
    store().saveIf("k", Condition.version(1), bytes("b"), TTL);

    assertThat(store().saveIf("k", Condition.exists(), bytes("c"), TTL).version()).isEqualTo(3);
    Outcome absent = store().saveIf("k", Condition.absent(), bytes("d"), TTL);

    assertThat(absent.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(absent.current().blob()).isEqualTo(bytes("c"));
    assertThat(store().saveIf("k", Condition.notInvalidated(), bytes("e"), TTL).version())
        .isEqualTo(4);
  }

  @Test
  void invalidate_leavesATombstoneRowThatNoConditionOverwritesAndThatLoadsDoNotSlide() {
    store().saveIf("k", Condition.absent(), bytes("signed in"), TTL);

    store().invalidate("k", TOMBSTONE_TTL);

    assertThat(row("k")).isEqualTo("tombstone 2");
    double before = secondsLeft("k");
    assertThat(before).isBetween(5 * 60.0, 6 * 60.0);
    for (Condition c :
        List.of(
            Condition.version(2),
            Condition.exists(),
            Condition.absent(),
            Condition.notInvalidated())) {
      assertThat(store().saveIf("k", c, bytes("back"), TTL).status())
          .as("%s", c)
          .isEqualTo(Outcome.Status.GONE);
    }
    assertThat(store().loadVersioned("k", TTL).state()).isEqualTo(Stored.State.TOMBSTONE);
    assertThat(store().loadAndTouch("k", TTL)).isEmpty();
    store().touch("k", TTL);
    assertThat(secondsLeft("k")).isLessThanOrEqualTo(before);
    assertThat(row("k")).isEqualTo("tombstone 2");
  }

  @Test
  void tombstone_expired_freesTheKeyForANewSession() {
    store().invalidate("k", TOMBSTONE_TTL);
    expire("k");

    assertThat(store().loadVersioned("k", TTL).state()).isEqualTo(Stored.State.ABSENT);
    assertThat(store().saveIf("k", Condition.absent(), bytes("new"), TTL).status())
        .isEqualTo(Outcome.Status.SAVED);
  }

  @Test
  void plainSave_overwritesATombstone_andAdvancesTheVersion() {
    store().save("k", bytes("a"), TTL);
    store().invalidate("k", TOMBSTONE_TTL);

    store().save("k", bytes("b"), TTL);

    Stored stored = store().loadVersioned("k", TTL);
    assertThat(stored.blob()).isEqualTo(bytes("b"));
    assertThat(stored.version()).isEqualTo(3);
  }

  @Test
  void replaceIf_conditionHolds_isOneStatement_oldRowATombstone_newRowVersion1() {
    store().saveIf("old", Condition.absent(), bytes("a"), TTL);
    counting.reset();

    Outcome outcome =
        store().replaceIf("old", Condition.version(1), "new", bytes("b"), TTL, TOMBSTONE_TTL);

    assertThat(outcome.version()).isEqualTo(1);
    assertThat(counting.statements()).isEqualTo(1);
    assertThat(row("old")).isEqualTo("tombstone 2");
    assertThat(row("new")).isEqualTo("62 1");
  }

  @Test
  void replaceIf_newSessionUnderAnExpiredKey_tombstonesTheOldKey() {
    Outcome outcome =
        store().replaceIf("old", Condition.absent(), "new", bytes("b"), TTL, TOMBSTONE_TTL);

    assertThat(outcome.version()).isEqualTo(1);
    assertThat(row("old")).isEqualTo("tombstone 1");
    assertThat(row("new")).isEqualTo("62 1");
  }

  @Test
  void replaceIf_staleVersion_isAConflict_signedOut_isGone_andNeitherWritesTheNewKey() {
    store().saveIf("old", Condition.absent(), bytes("a"), TTL);
    store().saveIf("old", Condition.version(1), bytes("b"), TTL);

    Outcome stale =
        store().replaceIf("old", Condition.version(1), "new", bytes("c"), TTL, TOMBSTONE_TTL);
    store().invalidate("old", TOMBSTONE_TTL);
    Outcome gone =
        store().replaceIf("old", Condition.exists(), "new", bytes("c"), TTL, TOMBSTONE_TTL);

    assertThat(stale.status()).isEqualTo(Outcome.Status.CONFLICT);
    assertThat(stale.current().blob()).isEqualTo(bytes("b"));
    assertThat(gone.status()).isEqualTo(Outcome.Status.GONE);
    assertThat(row("new")).isEqualTo("none");
  }

  @Test
  void saveIfVersion_concurrentIncrementsFromFourThreads_loseNone() throws Exception {
    store().saveIf("k", Condition.absent(), counter(0), TTL);
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> increment("k", perThread)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    Stored end = store().loadVersioned("k", TTL);
    assertThat(ByteBuffer.wrap(end.blob()).getLong()).isEqualTo((long) threads * perThread);
    assertThat(end.version()).isEqualTo(1L + threads * perThread);
  }

  @Test
  void saveIfAbsent_concurrentNewSessionsUnderOneKey_oneSavesTheOthersConflict() throws Exception {
    int rounds = 20;
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int r = 0; r < rounds; r++) {
        String key = "race" + r;
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          byte[] blob = bytes("writer " + t);
          outcomes.add(pool.submit(() -> store().saveIf(key, Condition.absent(), blob, TTL)));
        }
        int saved = 0;
        int conflicts = 0;
        for (Future<Outcome> f : outcomes) {
          Outcome o = f.get();
          if (o.status() == Outcome.Status.SAVED) {
            saved++;
          } else if (o.status() == Outcome.Status.CONFLICT) {
            conflicts++;
          }
        }
        assertThat(saved).as("round %d", r).isEqualTo(1);
        assertThat(conflicts)
            .as("round %d: a concurrent insert is no sign-out", r)
            .isEqualTo(threads - 1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tableOfTheFirstSchema_isBroughtUpToDateOnStart_andKeepsItsSessionsAtVersion0() {
    Postgres.execute(
        "CREATE TABLE public."
            + table
            + " (session_key text PRIMARY KEY, blob bytea NOT NULL,"
            + " expires_at timestamptz NOT NULL)");
    Postgres.execute(
        "INSERT INTO public." + table + " VALUES ('k', '\\x61', now() + interval '10 minutes')");

    Stored stored = store().loadVersioned("k", TTL);

    assertThat(stored.blob()).isEqualTo(bytes("a"));
    assertThat(stored.version()).isZero();
    assertThat(store().saveIf("k", Condition.version(0), bytes("b"), TTL).version()).isEqualTo(1);
    store().invalidate("k", TOMBSTONE_TTL);
    assertThat(row("k")).isEqualTo("tombstone 2");
  }

  @Test
  void tableOfTheFirstSchema_withoutCreateSchema_failsWithAStoreErrorNamingTheColumn() {
    Postgres.execute(
        "CREATE TABLE public."
            + table
            + " (session_key text PRIMARY KEY, blob bytea NOT NULL,"
            + " expires_at timestamptz NOT NULL)");
    try (PostgresSessionStore old =
        PostgresSessionStore.builder()
            .dataSource(Postgres.dataSource())
            .table(table)
            .sweeperEnabled(false)
            .build()) {
      assertThatThrownBy(() -> old.saveIf("k", Condition.absent(), bytes("a"), TTL))
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("save")
          .hasMessageContaining("SQL state 42703")
          .hasMessageContaining("version");
    }
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

  /** The row as "hex-of-blob version", "tombstone version", or "none". */
  private String row(String key) {
    return Postgres.query(
            "SELECT coalesce(encode(blob, 'hex'), 'tombstone') || ' ' || version FROM public."
                + table
                + " WHERE session_key = ?",
            key)
        .orElse("none");
  }

  private double secondsLeft(String key) {
    return Double.parseDouble(
        Postgres.query(
                "SELECT extract(epoch FROM expires_at - now()) FROM public."
                    + table
                    + " WHERE session_key = ?",
                key)
            .orElseThrow());
  }

  private void expire(String key) {
    Postgres.execute(
        "UPDATE public."
            + table
            + " SET expires_at = now() - interval '1 second' WHERE session_key = ?",
        key);
  }

  private static byte[] counter(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
