package io.sessionstate.redis;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers fallback for the standalone Redis, in a class of its own so that
 * Testcontainers is loaded only when the configured server does not answer.
 */
final class RedisContainer {
  private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.4-alpine");
  private static GenericContainer<?> shared;

  private RedisContainer() {}

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /**
   * Starts one Redis container for the test run and returns its URL. Testcontainers removes it when
   * the JVM exits.
   */
  static synchronized String startShared() {
    if (shared == null) {
      @SuppressWarnings("resource") // lives until the JVM exits; Testcontainers reaps it
      GenericContainer<?> container =
          new GenericContainer<>(IMAGE)
              .withExposedPorts(6379)
              .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
      container.start();
      shared = container;
    }
    return "redis://" + shared.getHost() + ":" + shared.getMappedPort(6379);
  }
}
