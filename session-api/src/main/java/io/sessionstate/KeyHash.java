package io.sessionstate;

import java.security.SecureRandom;

/**
 * The hash session entries are found by, seeded at random per process. Not {@link
 * String#hashCode()}: keys an application takes from its visitors could then be chosen to collide
 * ("Aa" and "BB" share it, and so does every string made of them), and every lookup in a session of
 * thousands of them would walk them all. Computed a character at a time, so an ASCII key's bytes
 * give it without decoding the key.
 */
final class KeyHash {
  /** Unknown outside this process, so no set of keys can be chosen to share a hash. */
  private static final int SEED = new SecureRandom().nextInt();

  private KeyHash() {}

  /** The hash of {@code key}: {@link #start()}, {@link #step} per character, {@link #end}. */
  static int of(String key) {
    int h = start();
    for (int i = 0; i < key.length(); i++) {
      h = step(h, key.charAt(i));
    }
    return end(h);
  }

  static int start() {
    return SEED;
  }

  static int step(int h, int c) {
    return (h ^ c) * 0x9E3779B9;
  }

  static int end(int h) {
    h ^= h >>> 15;
    h *= 0x85EBCA6B;
    return h ^ (h >>> 13);
  }
}
