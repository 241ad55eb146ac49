package io.sessionstate.tck;

import static io.sessionstate.tck.TestData.SECOND;
import static io.sessionstate.tck.TestData.TTL;
import static io.sessionstate.tck.TestData.newKey;
import static io.sessionstate.tck.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionInfo;
import io.sessionstate.SessionLimitException;
import io.sessionstate.SessionLimitPolicy;
import io.sessionstate.SessionRequest;
import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.PrincipalIndex.IndexedSession;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PrincipalIndex}: the store on its own (entries added, moved and removed;
 * expired sessions and tombstones never listed; listing does not slide an expiry), and through a
 * real session manager (binding survives a new key, listing, ending one and all with tombstones
 * that a request in flight cannot write past, the limit's two policies, and the store calls each
 * step costs). A store that implements the capability, and {@link VersionedSessionStore}, passes
 * it; its test class implements this interface beside the others.
 */
public interface PrincipalIndexContract extends StoreUnderTest {

  /** {@return the store under test, as the capability} */
  default PrincipalIndex index() {
    return (PrincipalIndex) store();
  }

  private static String principal() {
    return "user-" + UUID.randomUUID() + "@example.com";
  }

  // ---- the store on its own

  /** A principal nothing was indexed for has no sessions. */
  @Test
  default void sessionsOf_unknownPrincipal_isEmpty() {
    assertThat(index().sessionsOf(principal())).isEmpty();
  }

  /** Each indexed live session is listed with its blob and remaining time to live. */
  @Test
  default void index_thenSessionsOf_listsEachLiveSessionWithItsBlobAndExpiry() {
    String user = principal();
    String a = newKey();
    String b = newKey();
    byte[] blobA = randomBytes(20);
    store().save(a, blobA, TTL);
    store().save(b, randomBytes(20), TTL);

    assertThat(index().index(user, a, null, TTL)).isEqualTo(1);
    assertThat(index().index(user, b, null, TTL)).isEqualTo(2);

    List<IndexedSession> listed = index().sessionsOf(user);
    assertThat(listed).extracting(IndexedSession::key).containsExactlyInAnyOrder(a, b);
    IndexedSession first = listed.stream().filter(s -> s.key().equals(a)).findFirst().orElseThrow();
    assertThat(first.blob()).isEqualTo(blobA);
    assertThat(first.expiresIn()).isPositive().isLessThanOrEqualTo(TTL.plus(expiryMargin(TTL)));
    assertThat(index().sessionsOf(principal())).isEmpty();
  }

  /** Indexing with a replaced key moves the entry to the new key in one call. */
  @Test
  default void index_withReplacedKey_movesTheEntryInOneCall() {
    String user = principal();
    String oldKey = newKey();
    String newKey = newKey();
    store().save(oldKey, randomBytes(10), TTL);
    index().index(user, oldKey, null, TTL);
    store().save(newKey, randomBytes(10), TTL);

    assertThat(index().index(user, newKey, oldKey, TTL)).isEqualTo(1);

    assertThat(index().sessionsOf(user)).extracting(IndexedSession::key).containsExactly(newKey);
  }

  /** Unindexing removes the entry; unindexing an unknown one does nothing. */
  @Test
  default void unindex_removesTheEntry_andUnknownEntriesAreIgnored() {
    String user = principal();
    String key = newKey();
    store().save(key, randomBytes(10), TTL);
    index().index(user, key, null, TTL);

    index().unindex(user, key);
    index().unindex(user, key);
    index().unindex(principal(), newKey());

    assertThat(index().sessionsOf(user)).isEmpty();
    assertThat(store().loadAndTouch(key, TTL)).isPresent();
  }

  /** Expired and signed-out sessions are never listed. */
  @Test
  default void sessionsOf_leavesOutExpiredAndSignedOutSessions() {
    String user = principal();
    String expiring = newKey();
    String signedOut = newKey();
    String live = newKey();
    store().save(expiring, randomBytes(10), Duration.ofMinutes(1));
    store().save(signedOut, randomBytes(10), TTL);
    store().save(live, randomBytes(10), TTL);
    for (String key : List.of(expiring, signedOut, live)) {
      index().index(user, key, null, TTL);
    }
    ((VersionedSessionStore) store()).invalidate(signedOut, Duration.ofMinutes(6));

    elapse(pastExpiry(Duration.ofMinutes(1)));

    assertThat(index().sessionsOf(user)).extracting(IndexedSession::key).containsExactly(live);
  }

  /** Listing reads a session without sliding its expiry. */
  @Test
  default void sessionsOf_doesNotSlideTheExpiry() {
    String user = principal();
    String key = newKey();
    store().save(key, randomBytes(10), Duration.ofMinutes(2));
    index().index(user, key, null, Duration.ofMinutes(2));

    elapse(Duration.ofMinutes(1));
    assertThat(index().sessionsOf(user)).hasSize(1);
    elapse(pastExpiry(Duration.ofMinutes(2)).minus(Duration.ofMinutes(1)));

    assertThat(index().sessionsOf(user)).isEmpty();
  }

  // ---- through a session manager

  /** The commit that binds costs one index call; a request that does not bind costs none. */
  @Test
  default void binding_costsOneIndexCall_andARequestThatDoesNotBindCostsNone() {
    try (Visits visits = Visits.over(store())) {
      String user = principal();
      String cookie = visits.establish("cart", "1");
      visits.counting.reset();

      visits.run(
          cookie,
          s -> {
            s.regenerateId();
            s.bindPrincipal(user);
          });
      String signedIn = visits.lastCookie();
      assertThat(visits.counting.indexCalls()).isEqualTo(1);

      visits.counting.reset();
      visits.read(signedIn, "cart");
      visits.write(signedIn, "cart", "2");
      visits.run(signedIn, s -> s.bindPrincipal(user)); // bound already: no change
      assertThat(visits.counting.indexCalls()).isZero();
      assertThat(visits.manager.principalSessions().list(user)).hasSize(1);
    }
  }

  /** The binding moves with regenerateId(), and invalidate() unbinds the session. */
  @Test
  default void binding_survivesRegenerateId_andInvalidateUnbinds() {
    try (Visits visits = Visits.over(store())) {
      String user = principal();
      String cookie = visits.signIn(user);
      String id = visits.request(cookie, s -> s.id());

      visits.run(cookie, s -> s.regenerateId());
      String moved = visits.lastCookie();

      assertThat(visits.principal(moved)).contains(user);
      assertThat(visits.manager.principalSessions().list(user))
          .extracting(SessionInfo::id)
          .containsExactly(id);

      visits.run(moved, s -> s.invalidate());
      assertThat(visits.manager.principalSessions().list(user)).isEmpty();
    }
  }

  /** Listing shows ids and times, never keys; ending one session signs out only that one. */
  @Test
  default void list_showsIdsAndTimes_neverKeys_andEndOneSignsOutOnlyThatOne() {
    try (Visits visits = Visits.over(store())) {
      String user = principal();
      String first = visits.signIn(user);
      String second = visits.signIn(user);
      String secondId = visits.request(second, s -> s.id());

      List<SessionInfo> listed = visits.manager.principalSessions().list(user);
      assertThat(listed).hasSize(2);
      for (SessionInfo info : listed) {
        assertThat(info.toString()).doesNotContain(Visits.keyOf(first), Visits.keyOf(second));
        assertThat(info.lastAccessedAt()).isAfterOrEqualTo(info.createdAt());
        assertThat(info.expiresAt()).isAfter(info.lastAccessedAt());
      }

      assertThat(visits.manager.principalSessions().end(user, secondId)).isTrue();
      assertThat(visits.manager.principalSessions().end(user, secondId)).isFalse();

      assertThat(visits.principal(second)).isEmpty();
      assertThat(visits.principal(first)).contains(user);
    }
  }

  /** Ending all signs out every session, and a request in flight does not bring one back. */
  @Test
  default void endAll_signsOutEverySession_andARequestInFlightDoesNotBringOneBack() {
    try (Visits visits = Visits.over(store())) {
      String user = principal();
      List<String> cookies = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        cookies.add(visits.signIn(user));
      }
      // A request that loaded its session before the sign-out and commits after it.
      SessionRequest inFlight = visits.manager.begin(cookies.get(0), false, () -> false);
      assertThat(inFlight.session().principal()).contains(user);

      assertThat(visits.manager.principalSessions().endAll(user)).isEqualTo(5);

      inFlight.session().setString("late", "write");
      inFlight.finish();
      for (String cookie : cookies) {
        assertThat(visits.principal(cookie)).isEmpty();
        assertThat(visits.read(cookie, "late")).isEmpty();
      }
      assertThat(visits.manager.principalSessions().list(user)).isEmpty();
    }
  }

  /** Under a cap of two that ends the least recently used, a third sign-in ends the oldest. */
  @Test
  default void limit_endLeastRecentlyUsed_aThirdSignInEndsTheOldest() {
    try (Visits visits =
        Visits.over(
            store(),
            b -> b.maxSessionsPerPrincipal(2, SessionLimitPolicy.END_LEAST_RECENTLY_USED))) {
      String user = principal();
      String oldest = visits.signIn(user);
      elapse(SECOND);
      String middle = visits.signIn(user);
      elapse(SECOND);
      String newest = visits.signIn(user);

      assertThat(visits.principal(oldest)).isEmpty();
      assertThat(visits.principal(middle)).contains(user);
      assertThat(visits.principal(newest)).contains(user);
      assertThat(visits.manager.principalSessions().list(user)).hasSize(2);
    }
  }

  /**
   * Under a cap of two that refuses, a third sign-in fails with a clear error and the others stay.
   */
  @Test
  default void limit_refuseNew_aThirdSignInFailsWithAClearError_andTheOthersStay() {
    try (Visits visits =
        Visits.over(store(), b -> b.maxSessionsPerPrincipal(2, SessionLimitPolicy.REFUSE_NEW))) {
      String user = principal();
      String first = visits.signIn(user);
      String second = visits.signIn(user);

      SessionRequest third = visits.manager.begin(null, false, () -> false);
      assertThatThrownBy(() -> third.session().bindPrincipal(user))
          .isExactlyInstanceOf(SessionLimitException.class)
          .hasMessage(
              "sign-in refused: the principal already holds 2 live sessions, the most"
                  + " maxSessionsPerPrincipal allows; end one of them first");
      third.finish();

      assertThat(visits.principal(first)).contains(user);
      assertThat(visits.principal(second)).contains(user);
      assertThat(visits.manager.principalSessions().list(user)).hasSize(2);
    }
  }
}
