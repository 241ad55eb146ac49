package io.sessionstate.tck;

import io.sessionstate.CommitMode;
import io.sessionstate.Session;
import io.sessionstate.SessionConflictException;
import io.sessionstate.SessionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Requests cut into steps and run in a random order, for {@link ConcurrentRequestsContract}; and
 * the tally of its lost-update rounds. Not thread-safe.
 */
final class Races {
  private Races() {}

  /** What the lost-update rounds of one mode left behind. */
  static final class LostUpdates {
    final CommitMode mode;
    final int rounds;
    final String store;
    int acknowledgedItems;
    int lostItems;
    int inventedItems;
    int acknowledgedBumps;
    long lostBumps;
    int conflicts;

    LostUpdates(CommitMode mode, int rounds, String store) {
      this.mode = mode;
      this.rounds = rounds;
      this.store = store;
    }

    @Override
    public String toString() {
      return String.format(
          "%s over %s, %d rounds of 10 cart additions and 10 counter bumps: %d of %d acknowledged"
              + " cart items lost, %d of %d acknowledged bumps lost, %d commits refused as"
              + " conflicts",
          mode,
          store,
          rounds,
          lostItems,
          acknowledgedItems,
          lostBumps,
          acknowledgedBumps,
          conflicts);
    }
  }

  /** A request as a sequence of steps, each run when the random walk picks it. */
  static final class Actor {
    final List<Runnable> steps;
    int next;

    Actor(List<Runnable> steps) {
      this.steps = steps;
    }
  }

  /** Load, then (a later step) set a value and commit. */
  static Actor pageView(Visits visits, String cookie, String name) {
    return steps(visits, cookie, session -> session.setString(name, "seen"));
  }

  /** Load, then (a later step) invalidate and commit. */
  static Actor signOut(Visits visits, String cookie) {
    return steps(visits, cookie, session -> session.invalidate());
  }

  /** A request in two steps: begin and load; then apply {@code work} and finish. */
  static Actor steps(Visits visits, String cookie, Consumer<Session> work) {
    SessionRequest[] request = new SessionRequest[1];
    return new Actor(
        List.of(
            () -> {
              request[0] = visits.manager.begin(cookie, false, () -> false);
              request[0].session().loadAsync().join();
            },
            () -> {
              work.accept(request[0].session());
              request[0].finish();
            }));
  }

  /**
   * Runs every actor's steps, picking at random which actor goes next; returns how many steps
   * failed with {@link SessionConflictException} (a refused commit in {@link CommitMode#STRICT}).
   */
  static int interleave(List<Actor> actors, Random random) {
    int refused = 0;
    List<Actor> live = new ArrayList<>(actors);
    while (!live.isEmpty()) {
      Actor a = live.get(random.nextInt(live.size()));
      try {
        a.steps.get(a.next).run();
      } catch (SessionConflictException e) {
        refused++;
      }
      if (++a.next == a.steps.size()) {
        live.remove(a);
      }
    }
    return refused;
  }
}
