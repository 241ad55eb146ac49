package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.CommitDecision.Delete;
import io.sessionstate.CommitDecision.Replace;
import io.sessionstate.CommitDecision.Save;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The commit rules as a table: what a session's key state decides a commit writes, and what the
 * response says afterwards. No store is involved; the request-cycle tests cover the store calls.
 */
class CommitDecisionTest {
  private static final boolean EMPTY = true;
  private static final boolean HAS_VALUES = false;
  private static final boolean REPLACING = true;
  private static final boolean NOT_REPLACING = false;

  private static SessionKey established(String newKey) {
    SessionKey key = new SessionKey(null);
    key.establish(() -> newKey);
    return key;
  }

  private static SessionKey loaded(String cookieKey) {
    SessionKey key = new SessionKey(cookieKey);
    key.found(1);
    return key;
  }

  @Test
  void newSession_withValues_isSavedUnderItsNewKeyAsCreated_andItsCookieSent() {
    SessionKey key = established("n");

    CommitDecision decision = key.commitDecision(HAS_VALUES, REPLACING);
    assertThat(decision).isEqualTo(new Save("n", List.of(), true, false));

    key.committed(decision);
    assertThat(key.keyToSend()).contains("n");
    assertThat(key.cookieToClear()).isFalse();
    assertThat(key.commitDecision(HAS_VALUES, REPLACING))
        .isEqualTo(new Save("n", List.of(), false, false));
  }

  @Test
  void emptySession_neverStored_writesNothing() {
    assertThat(new SessionKey(null).commitDecision(EMPTY, REPLACING))
        .isSameAs(CommitDecision.NOTHING);
    SessionKey expired = new SessionKey("c");
    expired.foundNothing(false);
    assertThat(expired.commitDecision(EMPTY, REPLACING)).isSameAs(CommitDecision.NOTHING);
  }

  @Test
  void storedSession_emptied_deletesItsEntry_andSendsNoCookie() {
    SessionKey key = loaded("c");

    CommitDecision decision = key.commitDecision(EMPTY, REPLACING);
    assertThat(decision).isEqualTo(new Delete(List.of("c")));

    key.committed(decision);
    assertThat(key.keyToSend()).isEmpty();
    assertThat(key.existed()).isFalse();
  }

  @Test
  void storedSession_unchangedKey_isSavedInPlace_withNoCookie() {
    SessionKey key = loaded("c");

    CommitDecision decision = key.commitDecision(HAS_VALUES, REPLACING);
    assertThat(decision).isEqualTo(new Save("c", List.of(), false, false));

    key.committed(decision);
    assertThat(key.keyToSend()).isEmpty();
  }

  @Test
  void regenerated_onAReplacingStore_movesTheSessionInOneCall() {
    SessionKey key = loaded("c");
    key.regenerate("n");

    CommitDecision decision = key.commitDecision(HAS_VALUES, REPLACING);
    assertThat(decision).isEqualTo(new Replace("n", "c", false, true));
    assertThat(decision.staleKeys()).containsExactly("c");

    key.committed(decision);
    assertThat(key.keyToSend()).contains("n");
    assertThat(key.commitDecision(HAS_VALUES, REPLACING))
        .isEqualTo(new Save("n", List.of(), false, false));
  }

  @Test
  void regenerated_onAPlainStore_savesTheNewKeyThenDeletesTheOld() {
    SessionKey key = loaded("c");
    key.regenerate("n");

    assertThat(key.commitDecision(HAS_VALUES, NOT_REPLACING))
        .isEqualTo(new Save("n", List.of("c"), false, true));
  }

  @Test
  void regeneratedTwice_deletesOnlyTheKeysThatWereStored() {
    SessionKey key = loaded("c");
    key.regenerate("n1");
    key.committed(key.commitDecision(HAS_VALUES, REPLACING));
    key.regenerate("n2");
    key.regenerate("n3");

    assertThat(key.commitDecision(HAS_VALUES, REPLACING))
        .isEqualTo(new Replace("n3", "n1", false, true));
  }

  @Test
  void regenerated_thenEmptied_deletesTheOldEntry() {
    SessionKey key = loaded("c");
    key.regenerate("n");

    assertThat(key.commitDecision(EMPTY, REPLACING)).isEqualTo(new Delete(List.of("c")));
  }

  @Test
  void newSession_regenerated_isCreatedNotMoved() {
    SessionKey key = established("n1");
    key.regenerate("n2");

    assertThat(key.commitDecision(HAS_VALUES, REPLACING))
        .isEqualTo(new Save("n2", List.of(), true, false));
  }

  @Test
  void pastAbsoluteLifetime_deletesTheOldEntry_andClearsTheCookie() {
    SessionKey key = new SessionKey("c");
    key.foundExpiredForGood();

    CommitDecision decision = key.commitDecision(EMPTY, REPLACING);
    assertThat(decision).isEqualTo(new Delete(List.of("c")));

    key.committed(decision);
    assertThat(key.keyToSend()).isEmpty();
    assertThat(key.cookieToClear()).isTrue();
  }

  @Test
  void pastAbsoluteLifetime_thenGivenAValue_savesUnderAFreshKey_andDeletesTheOld() {
    SessionKey key = new SessionKey("c");
    key.foundExpiredForGood();
    key.establish(() -> "n");

    CommitDecision decision = key.commitDecision(HAS_VALUES, NOT_REPLACING);
    assertThat(decision).isEqualTo(new Save("n", List.of("c"), true, false));

    key.committed(decision);
    assertThat(key.keyToSend()).contains("n");
    assertThat(key.cookieToClear()).isFalse();
  }

  @Test
  void invalidation_deletesWhatTheKeyMayName() {
    assertThat(new SessionKey(null).invalidation(true)).isSameAs(CommitDecision.NOTHING);
    // Not loaded (or the load failed): the cookie's entry may exist, so it goes.
    assertThat(new SessionKey("c").invalidation(false)).isEqualTo(new Delete(List.of("c")));
    SessionKey missing = new SessionKey("c");
    missing.foundNothing(false);
    assertThat(missing.invalidation(true)).isSameAs(CommitDecision.NOTHING);
    SessionKey regenerated = loaded("c");
    regenerated.regenerate("n");
    assertThat(regenerated.invalidation(true)).isEqualTo(new Delete(List.of("c")));
  }

  @Test
  void invalidated_startsKeyless_andClearsTheCookieOnlyIfTheBrowserHadOne() {
    SessionKey invalidated = loaded("c").invalidated();
    assertThat(invalidated.current()).isNull();
    assertThat(invalidated.existed()).isFalse();
    assertThat(invalidated.commitDecision(EMPTY, REPLACING)).isSameAs(CommitDecision.NOTHING);
    assertThat(invalidated.cookieToClear()).isTrue();
    assertThat(established("n").invalidated().cookieToClear()).isFalse();
  }
}
