package io.sessionstate.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.PrincipalIndex.IndexedSession;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZAddParams;

/**
 * The Redis store's principal index: one sorted set per principal, {@code
 * {<applicationName>_p_<digest>}_Principal}, whose members are session keys and whose scores are
 * the time, in milliseconds since the epoch by the server's clock, before which each session cannot
 * have expired (its expiry when last indexed or pruned: loads slide a session without touching the
 * index, so the real expiry is at least this). The digest is the first 128 bits of the SHA-256 of
 * the principal's name, so no name reaches a key, and the braces make the set one Cluster slot of
 * its own, apart from every session's.
 *
 * <p><b>Consistency without cross-slot operations.</b> Every command here touches one key. Indexing
 * (after the session's own write has landed) is one script on the set: remove the key the session
 * moved away from, add the new one, count. Listing is one {@code ZRANGE} of the set, then one
 * script per session that reads its value and time to live without sliding it (on a Cluster each in
 * its own slot), then one {@code ZREM} of the members found gone or signed out and one {@code ZADD
 * XX} of the others' real expiries. Every listed session is read from its own key, so an index
 * entry that is stale never shows a session that is gone; one missing could only be a session whose
 * index write failed, and that failure fails its commit.
 *
 * <p><b>Pruning.</b> Beside listing, a {@link RedisIndexPruner} visits every index set of the
 * application once per prune interval ({@code SCAN} over every primary) and checks the members
 * whose score has passed: each is removed if its session is gone, or gets its session's real expiry
 * as its new score. An entry therefore outlives its session by at most one prune interval (plus the
 * run's own time), and a set whose members are all gone disappears, as Redis drops an empty sorted
 * set. Thread-safe.
 */
final class RedisPrincipalIndex {
  private static final String SUFFIX = "}_Principal";

  /** KEYS: the set. ARGV: the key to add, its time to live in ms, the key to remove or ''. */
  private static final VersionedValues.Script INDEX =
      new VersionedValues.Script(
          "local t = redis.call('TIME')\n"
              + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
              + "if ARGV[3] ~= '' then redis.call('ZREM', KEYS[1], ARGV[3]) end\n"
              + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])\n"
              + "return redis.call('ZCARD', KEYS[1])\n");

  /**
   * KEYS: a session's key. Reply: false when it holds nothing or a tombstone, else {value, the
   * server's time in ms, the remaining time to live in ms}. Reads without sliding.
   */
  static final VersionedValues.Script PEEK =
      new VersionedValues.Script(
          "local v = redis.call('GET', KEYS[1])\n"
              + "if not v then return false end\n"
              + "if string.sub(v, 1, 4) == '\\255SST' and #v <= 20 then return false end\n"
              + "local t = redis.call('TIME')\n"
              + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
              + "return {v, now, redis.call('PTTL', KEYS[1])}\n");

  private final UnifiedJedis jedis;
  private final RedisCalls calls;
  private final RedisKeys keys;
  private final String applicationName;

  RedisPrincipalIndex(
      UnifiedJedis jedis, RedisCalls calls, RedisKeys keys, String applicationName) {
    this.jedis = jedis;
    this.calls = calls;
    this.keys = keys;
    this.applicationName = applicationName;
  }

  /** The sorted set of {@code principal}'s session keys. */
  byte[] setKey(String principal) {
    requireNonNull(principal, "principal");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(principal.getBytes(UTF_8));
      String hex = HexFormat.of().formatHex(digest, 0, 16);
      return ("{" + applicationName + "_p_" + hex + SUFFIX).getBytes(UTF_8);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's documentation).
      throw new AssertionError(e);
    }
  }

  /** The {@code SCAN MATCH} pattern of every index set of this application. */
  String setPattern() {
    StringBuilder p = new StringBuilder("{");
    for (char c : applicationName.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        p.append('\\');
      }
      p.append(c);
    }
    return p.append("_p_*").append(SUFFIX).toString();
  }

  int index(String principal, String key, @Nullable String replacedKey, Duration ttl) {
    byte[] set = setKey(principal);
    byte[] member = member(key);
    byte[] replaced = replacedKey == null ? new byte[0] : member(replacedKey);
    byte[] millis = Long.toString(RedisKeys.ttlMillis(ttl)).getBytes(US_ASCII);
    Object reply =
        calls.run("index", () -> calls.eval(INDEX, List.of(set), member, millis, replaced), 0L);
    return (int) (long) (Long) reply;
  }

  void unindex(String principal, String key) {
    byte[] set = setKey(principal);
    byte[] member = member(key);
    calls.run("unindex", () -> jedis.zrem(set, member), null);
  }

  /**
   * One retried unit, so that a failure anywhere reads as a failed listing (or, with {@code
   * throwOnError(false)}, an empty one), never as sessions found gone and pruned.
   */
  List<IndexedSession> sessionsOf(String principal) {
    byte[] set = setKey(principal);
    return calls.run("list", () -> list(set), List.of());
  }

  private List<IndexedSession> list(byte[] set) {
    List<IndexedSession> live = new ArrayList<>();
    List<byte[]> gone = new ArrayList<>();
    Map<byte[], Double> expiries = new HashMap<>();
    for (byte[] member : jedis.zrange(set, 0, -1)) {
      String key = new String(member, UTF_8);
      Peeked p = peek(key);
      byte[] blob = p == null ? null : VersionedValues.blobOrNull(p.value);
      if (p == null || blob == null) {
        gone.add(member);
        continue;
      }
      live.add(new IndexedSession(key, blob, Duration.ofMillis(p.ttlMillis)));
      expiries.put(member, (double) (p.nowMillis + p.ttlMillis));
    }
    if (!gone.isEmpty()) {
      jedis.zrem(set, gone.toArray(new byte[0][]));
    }
    if (!expiries.isEmpty()) {
      jedis.zadd(set, expiries, ZAddParams.zAddParams().xx());
    }
    return live;
  }

  /**
   * What a session's key holds, read without sliding; null for nothing or a tombstone. Not retried
   * here: the caller's unit is.
   */
  @Nullable Peeked peek(String key) {
    Object reply = calls.eval(PEEK, List.of(keys.key(key)));
    if (!(reply instanceof List<?> parts) || parts.size() != 3) {
      return null;
    }
    long ttl = (Long) parts.get(2);
    if (ttl < 0) {
      // -1: a key without expiry, which this store never writes; kept, as a day's worth.
      ttl = ttl == -1 ? Duration.ofDays(1).toMillis() : 0;
    }
    return new Peeked((byte[]) parts.get(0), (Long) parts.get(1), ttl);
  }

  /** A session's stored value, the server's clock and the value's remaining time to live. */
  record Peeked(byte[] value, long nowMillis, long ttlMillis) {}

  private static byte[] member(String key) {
    return requireNonNull(key, "key").getBytes(UTF_8);
  }
}
