package io.sessionstate.tck;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;

/** Keys and blobs for the contracts: random, so that tests over a shared server never collide. */
final class TestData {
  /** The time to live the store tests use: long against the one-second margins around it. */
  static final Duration TTL = Duration.ofMinutes(10);

  static final Duration SECOND = Duration.ofSeconds(1);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private TestData() {}

  /** A key shaped as the manager's: 128 random bits, base64url. */
  static String newKey() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(RANDOM.nextLong()).nextBytes(bytes);
    return bytes;
  }
}
