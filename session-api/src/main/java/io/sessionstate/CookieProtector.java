package io.sessionstate;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
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

  /** The 6-bit value of each base64url character, indexed by character; -1 for any other. */
  private static final byte[] BASE64URL_VALUES = new byte[128];

  /** The base64url character of each 6-bit value. */
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

  static {
    Arrays.fill(BASE64URL_VALUES, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      BASE64URL_VALUES[ALPHABET[i]] = (byte) i;
    }
  }

  /** A thread's buffer for the cookie value {@link #protect} builds before it becomes a String. */
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[MAX_COOKIE_CHARS]);

  private final KeyRing keyRing;
  private final SecureRandom random = new SecureRandom();

  CookieProtector(KeyRing keyRing) {
    this.keyRing = keyRing;
  }

  /** A fresh random session key. */
  String newSessionKey() {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    // Encoded straight into the String's bytes: 16 bytes are five groups of three and one left.
    byte[] chars = new byte[KEY_CHARS];
    int at = 0;
    int i = 0;
    for (; i + 3 <= KEY_BYTES; i += 3) {
      int bits = (bytes[i] & 0xFF) << 16 | (bytes[i + 1] & 0xFF) << 8 | bytes[i + 2] & 0xFF;
      chars[at++] = (byte) ALPHABET[bits >>> 18];
      chars[at++] = (byte) ALPHABET[bits >>> 12 & 0x3F];
      chars[at++] = (byte) ALPHABET[bits >>> 6 & 0x3F];
      chars[at++] = (byte) ALPHABET[bits & 0x3F];
    }
    int bits = (bytes[i] & 0xFF) << 4;
    chars[at++] = (byte) ALPHABET[bits >>> 6];
    chars[at] = (byte) ALPHABET[bits & 0x3F];
    return new String(chars, StandardCharsets.ISO_8859_1);
  }

  /** The cookie value that carries {@code sessionKey}, signed by the primary key. */
  String protect(String sessionKey) {
    String keyId = keyRing.primaryKeyId();
    // Every character is ASCII (base64url key and key id): the value is built as bytes, signed in
    // place, and made a String once.
    int signed = sessionKey.length() + 1 + keyId.length();
    int length = signed + 1 + TAG_CHARS;
    byte[] value = SCRATCH.get();
    if (value.length < length) {
      value = new byte[length];
    }
    int at = putAscii(value, 0, sessionKey);
    value[at++] = '.';
    putAscii(value, at, keyId);
    byte[] tag = keyRing.primaryCookieKey().tagInPlace(value, 0, signed);
    value[signed] = '.';
    at = signed + 1;
    int i = 0;
    for (; i + 3 <= tag.length; i += 3) {
      int bits = (tag[i] & 0xFF) << 16 | (tag[i + 1] & 0xFF) << 8 | tag[i + 2] & 0xFF;
      value[at++] = (byte) ALPHABET[bits >>> 18];
      value[at++] = (byte) ALPHABET[bits >>> 12 & 0x3F];
      value[at++] = (byte) ALPHABET[bits >>> 6 & 0x3F];
      value[at++] = (byte) ALPHABET[bits & 0x3F];
    }
    // 32 bytes: two are left, which encode to three characters.
    int bits = (tag[i] & 0xFF) << 10 | (tag[i + 1] & 0xFF) << 2;
    value[at++] = (byte) ALPHABET[bits >>> 12];
    value[at++] = (byte) ALPHABET[bits >>> 6 & 0x3F];
    value[at] = (byte) ALPHABET[bits & 0x3F];
    return new String(value, 0, length, StandardCharsets.ISO_8859_1);
  }

  private static int putAscii(byte[] to, int at, String s) {
    for (int i = 0; i < s.length(); i++) {
      to[at++] = (byte) s.charAt(i);
    }
    return at;
  }

  /**
   * A cookie value that verified: the session key it carries, and whether the ring's primary key
   * signed it. A cookie signed by an older key must be re-issued under the primary before that key
   * is retired, or its visitor is signed out.
   */
  record Verified(String sessionKey, boolean underPrimaryKey) {
    @Override
    public String toString() {
      return "Verified{underPrimaryKey=" + underPrimaryKey + "}"; // never the key
    }
  }

  /** The session key in a cookie value, if the value is well formed and its tag verifies. */
  Optional<String> unprotect(String cookieValue) {
    return verify(cookieValue).map(Verified::sessionKey);
  }

  /** The session key in a cookie value and which key signed it, if the value verifies. */
  Optional<Verified> verify(String cookieValue) {
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
    String keyId = keyRing.keyIdAt(cookieValue, firstDot + 1, lastDot);
    Hmac key = keyId == null ? null : keyRing.cookieKey(keyId);
    if (key == null
        || !isBase64Url(cookieValue, 0, firstDot)
        || !isBase64Url(cookieValue, lastDot + 1, cookieValue.length())) {
      return Optional.empty();
    }
    // Every character is ASCII now: the key and tag are base64url, and the key id is in the ring,
    // whose ids are all base64url characters too.
    byte[] expected = key.tagAscii(cookieValue, 0, lastDot);
    // Comparing with the canonical encoding of the expected tag, and requiring the key's unused
    // low bits to be zero, rejects values whose last character differs only in unused low bits:
    // each session key and tag has exactly one accepted spelling. 22 characters carry 132 bits
    // for the key's 128, so the last character's low 4 bits are the unused ones; they are zero
    // exactly when re-encoding the decoded key gives the same characters back.
    if (!encodesTo(expected, cookieValue, lastDot + 1)
        || (BASE64URL_VALUES[cookieValue.charAt(KEY_CHARS - 1)] & 0x0F) != 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Verified(cookieValue.substring(0, firstDot), keyRing.primaryKeyId().equals(keyId)));
  }

  /**
   * Whether {@code s} from {@code from} on is exactly the unpadded base64url encoding of the
   * 32-byte {@code tag}, compared in time that does not depend on where they differ.
   */
  private static boolean encodesTo(byte[] tag, String s, int from) {
    int diff = 0;
    int pos = from;
    int i = 0;
    for (; i + 3 <= tag.length; i += 3) {
      int bits = (tag[i] & 0xFF) << 16 | (tag[i + 1] & 0xFF) << 8 | tag[i + 2] & 0xFF;
      diff |= ALPHABET[bits >>> 18] ^ s.charAt(pos++);
      diff |= ALPHABET[bits >>> 12 & 0x3F] ^ s.charAt(pos++);
      diff |= ALPHABET[bits >>> 6 & 0x3F] ^ s.charAt(pos++);
      diff |= ALPHABET[bits & 0x3F] ^ s.charAt(pos++);
    }
    // 32 bytes: two are left, which encode to three characters.
    int bits = (tag[i] & 0xFF) << 10 | (tag[i + 1] & 0xFF) << 2;
    diff |= ALPHABET[bits >>> 12] ^ s.charAt(pos++);
    diff |= ALPHABET[bits >>> 6 & 0x3F] ^ s.charAt(pos++);
    diff |= ALPHABET[bits & 0x3F] ^ s.charAt(pos);
    return diff == 0;
  }

  private static boolean isBase64Url(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= BASE64URL_VALUES.length || BASE64URL_VALUES[c] < 0) {
        return false;
      }
    }
    return true;
  }
}
