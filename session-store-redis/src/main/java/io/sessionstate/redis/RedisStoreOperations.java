package io.sessionstate.redis;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * The request path of a {@link RedisSessionStore}: every operation of the store SPI, on the client
 * and through the {@link RedisCalls} the store was built with. The store adds its construction, its
 * builder and its lifecycle; keeping them apart means a change to how a store is configured never
 * touches how a request reaches Redis. Its public methods are documented as the store's own.
 * Thread-safe.
 */
abstract class RedisStoreOperations
    implements ReplacingSessionStore, VersionedSessionStore, PrincipalIndex {
  final UnifiedJedis jedis;
  final RedisCalls calls;
  final RedisIndexPruner pruner;
  private final boolean cluster;
  private final RedisKeys keys;
  private final VersionedOps versioned;
  private final RedisPrincipalIndex principals;

  RedisStoreOperations(UnifiedJedis jedis, RedisStoreOptions options) {
    this.jedis = jedis;
    this.cluster = RedisClients.isCluster(jedis);
    this.keys = new RedisKeys(options.applicationName());
    this.calls = new RedisCalls(jedis, options);
    this.versioned = new VersionedOps(jedis, calls, keys, cluster, RedisClients.isOneNode(jedis));
    this.principals = new RedisPrincipalIndex(jedis, calls, keys, options.applicationName());
    this.pruner = new RedisIndexPruner(jedis, principals, options.indexPruneInterval());
  }

  /**
   * One {@code GETEX key PX ttl}. A versioned value comes back without the store's header; a
   * tombstone reads as absent.
   */
  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    byte[] redisKey = keys.key(key);
    GetExParams params = GetExParams.getExParams().px(RedisKeys.ttlMillis(ttl));
    byte @Nullable [] value = calls.run("load", () -> jedis.getEx(redisKey, params), null);
    return value == null
        ? Optional.empty()
        : Optional.ofNullable(VersionedValues.blobOrNull(value));
  }

  /** One {@code SET key blob PX ttl}. */
  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    byte[] redisKey = keys.key(key);
    requireNonNull(blob, "blob");
    SetParams params = SetParams.setParams().px(RedisKeys.ttlMillis(ttl));
    byte[] copy = blob.clone();
    calls.run("save", () -> jedis.set(redisKey, copy, params), null);
  }

  /** One {@code PEXPIRE key ttl}, which does nothing to a missing key. */
  @Override
  public void touch(String key, Duration ttl) {
    byte[] redisKey = keys.key(key);
    long millis = RedisKeys.ttlMillis(ttl);
    calls.run("touch", () -> jedis.pexpire(redisKey, millis), null);
  }

  /** One {@code DEL key}. */
  @Override
  public void delete(String key) {
    byte[] redisKey = keys.key(key);
    calls.run("delete", () -> jedis.del(redisKey), null);
  }

  /**
   * One round trip on one node: a {@code MULTI}/{@code EXEC} of {@code SET newKey} and {@code DEL
   * oldKey}. On a Cluster two: the {@code SET}, then the {@code DEL} once the {@code SET}
   * succeeded, so both keys may be present for a moment and a failure leaves the old one.
   */
  @Override
  public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    byte[] oldRedisKey = keys.key(oldKey);
    byte[] newRedisKey = keys.key(newKey);
    requireNonNull(blob, "blob");
    long millis = RedisKeys.ttlMillis(ttl);
    byte[] copy = blob.clone();
    boolean sameKey = oldKey.equals(newKey);
    calls.run(
        "replace",
        () -> KeyReplace.run(jedis, cluster, oldRedisKey, newRedisKey, copy, millis, sameKey));
  }

  /**
   * One round trip: on one node a {@code GET} pipelined with a script that slides the value unless
   * it is a tombstone; on a Cluster one {@code EVALSHA} of a script that does both.
   */
  @Override
  public Stored loadVersioned(String key, Duration ttl) {
    return versioned.loadVersioned(key, ttl);
  }

  /**
   * One round trip: on one node a transaction of a {@code SET} of the new value under a staging key
   * and a script that checks the condition and renames it into place at the next version; on a
   * Cluster one {@code EVALSHA} of a script that checks and writes the value it carries.
   */
  @Override
  public Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    return versioned.saveIf(key, condition, blob, ttl);
  }

  /** One {@code SET key tombstone PX tombstoneTtl}, whatever the key held. */
  @Override
  public void invalidate(String key, Duration tombstoneTtl) {
    versioned.invalidate(key, tombstoneTtl);
  }

  /**
   * On one node, one {@code EVALSHA} of a script over both keys; on a Cluster, the {@code SET} of
   * the new key, the script on the old key and, only if that refused the move, a {@code DEL} of the
   * new key, so a failure leaves the session under its old key, never under neither.
   */
  @Override
  public Outcome replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl) {
    return versioned.replaceIf(oldKey, condition, newKey, blob, ttl, tombstoneTtl);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code EVALSHA} on the principal's sorted set; starts this store's index pruner. See
   * {@link RedisPrincipalIndex} for the layout, and how it stays consistent and is pruned.
   */
  @Override
  public int index(String principal, String key, @Nullable String replacedKey, Duration ttl) {
    pruner.start();
    return principals.index(principal, key, replacedKey, ttl);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code ZREM} on the principal's sorted set.
   */
  @Override
  public void unindex(String principal, String key) {
    principals.unindex(principal, key);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A {@code ZRANGE}, one read per session (each in its own slot on a Cluster), one prune.
   */
  @Override
  public List<IndexedSession> sessionsOf(String principal) {
    pruner.start();
    return principals.sessionsOf(principal);
  }
}
