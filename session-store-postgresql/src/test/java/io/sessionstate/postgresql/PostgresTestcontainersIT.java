package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The store against a PostgreSQL in a container, through a user and password of the builder's own:
 * the fallback for machines without a local server. Skipped where Docker is not available.
 */
class PostgresTestcontainersIT {
  private static PostgreSQLContainer container;

  @BeforeAll
  static void startContainer() {
    assumeTrue(
        DockerClientFactory.instance().isDockerAvailable(),
        "Docker is not available: the Testcontainers fallback is not exercised here");
    container = new PostgreSQLContainer("postgres:15-alpine");
    container.start();
  }

  @AfterAll
  static void stopContainer() {
    if (container != null) {
      container.stop();
    }
  }

  @Test
  void roundTrip_replace_andSweep_inAContainer() {
    try (PostgresSessionStore store =
        PostgresSessionStore.builder()
            .jdbcUrl(container.getJdbcUrl())
            .username(container.getUsername())
            .password(container.getPassword())
            .unlogged(true)
            .createSchema(true)
            .build()
            .start()) {
      store.save("a", new byte[] {1}, Duration.ofMinutes(5));
      store.replace("a", "b", new byte[] {2}, Duration.ofMinutes(5));

      assertThat(store.loadAndTouch("a", Duration.ofMinutes(5))).isEmpty();
      assertThat(store.loadAndTouch("b", Duration.ofMinutes(5)))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(2));
      assertThat(store.sweepExpired()).isZero();
    }
  }
}
