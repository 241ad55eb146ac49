package io.sessionstate.micrometer;

import io.sessionstate.redis.RedisSessionStore;
import io.sessionstate.spi.SessionStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * The meter sequence over Redis: the shared server ({@code SESSIONSTATE_REDIS_URL}, default
 * 127.0.0.1:6379) under an application name of the test's own, an unreadable blob written on the
 * store's documented key, and a {@code redis-server} of the test's own stopped under the manager.
 */
class RedisMetricsIT extends MeterSequence {
  private static final String URL = redisUrl();

  private final String applicationName = "metrics" + UUID.randomUUID().toString().substring(0, 8);
  private OwnRedisServer own;

  private static String redisUrl() {
    String configured = System.getenv("SESSIONSTATE_REDIS_URL");
    return configured == null || configured.isBlank() ? "redis://127.0.0.1:6379" : configured;
  }

  @Override
  SessionStore newStore() {
    return RedisSessionStore.builder().uri(URL).applicationName(applicationName).build();
  }

  @Override
  void writeRaw(SessionStore store, String key, byte[] bytes) {
    try (Jedis admin = new Jedis(URI.create(URL))) {
      admin.set(
          ("{" + applicationName + "_" + key + "}_Data").getBytes(StandardCharsets.UTF_8),
          bytes,
          SetParams.setParams().px(Duration.ofMinutes(5).toMillis()));
    }
  }

  @Override
  SessionStore storeToBringDown() {
    own = OwnRedisServer.start();
    return RedisSessionStore.builder()
        .host("127.0.0.1")
        .port(own.port)
        .applicationName(applicationName)
        .connectTimeout(Duration.ofMillis(500))
        .operationTimeout(Duration.ofMillis(500))
        .build();
  }

  @Override
  void bringDown() {
    own.close();
  }

  @AfterEach
  void stopOwnServer() {
    if (own != null) {
      own.close();
    }
  }

  @Override
  String systemName() {
    return "redis";
  }

  @Override
  Set<String> downErrorTypes() {
    return Set.of("redis.clients.jedis.exceptions.JedisConnectionException");
  }
}
