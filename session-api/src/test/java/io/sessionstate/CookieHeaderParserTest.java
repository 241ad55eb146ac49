package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The RFC 6265 reading of the Cookie header, one rule per test. */
class CookieHeaderParserTest {

  private static java.util.List<String> session(String header) {
    return CookieHeaderParser.values(header, "session");
  }

  @Test
  void canonicalHeader_findsTheCookieAmongOthers() {
    assertThat(session("a=1; session=xyz; b=2")).containsExactly("xyz");
    assertThat(session("session=xyz")).containsExactly("xyz");
  }

  @Test
  void quotedValue_isUnquoted() {
    assertThat(session("session=\"xyz\"; b=2")).containsExactly("xyz");
    assertThat(session("session=\"\"")).containsExactly("");
  }

  @Test
  void valueSmuggledInsideAnotherCookiesQuotedValue_isNotTaken() {
    assertThat(session("other=\"a; session=smuggled; b\"")).isEmpty();
    assertThat(session("other=\"a; session=smuggled; b\"; session=real")).containsExactly("real");
  }

  @Test
  void unclosedQuote_makesOnlyItsOwnPairMalformed() {
    assertThat(session("other=\"a; session=real")).containsExactly("real");
    assertThat(session("x=\"; session=real")).containsExactly("real");
    assertThat(session("session=first; other=\"a; session=second"))
        .containsExactly("first", "second");
    assertThat(session("session=\"abc; b=2")).isEmpty();
  }

  @Test
  void textAfterAClosingQuote_makesOnlyItsOwnPairMalformed() {
    assertThat(session("other=\"a\"b; session=real")).containsExactly("real");
    assertThat(session("session=\"abc\"d; b=2")).isEmpty();
  }

  @Test
  void quoteInsideABareValue_makesOnlyItsOwnPairMalformed() {
    assertThat(session("other=a\"b; session=real")).containsExactly("real");
  }

  @Test
  void jsonValuedCookieBeforeTheSessionCookie_doesNotHideIt() {
    assertThat(session("prefs={\"theme\":\"dark\"}; session=real")).containsExactly("real");
    assertThat(session("consent={\"ads\":false,\"tags\":[\"a\",\"b\"]}; session=real"))
        .containsExactly("real");
  }

  @Test
  void tabAndSpacePadding_readsAsTheCanonicalHeader() {
    assertThat(session("\tsession\t=\txyz\t")).containsExactly("xyz");
    assertThat(session("a=1;\tsession=xyz;  b=2")).containsExactly("xyz");
    assertThat(session("a=1 ;session=xyz ;b=2")).containsExactly("xyz");
    assertThat(session("session= \"xyz\" ; b=2")).containsExactly("xyz");
  }

  @Test
  void commaDoesNotSeparate_theMalformedPairIsSkipped() {
    assertThat(session("a=1, session=xyz")).isEmpty();
    assertThat(session("session=xyz, a=1")).isEmpty();
  }

  @Test
  void malformedValueOfOurName_isSkippedNeverRepaired() {
    assertThat(session("session=x y; session=ok")).containsExactly("ok");
    assertThat(session("session=a\\b")).isEmpty();
    assertThat(session("session=caf\u00e9")).isEmpty();
    assertThat(session("session=\"x y\"")).isEmpty();
  }

  @Test
  void names_matchExactlyAndCaseSensitively() {
    assertThat(session("Session=1; mysession=2; session_=3; session")).isEmpty();
    assertThat(session("=1; ;; session=2")).containsExactly("2");
  }

  @Test
  void everyCookieOfTheName_inOrder() {
    assertThat(session("session=\"q\";session=r")).containsExactly("q", "r");
  }

  @Test
  void emptyHeader_findsNothing() {
    assertThat(session("")).isEmpty();
    assertThat(session(" ; ")).isEmpty();
  }
}
