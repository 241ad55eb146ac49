package io.sessionstate.redis;

import io.sessionstate.SessionStoreException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * How a {@link RedisSessionStore} runs its commands: the retry policy, the mapping of every failure
 * to a {@link SessionStoreException}, the choice between throwing it and keeping it for {@link
 * RedisSessionStore#lastError()}, the closed state, and scripts run by their SHA-1.
 */
final class RedisCalls {
  // Logged under the store's name: that is the category an application configures.
  private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);

  private final UnifiedJedis jedis;
  private final Duration operationTimeout;
  private final RetryLoop retries;
  private final boolean throwOnError;
  private final AtomicReference<SessionStoreException> lastError = new AtomicReference<>();
  private volatile boolean closed;

  RedisCalls(UnifiedJedis jedis, RedisStoreOptions options) {
    this.jedis = jedis;
    this.operationTimeout = options.operationTimeout();
    this.retries = new RetryLoop(options.retryTimeout());
    this.throwOnError = options.throwOnError();
  }

  /**
   * Runs one operation with the retry policy; maps a failure to {@link SessionStoreException} and
   * either throws it or, without throwOnError, keeps it and returns {@code fallback}.
   */
  <T extends @Nullable Object> T run(String operation, Supplier<T> call, T fallback) {
    SessionStoreException failure;
    if (closed) {
      failure =
          new SessionStoreException(RedisSessionStore.NAME, operation, "the store is closed", null);
    } else {
      try {
        return retries.call(call, () -> closed);
      } catch (RuntimeException e) {
        String detail = closed ? "the store is closed" : RedisErrors.detail(e, operationTimeout);
        failure = new SessionStoreException(RedisSessionStore.NAME, operation, detail, e);
      }
    }
    if (throwOnError) {
      throw failure;
    }
    lastError.set(failure);
    log.warn("Redis session store: {} failed: {}", operation, failure.getMessage());
    return fallback;
  }

  /** {@link #run} for a call that returns nothing. */
  void run(String operation, Runnable call) {
    run(
        operation,
        () -> {
          call.run();
          return null;
        },
        null);
  }

  /**
   * Runs a script by its SHA-1; a server that does not know it yet (a restart, a failover, a new
   * Cluster node) gets it whole once, which also caches it there.
   */
  Object eval(VersionedValues.Script script, List<byte[]> keys, byte[]... args) {
    List<byte[]> argList = Arrays.asList(args);
    try {
      return jedis.evalsha(script.sha1, keys, argList);
    } catch (JedisNoScriptException e) {
      return jedis.eval(script.source, keys, argList);
    }
  }

  Optional<SessionStoreException> lastError() {
    return Optional.ofNullable(lastError.get());
  }

  /** From now on every operation fails at once, without retrying. */
  void close() {
    closed = true;
  }

  Duration operationTimeout() {
    return operationTimeout;
  }

  Duration retryTimeout() {
    return retries.timeout();
  }

  boolean throwOnError() {
    return throwOnError;
  }
}
