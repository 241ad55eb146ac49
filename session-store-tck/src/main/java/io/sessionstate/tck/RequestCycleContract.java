package io.sessionstate.tck;

import static io.sessionstate.tck.TestData.SECOND;
import static io.sessionstate.tck.Visits.IDLE_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import org.junit.jupiter.api.Test;

/**
 * The session rules that rest on the store, checked through a real {@link SessionManager} over it
 * with every store call counted ({@link CountingSessionStore}): how many round trips each kind of
 * request costs, that empty sessions store nothing, last-writer-wins, the sliding idle timeout,
 * {@code regenerateId} and {@code invalidate}. Every store passes it.
 */
public interface RequestCycleContract extends StoreUnderTest {

  @Test
  default void request_thatNeverTouchesTheSession_makesNoStoreCallAndSetsNoCookie() {
    try (Visits visits = Visits.over(store())) {
      String cookie = visits.establish("user", "ada");
      visits.counting.reset();

      SessionResponse withCookie = visits.manager.begin(cookie, false, () -> false).finish();
      SessionResponse withoutCookie = visits.manager.begin(null, false, () -> false).finish();

      assertThat(visits.counting.calls()).isZero();
      assertThat(withCookie.setCookie()).isEmpty();
      assertThat(withoutCookie.setCookie()).isEmpty();
    }
  }

  @Test
  default void request_thatOnlyReadsAnExistingSession_makesOneLoad() {
    try (Visits visits = Visits.over(store())) {
      String cookie = visits.establish("user", "ada");
      visits.counting.reset();

      SessionRequest request = visits.manager.begin(cookie, false, () -> false);
      assertThat(request.session().getString("user")).hasValue("ada");
      SessionResponse response = request.finish();

      assertThat(visits.counting.loads()).isEqualTo(1);
      assertThat(visits.counting.calls()).isEqualTo(1);
      assertThat(response.setCookie()).isEmpty();
    }
  }

  @Test
  default void request_thatModifiesAnExistingSession_makesOneLoadAndOneSave() {
    try (Visits visits = Visits.over(store())) {
      String cookie = visits.establish("user", "ada");
      visits.counting.reset();

      visits.write(cookie, "theme", "dark");

      assertThat(visits.counting.loads()).isEqualTo(1);
      assertThat(visits.counting.saves()).isEqualTo(1);
      assertThat(visits.counting.calls()).isEqualTo(2);
      assertThat(visits.read(cookie, "theme")).hasValue("dark");
    }
  }

  @Test
  default void newSession_firstWrite_makesOneSaveAndSetsACookie() {
    try (Visits visits = Visits.over(store())) {
      SessionRequest request = visits.manager.begin(null, false, () -> false);
      request.session().setString("user", "ada");
      SessionResponse response = request.finish();

      assertThat(visits.counting.saves()).isEqualTo(1);
      assertThat(visits.counting.calls()).isEqualTo(1);
      assertThat(response.setCookie()).isPresent();
    }
  }

  @Test
  default void newSessions_thatAreOnlyRead_storeNothing() {
    try (Visits visits = Visits.over(store())) {
      for (int i = 0; i < 100_000; i++) {
        SessionRequest request = visits.manager.begin(null, false, () -> false);
        Session session = request.session();
        assertThat(session.getString("user")).isEmpty();
        assertThat(request.finish().setCookie()).isEmpty();
      }

      assertThat(visits.counting.saves()).isZero();
      assertThat(visits.counting.calls()).isZero();
    }
  }

  @Test
  default void concurrentRequests_lastCommitWins() {
    try (Visits visits = Visits.over(store())) {
      String cookie = visits.establish("seed", "1");
      SessionRequest a = visits.manager.begin(cookie, false, () -> false);
      SessionRequest b = visits.manager.begin(cookie, false, () -> false);
      assertThat(a.session().getString("seed")).hasValue("1");
      assertThat(b.session().getString("seed")).hasValue("1");

      a.session().setString("writer", "a");
      a.session().setString("onlyA", "a");
      b.session().setString("writer", "b");
      b.session().setString("onlyB", "b");
      a.finish();
      b.finish();

      SessionRequest c = visits.manager.begin(cookie, false, () -> false);
      Session session = c.session();
      assertThat(session.keys()).containsExactly("seed", "writer", "onlyB");
      assertThat(session.getString("writer")).hasValue("b");
      assertThat(session.getString("onlyB")).hasValue("b");
      c.finish();
    }
  }

  @Test
  default void session_idleForLongerThanTheIdleTimeout_isEmpty() {
    try (Visits visits = Visits.over(store())) {
      String cookie = visits.establish("user", "ada");

      elapse(pastExpiry(IDLE_TIMEOUT));

      assertThat(visits.request(cookie, Session::keys)).isEmpty();
    }
  }

  @Test
  default void session_readWithinTheIdleTimeout_slidesIt() {
    try (Visits visits = Visits.over(store())) {
      String cookie = visits.establish("user", "ada");

      elapse(IDLE_TIMEOUT.minus(SECOND));
      assertThat(visits.read(cookie, "user")).hasValue("ada");
      elapse(IDLE_TIMEOUT.minus(SECOND));

      assertThat(visits.read(cookie, "user")).hasValue("ada");
    }
  }

  @Test
  default void regenerateId_movesTheContentsToANewKey() {
    try (Visits visits = Visits.over(store())) {
      String oldCookie = visits.establish("user", "ada");
      String oldKey = visits.counting.lastWrittenKey();

      SessionRequest request = visits.manager.begin(oldCookie, false, () -> false);
      request.session().regenerateId();
      String newCookie = Visits.cookieOf(request.finish());
      String newKey = visits.counting.lastWrittenKey();

      assertThat(newCookie).isNotEqualTo(oldCookie);
      assertThat(newKey).isNotEqualTo(oldKey);
      assertThat(store().loadAndTouch(oldKey, IDLE_TIMEOUT)).isEmpty();
      assertThat(visits.read(oldCookie, "user")).isEmpty();
      assertThat(visits.read(newCookie, "user")).hasValue("ada");
    }
  }

  @Test
  default void invalidate_deletesTheEntryAtOnce() {
    try (Visits visits = Visits.over(store())) {
      String cookie = visits.establish("user", "ada");
      String key = visits.counting.lastWrittenKey();

      SessionRequest request = visits.manager.begin(cookie, false, () -> false);
      request.session().invalidate();

      // Before the commit: a concurrent request must already find nothing.
      assertThat(store().loadAndTouch(key, IDLE_TIMEOUT)).isEmpty();
      SessionResponse response = request.finish();
      assertThat(response.setCookie()).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
      assertThat(visits.read(cookie, "user")).isEmpty();
    }
  }
}
