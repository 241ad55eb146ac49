package io.sessionstate.tck;

import static io.sessionstate.tck.Visits.IDLE_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.CommitMode;
import io.sessionstate.SessionConflictException;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.spi.VersionedSessionStore;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two or more requests of one visitor at once, through a real session manager over a store with
 * versions ({@link VersionedSessionStore}): a sign-out (or a sign-in's new key) that a slower
 * request must not undo, values that concurrent requests must not lose in {@link CommitMode#MERGE}
 * and {@link CommitMode#STRICT}, and the round trips each mode costs without a conflict. A store
 * with versions passes it; its test class implements this interface beside the others.
 *
 * <p>The races are run many times with randomized interleavings: each request is a sequence of
 * steps (load, then write and commit; or load, then sign out), and a seeded random walk picks which
 * request takes its next step, so every order the steps allow comes up, the one where a page view
 * loaded before the sign-out and commits after it most of all. The seed is in every failure
 * message. {@link #raceRepetitions()} sets how many; a store over a network may run fewer.
 */
public interface ConcurrentRequestsContract extends StoreUnderTest {

  /**
   * How many randomized sign-out races {@link
   * #signOutRace_pageViewsAroundASignOut_neverBringItBack} runs; the other races run a tenth of it
   * (a quarter for the sign-in race). Default 1,000.
   */
  default int raceRepetitions() {
    return 1000;
  }

  /** How many rounds of 20 concurrent requests each lost-update test runs. Default 100. */
  default int lostUpdateRounds() {
    return 100;
  }

  // ---- the sign-out race

  @Test
  default void signOutRace_pageViewsAroundASignOut_neverBringItBack() {
    signOutRaces(CommitMode.COHERENT, raceRepetitions());
  }

  @Test
  default void signOutRace_inMergeMode_neverBringsItBack() {
    signOutRaces(CommitMode.MERGE, Math.max(1, raceRepetitions() / 10));
  }

  @Test
  default void signOutRace_inStrictMode_neverBringsItBack_andTheLateCommitFails() {
    signOutRaces(CommitMode.STRICT, Math.max(1, raceRepetitions() / 10));
  }

  private void signOutRaces(CommitMode mode, int repetitions) {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    int resurrections = 0;
    int servedSignedIn = 0;
    int refusedLateCommits = 0;
    try (Visits visits = Visits.over(store(), b -> b.commitMode(mode))) {
      VersionedSessionStore versioned = (VersionedSessionStore) visits.counting.delegate();
      for (int r = 0; r < repetitions; r++) {
        String cookie = visits.establish("user", "ada");
        String key = visits.counting.lastWrittenKey();
        // One to four page views of the same cookie around one sign-out, as a browser with
        // several tabs sends them.
        List<Races.Actor> actors = new ArrayList<>();
        int views = 1 + random.nextInt(4);
        for (int v = 0; v < views; v++) {
          actors.add(Races.pageView(visits, cookie, "view" + v));
        }
        actors.add(Races.signOut(visits, cookie));
        refusedLateCommits += Races.interleave(actors, random);

        if (versioned.loadVersioned(key, IDLE_TIMEOUT).state() == Stored.State.PRESENT) {
          resurrections++;
        }
        if (visits.read(cookie, "user").isPresent()) {
          servedSignedIn++;
        }
        if (r % 10 == 0) {
          // The replayed cookie of a signed-out session starts over under a fresh key.
          SessionRequest replay = visits.manager.begin(cookie, false, () -> false);
          replay.session().setString("theme", "dark");
          SessionResponse response = replay.finish();
          assertThat(Visits.cookieOf(response)).as("seed %d", seed).isNotEqualTo(cookie);
          assertThat(visits.counting.lastWrittenKey()).as("seed %d", seed).isNotEqualTo(key);
        }
      }
    }
    assertThat(resurrections)
        .as(
            "signed-out sessions back in the store after %d races (%s, seed %d)",
            repetitions, mode, seed)
        .isZero();
    assertThat(servedSignedIn)
        .as(
            "replayed cookies served as signed in after %d races (%s, seed %d)",
            repetitions, mode, seed)
        .isZero();
    if (mode != CommitMode.STRICT) {
      assertThat(refusedLateCommits).as("commits that failed in %s", mode).isZero();
    }
  }

  // ---- the sign-in race

  @Test
  default void signInRace_aPageViewThatLoadedBeforeTheNewKey_neverBringsTheOldKeyBack() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    int repetitions = Math.max(1, raceRepetitions() / 4);
    int resurrections = 0;
    try (Visits visits = Visits.over(store())) {
      VersionedSessionStore versioned = (VersionedSessionStore) visits.counting.delegate();
      for (int r = 0; r < repetitions; r++) {
        String cookie = visits.establish("cart", "1 book");
        String oldKey = visits.counting.lastWrittenKey();
        List<Races.Actor> actors = new ArrayList<>();
        actors.add(Races.pageView(visits, cookie, "view"));
        actors.add(
            Races.steps(
                visits,
                cookie,
                session -> {
                  session.regenerateId();
                  session.setString("user", "ada");
                }));
        Races.interleave(actors, random);

        if (versioned.loadVersioned(oldKey, IDLE_TIMEOUT).state() == Stored.State.PRESENT) {
          resurrections++;
        }
        assertThat(visits.read(cookie, "user")).as("seed %d", seed).isEmpty();
      }
    }
    assertThat(resurrections)
        .as("pre-sign-in keys back in the store after %d races (seed %d)", repetitions, seed)
        .isZero();
  }

  @Test
  default void expiredSession_keepsItsKey_asAspNetCoreDoes() {
    try (Visits visits = Visits.over(store())) {
      String cookie = visits.establish("user", "ada");
      String key = visits.counting.lastWrittenKey();
      elapse(pastExpiry(IDLE_TIMEOUT));

      SessionRequest request = visits.manager.begin(cookie, false, () -> false);
      assertThat(request.session().isNew()).isTrue();
      request.session().setString("theme", "dark");
      request.finish();

      assertThat(visits.counting.lastWrittenKey()).isEqualTo(key);
      assertThat(visits.read(cookie, "theme")).hasValue("dark");
    }
  }

  // ---- one conflict, step by step

  @Test
  default void strict_aCommitAfterAnotherRequestsCommit_failsWithAConflict_andWritesNothing() {
    try (Visits visits = Visits.over(store(), b -> b.commitMode(CommitMode.STRICT))) {
      String cookie = visits.establish("user", "ada");
      SessionRequest a = visits.manager.begin(cookie, false, () -> false);
      a.session().loadAsync().join();
      visits.write(cookie, "theme", "light");
      a.session().setString("theme", "dark");

      assertThatThrownBy(a::finish)
          .isExactlyInstanceOf(SessionConflictException.class)
          .hasMessage(
              "session commit refused: another request committed the session since this"
                  + " request loaded it");
      assertThat(visits.read(cookie, "theme")).hasValue("light");
    }
  }

  @Test
  default void strict_aCommitAfterASignOut_failsWithAConflict() {
    try (Visits visits = Visits.over(store(), b -> b.commitMode(CommitMode.STRICT))) {
      String cookie = visits.establish("user", "ada");
      SessionRequest a = visits.manager.begin(cookie, false, () -> false);
      a.session().loadAsync().join();
      visits.run(cookie, session -> session.invalidate());
      a.session().setString("theme", "dark");

      assertThatThrownBy(a::finish)
          .isExactlyInstanceOf(SessionConflictException.class)
          .hasMessage(
              "session commit refused: the session was invalidated, moved to a new key or"
                  + " expired since this request loaded it");
      assertThat(visits.read(cookie, "user")).isEmpty();
    }
  }

  @Test
  default void merge_aCommitAfterAnotherRequestsCommit_keepsBothRequestsValues() {
    try (Visits visits = Visits.over(store(), b -> b.commitMode(CommitMode.MERGE))) {
      String cookie = visits.establish("user", "ada");
      SessionRequest a = visits.manager.begin(cookie, false, () -> false);
      a.session().loadAsync().join();
      visits.run(
          cookie,
          session -> {
            session.setString("cart.1", "book");
            session.remove("user");
          });
      a.session().setString("theme", "dark");
      a.finish();

      assertThat(visits.read(cookie, "cart.1")).hasValue("book");
      assertThat(visits.read(cookie, "theme")).hasValue("dark");
      assertThat(visits.read(cookie, "user")).as("removed by the other request").isEmpty();
    }
  }

  @Test
  default void coherent_aCommitAfterASignOut_writesNothing_andRemovesTheCookie() {
    try (Visits visits = Visits.over(store())) {
      String cookie = visits.establish("user", "ada");
      SessionRequest a = visits.manager.begin(cookie, false, () -> false);
      a.session().loadAsync().join();
      visits.run(cookie, session -> session.invalidate());
      a.session().setString("theme", "dark");

      SessionResponse response = a.finish();

      assertThat(response.setCookie()).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
      assertThat(visits.read(cookie, "theme")).isEmpty();
      assertThat(visits.read(cookie, "user")).isEmpty();
    }
  }

  // ---- lost updates

  @Test
  default void lostUpdates_merge_keepsEveryAcknowledgedCartItem() throws Exception {
    Races.LostUpdates result = lostUpdates(CommitMode.MERGE);
    System.out.println(result);

    assertThat(result.lostItems).as(result.toString()).isZero();
    assertThat(result.acknowledgedItems).as(result.toString()).isPositive();
  }

  @Test
  default void lostUpdates_coherent_isLastWriterWins_andReportsWhatItLost() throws Exception {
    Races.LostUpdates result = lostUpdates(CommitMode.COHERENT);

    // COHERENT promises the whole session of one committer, not every value: it may lose items,
    // and this says how many. It never fails a commit for a conflict, and never invents an item.
    System.out.println(result);
    assertThat(result.conflicts).as(result.toString()).isZero();
    assertThat(result.inventedItems).as(result.toString()).isZero();
  }

  @Test
  default void lostUpdates_strict_everyCommitLandsOrFailsWithAConflict() throws Exception {
    Races.LostUpdates result = lostUpdates(CommitMode.STRICT);
    System.out.println(result);

    assertThat(result.lostItems).as(result.toString()).isZero();
    // Each acknowledged bump loaded the count that was stored and nothing landed in between.
    assertThat(result.lostBumps).as(result.toString()).isZero();
    assertThat(result.acknowledgedItems + result.acknowledgedBumps + result.conflicts)
        .as(result.toString())
        .isEqualTo(20 * lostUpdateRounds());
  }

  private Races.LostUpdates lostUpdates(CommitMode mode) throws Exception {
    Races.LostUpdates result = new Races.LostUpdates(mode, lostUpdateRounds(), store().name());
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try (Visits visits = Visits.over(store(), b -> b.commitMode(mode))) {
      for (int round = 0; round < lostUpdateRounds(); round++) {
        String cookie = visits.establish("visitor", "ada");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          boolean adder = i < 10;
          String item = "cart." + i;
          requests.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      if (adder) {
                        visits.write(cookie, item, "item " + item);
                        return item;
                      }
                      visits.run(
                          cookie, s -> s.setLong("count", s.getLong("count").orElse(0L) + 1));
                      return "bump";
                    } catch (SessionConflictException e) {
                      return "conflict";
                    }
                  }));
        }
        start.countDown();
        Set<String> acknowledged = new HashSet<>();
        int bumps = 0;
        for (Future<String> f : requests) {
          String done = f.get(60, TimeUnit.SECONDS);
          if (done.equals("conflict")) {
            result.conflicts++;
          } else if (done.equals("bump")) {
            bumps++;
          } else {
            acknowledged.add(done);
          }
        }
        Set<String> present =
            visits.request(
                cookie,
                s -> {
                  Set<String> items = new HashSet<>(s.keys());
                  items.removeIf(k -> !k.startsWith("cart."));
                  return items;
                });
        long count = visits.request(cookie, s -> s.getLong("count").orElse(0L));
        result.acknowledgedItems += acknowledged.size();
        result.acknowledgedBumps += bumps;
        for (String item : acknowledged) {
          if (!present.contains(item)) {
            result.lostItems++;
          }
        }
        for (String item : present) {
          if (!acknowledged.contains(item)) {
            result.inventedItems++;
          }
        }
        result.lostBumps += bumps - count;
      }
    } finally {
      pool.shutdownNow();
    }
    return result;
  }

  // ---- round trips

  @Test
  default void roundTrips_coherent_onePerReadTwoPerWrite() {
    roundTrips(CommitMode.COHERENT);
  }

  @Test
  default void roundTrips_merge_onePerReadTwoPerWrite() {
    roundTrips(CommitMode.MERGE);
  }

  @Test
  default void roundTrips_strict_onePerReadTwoPerWrite() {
    roundTrips(CommitMode.STRICT);
  }

  private void roundTrips(CommitMode mode) {
    try (Visits visits = Visits.over(store(), b -> b.commitMode(mode))) {
      String cookie = visits.establish("user", "ada");
      assertThat(visits.counting.calls()).as("a new session's first value").isEqualTo(1);
      visits.counting.reset();

      visits.read(cookie, "user");
      assertThat(visits.counting.calls()).as("a read-only request").isEqualTo(1);
      visits.counting.reset();

      visits.write(cookie, "theme", "dark");
      assertThat(visits.counting.loads()).as("a modifying request's loads").isEqualTo(1);
      assertThat(visits.counting.saves()).as("a modifying request's saves").isEqualTo(1);
      assertThat(visits.counting.calls()).as("a modifying request").isEqualTo(2);
      visits.counting.reset();

      visits.run(
          cookie,
          s -> {
            s.regenerateId();
            s.setString("user", "grace");
          });
      assertThat(visits.counting.calls()).as("a request that renews the key").isEqualTo(2);
    }
  }
}
