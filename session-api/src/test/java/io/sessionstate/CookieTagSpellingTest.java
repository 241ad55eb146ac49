package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A cookie's tag verifies only in its one canonical base64url spelling. */
class CookieTagSpellingTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @Test
  void tag_lastCharacterDifferingOnlyInItsUnusedBits_rejected() {
    KeyRing ring =
        KeyRing.builder()
            .addKey("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII))
            .build();
    CookieProtector protector = new CookieProtector(ring);
    for (int n = 0; n < 64; n++) {
      String cookie = protector.protect(protector.newSessionKey());
      assertThat(protector.unprotect(cookie)).isPresent();
      int last = ALPHABET.indexOf(cookie.charAt(cookie.length() - 1));
      // 43 characters carry 258 bits for the tag's 256: the last one's low 2 bits are unused.
      assertThat(last & 3).isZero();
      for (int low = 1; low < 4; low++) {
        String respelled = cookie.substring(0, cookie.length() - 1) + ALPHABET.charAt(last | low);
        assertThat(protector.unprotect(respelled)).as(respelled).isEmpty();
      }
    }
  }
}
