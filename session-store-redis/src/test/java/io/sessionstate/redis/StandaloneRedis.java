package io.sessionstate.redis;

import java.net.URI;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * Finds the standalone Redis for the integration tests: {@code SESSIONSTATE_REDIS_URL}, or
 * 127.0.0.1:6379 when it is unset; where that does not answer and Docker is available, a Redis
 * container started through Testcontainers; where neither, a failure that says what to start.
 * Docker is asked only when the configured server does not answer, so the usual run pays nothing
 * for the fallback.
 */
final class StandaloneRedis {
  static final String URL_VARIABLE = "SESSIONSTATE_REDIS_URL";
  static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  private static String located;
  private static IllegalStateException notFound;

  private StandaloneRedis() {}

  /**
   * The URL of a standalone Redis that answers, found once per test run; a failure to find one is
   * remembered too, so Docker is asked at most once.
   */
  static synchronized String url() {
    if (located == null && notFound == null) {
      try {
        // Lambdas, not method references: Testcontainers' classes stay unloaded until needed.
        located =
            locate(
                System.getenv().getOrDefault(URL_VARIABLE, DEFAULT_URL),
                () -> RedisContainer.dockerAvailable(),
                () -> RedisContainer.startShared());
      } catch (IllegalStateException e) {
        notFound = e;
      }
    }
    if (notFound != null) {
      throw notFound;
    }
    return located;
  }

  /**
   * {@code configured} if a server answers {@code PING} there; otherwise {@code container}'s URL
   * when {@code docker} says Docker is available; otherwise an {@link IllegalStateException} naming
   * what to start.
   */
  static String locate(String configured, BooleanSupplier docker, Supplier<String> container) {
    RuntimeException failure = ping(configured);
    if (failure == null) {
      return configured;
    }
    if (docker.getAsBoolean()) {
      return container.get();
    }
    throw new IllegalStateException(
        "Redis is not reachable at "
            + redact(configured)
            + " ("
            + failure.getMessage()
            + ") and Docker is not available for a Testcontainers Redis: start Redis (bash"
            + " scripts/services), set "
            + URL_VARIABLE
            + ", or start Docker",
        failure);
  }

  /** Null if a server answers PING at {@code url}, else what went wrong. */
  private static RuntimeException ping(String url) {
    JedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(2000)
            .socketTimeoutMillis(2000)
            .build();
    try (Jedis jedis = new Jedis(URI.create(url), config)) {
      return "PONG".equals(jedis.ping())
          ? null
          : new IllegalStateException("no PONG from " + redact(url));
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** The URL without a password in its user-info part. */
  static String redact(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    return scheme >= 0 && at > scheme
        ? url.substring(0, scheme + 3) + "***" + url.substring(at)
        : url;
  }
}
