package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The store against MySQL 8.4 in a container, over MariaDB Connector/J with TLS (MySQL's own
 * self-signed certificate, trusted) and a user and password of the builder's own: the MySQL half of
 * "MySQL and MariaDB". Skipped where Docker is not available.
 */
class MySqlTestcontainersIT {
  private static MySQLContainer container;

  @BeforeAll
  static void startContainer() {
    assumeTrue(
        DockerClientFactory.instance().isDockerAvailable(),
        "Docker is not available: MySQL 8 is not exercised here");
    container = new MySQLContainer("mysql:8.4");
    container.start();
  }

  @AfterAll
  static void stopContainer() {
    if (container != null) {
      container.stop();
    }
  }

  @Test
  void roundTrip_slide_replace_andSweep_onMySql8() {
    String url =
        "jdbc:mariadb://"
            + container.getHost()
            + ":"
            + container.getMappedPort(3306)
            + "/"
            + container.getDatabaseName()
            + "?sslMode=trust";
    try (MySqlSessionStore store =
        MySqlSessionStore.builder()
            .jdbcUrl(url)
            .username(container.getUsername())
            .password(container.getPassword())
            .createSchema(true)
            .slideThrottle(Duration.ZERO)
            .build()
            .start()) {
      store.save("a", new byte[] {1}, Duration.ofMinutes(5));
      assertThat(store.loadAndTouch("a", Duration.ofMinutes(5)))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(1));
      store.save("a ", new byte[] {3}, Duration.ofMinutes(5));
      store.replace("a", "b", new byte[] {2}, Duration.ofMinutes(5));
      store.touch("b", Duration.ofMinutes(6));

      assertThat(store.loadAndTouch("a", Duration.ofMinutes(5))).isEmpty();
      assertThat(store.loadAndTouch("a ", Duration.ofMinutes(5)))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(3));
      assertThat(store.loadAndTouch("b", Duration.ofMinutes(5)))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(2));
      assertThat(store.sweepExpired()).isZero();
    }
  }
}
