package io.sessionstate;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Makes session keys and the signed cookie values that carry them.
 *
 * <p>A session key is 128 random bits from {@link SecureRandom}, in unpadded base64url (22
 * characters); it is also the store key. A cookie value is {@code <key>.<keyId>.<tag>}, where the
 * tag is the unpadded base64url HMAC-SHA256 of {@code <key>.<keyId>} under the cookie key derived
 * from key {@code keyId} of the ring. Verification parses strictly, looks the key id up in the ring
 * and compares tags in constant time; anything else is rejected before it can reach a store.
 */
final class CookieProtector {
  static final int KEY_BYTES = 16;
  static final int KEY_CHARS = 22;
  private static final int TAG_CHARS = 43;
  // The longest well-formed value: key, two dots, a 32-character key id, tag.
  private static final int MAX_COOKIE_CHARS = KEY_CHARS + 1 + 32 + 1 + TAG_CHARS;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final KeyRing keyRing;
  private final SecureRandom random = new SecureRandom();

  CookieProtector(KeyRing keyRing) {
    this.keyRing = keyRing;
  }

  /** A fresh random session key. */
  String newSessionKey() {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** The cookie value that carries {@code sessionKey}, signed by the primary key. */
  String protect(String sessionKey) {
    String keyId = keyRing.primaryKeyId();
    String signed = sessionKey + '.' + keyId;
    byte[] tag = keyRing.cookieKey(keyId).tag(signed.getBytes(StandardCharsets.US_ASCII));
    return signed + '.' + ENCODER.encodeToString(tag);
  }

  /** The session key in a cookie value, if the value is well formed and its tag verifies. */
  Optional<String> unprotect(String cookieValue) {
    if (cookieValue == null || cookieValue.length() > MAX_COOKIE_CHARS) {
      return Optional.empty();
    }
    int firstDot = cookieValue.indexOf('.');
    int lastDot = cookieValue.lastIndexOf('.');
    if (firstDot != KEY_CHARS
        || lastDot <= firstDot + 1
        || cookieValue.length() - lastDot - 1 != TAG_CHARS) {
      return Optional.empty();
    }
    String sessionKey = cookieValue.substring(0, firstDot);
    String keyId = cookieValue.substring(firstDot + 1, lastDot);
    Hmac key = keyRing.cookieKey(keyId);
    if (key == null || !isBase64Url(sessionKey) || !isBase64Url(cookieValue, lastDot + 1)) {
      return Optional.empty();
    }
    byte[] expected =
        ENCODER.encode(
            key.tag(cookieValue.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII)));
    byte[] actual = cookieValue.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII);
    // Comparing the encoded forms, and re-encoding the key, rejects values whose last character
    // differs only in unused low bits: each session key and tag has exactly one accepted spelling.
    if (!Hmac.equal(expected, actual)
        || !ENCODER.encodeToString(DECODER.decode(sessionKey)).equals(sessionKey)) {
      return Optional.empty();
    }
    return Optional.of(sessionKey);
  }

  private static boolean isBase64Url(String s) {
    return isBase64Url(s, 0);
  }

  private static boolean isBase64Url(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
