package io.sessionstate.spring.boot;

import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Up when the store answers a load of a key that exists nowhere: one round trip, as a request's
 * load would make, and nothing written.
 */
final class SessionStoreHealthIndicator extends AbstractHealthIndicator {

  private static final Duration PROBE_TTL = Duration.ofSeconds(1);

  private final SessionStore store;

  SessionStoreHealthIndicator(SessionStore store) {
    super("The session store is unavailable");
    this.store = store;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    store.loadAndTouch("health-" + UUID.randomUUID(), PROBE_TTL);
    builder.up().withDetail("store", store.name());
  }
}
