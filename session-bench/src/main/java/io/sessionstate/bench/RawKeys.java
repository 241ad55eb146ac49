package io.sessionstate.bench;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/** Session keys for the raw baselines, shaped like sessionstate's: 128 random bits, base64url. */
final class RawKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong NEW_KEYS = new AtomicLong();

  private RawKeys() {}

  static String[] random(int count) {
    String[] keys = new String[count];
    byte[] bytes = new byte[16];
    for (int i = 0; i < count; i++) {
      RANDOM.nextBytes(bytes);
      keys[i] = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    return keys;
  }

  /**
   * A key for a new session. The baselines take a counter, the least a store needs: what a real
   * first visit also pays, drawing a random key and signing a cookie, is left to sessionstate.
   */
  static String next() {
    return "new-" + NEW_KEYS.incrementAndGet();
  }
}
