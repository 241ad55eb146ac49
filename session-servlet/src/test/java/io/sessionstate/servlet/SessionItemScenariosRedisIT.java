package io.sessionstate.servlet;

import io.sessionstate.redis.RedisSessionStore;
import io.sessionstate.spi.SessionStore;
import java.util.UUID;

/**
 * The session's items through the filter on a real Redis: {@code SESSIONSTATE_REDIS_URL}, or
 * 127.0.0.1:6379. Each test gets its own application name, so its keys never meet another run's.
 */
class SessionItemScenariosRedisIT extends SessionItemScenarios {
  @Override
  SessionStore newStore() {
    String url = System.getenv().getOrDefault("SESSIONSTATE_REDIS_URL", "redis://127.0.0.1:6379");
    return RedisSessionStore.builder()
        .uri(url)
        .applicationName("servlet-items-it-" + UUID.randomUUID())
        .build();
  }
}
