package io.sessionstate.redis;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a store names and times its keys: {@code {<applicationName>_<sessionKey>}_Data}, the braces a
 * Redis Cluster hash tag that puts every key of one session on one slot, and a time to live in
 * whole milliseconds. Thread-safe.
 */
final class RedisKeys {
  // Redis adds the time to live to its clock in milliseconds and rejects a sum that overflows.
  private static final long MAX_TTL_MILLIS = Long.MAX_VALUE / 4;
  private static final Duration MAX_TTL = Duration.ofMillis(MAX_TTL_MILLIS);
  // Shared by every store: a time to live and its digits, replaced whole, never changed.
  private static volatile TtlArg lastTtlArg = new TtlArg(0, new byte[] {'0'});
  private static final byte[] DATA_SUFFIX = "}_Data".getBytes(StandardCharsets.UTF_8);
  private static final byte[] STAGING_SUFFIX = "}_Save".getBytes(StandardCharsets.UTF_8);

  private final byte[] prefix;

  RedisKeys(String applicationName) {
    this.prefix = ("{" + applicationName + "_").getBytes(StandardCharsets.UTF_8);
  }

  /** The Redis key of a session key, in a new array. */
  byte[] key(String sessionKey) {
    return withSuffix(sessionKey, DATA_SUFFIX);
  }

  /**
   * The key a save on one node writes the new value under before its script checks the condition
   * and renames it to the session's key: {@code {<applicationName>_<sessionKey>}_Save}, in the
   * session's slot. Only ever written and consumed inside one transaction, so no reader sees it.
   *
   * @param redisKey the session's key, as {@link #key} made it
   */
  static byte[] stagingKey(byte[] redisKey) {
    byte[] out = redisKey.clone();
    int at = out.length - STAGING_SUFFIX.length;
    System.arraycopy(STAGING_SUFFIX, 0, out, at, STAGING_SUFFIX.length);
    return out;
  }

  private byte[] withSuffix(String sessionKey, byte[] suffix) {
    byte[] k = requireNonNull(sessionKey, "key").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + k.length + suffix.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(k, 0, out, prefix.length, k.length);
    System.arraycopy(suffix, 0, out, prefix.length + k.length, suffix.length);
    return out;
  }

  /**
   * {@link #ttlMillis} as the decimal digits a command or script argument carries. Every caller
   * only reads the array, so the last one made is handed out again for the same time to live, which
   * nearly every call of a store has (its idle timeout).
   */
  static byte[] ttlArg(Duration ttl) {
    long millis = ttlMillis(ttl);
    TtlArg last = lastTtlArg;
    if (last.millis() != millis) {
      last = new TtlArg(millis, Long.toString(millis).getBytes(StandardCharsets.US_ASCII));
      lastTtlArg = last;
    }
    return last.digits();
  }

  private record TtlArg(long millis, byte[] digits) {}

  /**
   * A positive time to live in milliseconds for {@code PX}, rounded up.
   *
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  static long ttlMillis(Duration ttl) {
    requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    if (ttl.compareTo(MAX_TTL) >= 0) {
      return MAX_TTL_MILLIS;
    }
    // Rounds up: PX 0 is an error, and a session must not expire before its time.
    long millis = ttl.toMillis();
    return ttl.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }
}
