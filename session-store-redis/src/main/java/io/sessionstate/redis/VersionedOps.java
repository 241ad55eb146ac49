package io.sessionstate.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The {@link io.sessionstate.spi.VersionedSessionStore} operations of a {@link RedisSessionStore}:
 * the scripts of {@link VersionedValues} run on one key (or, for a move on one node, two), and
 * their replies read back as outcomes. Each runs through the store's {@link RedisCalls}, so it
 * retries, fails and counts as closed exactly as the plain operations do.
 */
final class VersionedOps {
  private static final SecureRandom TOKENS = new SecureRandom();
  private static final byte[] VERSION_ONE = {'1'};

  private final UnifiedJedis jedis;
  private final RedisCalls calls;
  private final RedisKeys keys;
  private final boolean cluster;

  /**
   * Whether loads and saves run as {@link NodeCommands}' transactions, which need every command on
   * one node: only for clients known to talk to one node (a transaction on a client that spreads
   * keys over a Cluster would reach a random node). Other clients get the whole-value scripts,
   * which any client routes by their key.
   */
  private final boolean transactions;

  VersionedOps(
      UnifiedJedis jedis, RedisCalls calls, RedisKeys keys, boolean cluster, boolean oneNode) {
    this.jedis = jedis;
    this.calls = calls;
    this.keys = keys;
    this.cluster = cluster;
    this.transactions = oneNode && !cluster;
  }

  /**
   * One round trip: on a Cluster one {@code EVALSHA} of a script that reads the value and slides it
   * unless a tombstone; on one node the transaction of {@link NodeCommands#load}.
   */
  Stored loadVersioned(String key, Duration ttl) {
    byte[] redisKey = keys.key(key);
    byte[] millis = RedisKeys.ttlArg(ttl);
    return calls.run(
        "load",
        () ->
            !transactions
                ? VersionedValues.parse(
                    (byte[]) calls.eval(VersionedValues.LOAD, List.of(redisKey), millis))
                : NodeCommands.load(jedis, redisKey, RedisKeys.ttlMillis(ttl), millis),
        // Only without throwOnError: the failure is kept for lastError().
        Stored.absent());
  }

  /**
   * One round trip that checks the condition against the stored header and writes the blob behind
   * the next version's header, atomically on the one key: on a Cluster one {@code EVALSHA} that
   * carries the blob, on one node the transaction of {@link NodeCommands#put}.
   */
  Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    byte[] redisKey = keys.key(key);
    requireNonNull(condition, "condition");
    requireNonNull(blob, "blob");
    byte[][] c = VersionedValues.conditionArgs(condition);
    byte[] millis = RedisKeys.ttlArg(ttl);
    // Jedis copies a blob it is given as an array, so the Cluster's script needs no copy of ours;
    // on one node the header and the blob are written as one new array, sent as it is, its version
    // the next one where the condition tells it (else 1, right for every new session).
    byte @Nullable [] staging = transactions ? RedisKeys.stagingKey(redisKey) : null;
    long guess = condition.kind() == Condition.Kind.VERSION ? condition.version() + 1 : 1;
    byte[] guessArg = guess == 1 ? VERSION_ONE : Long.toString(guess).getBytes(US_ASCII);
    byte @Nullable [] value = transactions ? VersionedValues.withHeader(guess, blob) : null;
    AtomicInteger attempts = new AtomicInteger();
    Object reply =
        calls.run(
            "save",
            () -> {
              attempts.incrementAndGet();
              return staging == null || value == null
                  ? calls.eval(VersionedValues.SAVE, List.of(redisKey), c[0], c[1], blob, millis)
                  : NodeCommands.put(jedis, redisKey, staging, c, guessArg, value, millis);
            },
            null);
    return outcome(reply, attempts.get() > 1 ? blob : null);
  }

  /** One {@code SET key tombstone PX tombstoneTtl}, whatever the key held. */
  void invalidate(String key, Duration tombstoneTtl) {
    byte[] redisKey = keys.key(key);
    SetParams params = SetParams.setParams().px(RedisKeys.ttlMillis(tombstoneTtl));
    byte[] tombstone = VersionedValues.tombstone("");
    calls.run("invalidate", () -> jedis.set(redisKey, tombstone, params), null);
  }

  /**
   * On one node, one {@code EVALSHA} of a script over both keys. On a Cluster, where the keys sit
   * in different slots, the {@code SET} of the new key first, then the script on the old key, then,
   * only if the old key refused the move, a {@code DEL} of the new key: a failure in between leaves
   * the session under its old key, never under neither; the new key is known to no browser until
   * the move has succeeded. Every attempt carries a random token in the tombstone it leaves, so an
   * attempt retried after a lost reply recognises its own tombstone and reports the move done.
   */
  Outcome replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl) {
    byte[] oldRedisKey = keys.key(oldKey);
    byte[] newRedisKey = keys.key(newKey);
    requireNonNull(condition, "condition");
    requireNonNull(blob, "blob");
    if (oldKey.equals(newKey)) {
      throw new IllegalArgumentException("replaceIf needs two different keys");
    }
    byte[][] c = VersionedValues.conditionArgs(condition);
    byte[] copy = blob.clone();
    long ttlMillis = RedisKeys.ttlMillis(ttl);
    byte[] millis = Long.toString(ttlMillis).getBytes(US_ASCII);
    byte[] tombstoneMillis = Long.toString(RedisKeys.ttlMillis(tombstoneTtl)).getBytes(US_ASCII);
    byte[] tokenBytes = new byte[8];
    TOKENS.nextBytes(tokenBytes);
    byte[] token = HexFormat.of().formatHex(tokenBytes).getBytes(US_ASCII);
    Object reply =
        calls.run(
            "replace",
            () -> {
              if (!cluster) {
                return calls.eval(
                    VersionedValues.MOVE,
                    List.of(oldRedisKey, newRedisKey),
                    c[0],
                    c[1],
                    copy,
                    millis,
                    tombstoneMillis,
                    token);
              }
              jedis.set(
                  newRedisKey,
                  VersionedValues.withHeader(1, copy),
                  SetParams.setParams().px(ttlMillis));
              Object moved =
                  calls.eval(
                      VersionedValues.MOVE,
                      List.of(oldRedisKey),
                      c[0],
                      c[1],
                      copy,
                      millis,
                      tombstoneMillis,
                      token);
              if (!(moved instanceof List<?> l && Long.valueOf(1).equals(l.get(0)))) {
                jedis.del(newRedisKey);
              }
              return moved;
            },
            null);
    return outcome(reply, null);
  }

  /**
   * The outcome a script replied. {@code retried} is the blob of a save that was tried more than
   * once, else null: a conflict whose stored blob is byte for byte that blob is taken for this
   * save's own, landed by an attempt whose reply was lost, and reported saved. Only after a retry:
   * on a first attempt an equal blob is another writer's, and the conflict stands.
   */
  private Outcome outcome(@Nullable Object reply, byte @Nullable [] retried) {
    if (reply == null) {
      // Only without throwOnError: the failure is kept for lastError(), and nothing is known to
      // have been written.
      return Outcome.gone();
    }
    List<?> r = (List<?>) reply;
    long code = (Long) r.get(0);
    if (code == 1) {
      return Outcome.saved((Long) r.get(1));
    }
    if (code == 2) {
      Stored current = VersionedValues.parse((byte[]) r.get(1));
      if (current.state() != Stored.State.PRESENT) {
        throw new IllegalStateException("conflict reply without a stored blob: " + current);
      }
      if (retried != null && Arrays.equals(current.blob(), retried)) {
        return Outcome.saved(current.version());
      }
      return Outcome.conflict(current.blob(), current.version());
    }
    return Outcome.gone();
  }
}
