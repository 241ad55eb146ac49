package io.sessionstate.example.spring;

import java.util.Map;
import java.util.UUID;

/** Two nodes sharing the Redis at 127.0.0.1:6379, under an application name of their own. */
class RedisTwoNodesIT extends TwoNodesContract {

  private final String application = "sample-it-" + UUID.randomUUID();

  @Override
  Map<String, Object> storeProperties() {
    return Map.of("sessionstate.store", "redis", "spring.application.name", application);
  }
}
