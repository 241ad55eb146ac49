package io.sessionstate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pool a store owns: what its options become in HikariCP, with the driver properties the
 * dialect gives, before it opens. Each store's dialect test checks its own properties.
 */
class OwnedPoolTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:1/none?password=pw";

  @Test
  void open_boundsEveryWait_andOpensNothing() {
    try (HikariDataSource pool =
        OwnedPool.open(
            TestDialect.INSTANCE,
            new OwnedPool.Options(
                URL,
                "app",
                "s3cret",
                4,
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                Duration.ofSeconds(7),
                false))) {
      assertThat(pool.getPoolName()).startsWith("sessionstate-test-");
      assertThat(pool.getDriverClassName()).isEqualTo("org.postgresql.Driver");
      assertThat(pool.getJdbcUrl()).isEqualTo(URL);
      assertThat(pool.getUsername()).isEqualTo("app");
      assertThat(pool.getPassword()).isEqualTo("s3cret");
      assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
      assertThat(pool.getConnectionTimeout()).isEqualTo(2_000);
      assertThat(pool.getValidationTimeout()).isEqualTo(2_000);
      assertThat(pool.isAutoCommit()).isTrue();
      assertThat(pool.getInitializationFailTimeout()).isEqualTo(-1);
      assertThat(pool.getDataSourceProperties())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("connectTimeout", "3", "socketTimeout", "7", "tcpKeepAlive", "false"));
      assertThat(pool.isRunning()).as("no connection is opened before the first use").isFalse();
    }
  }

  @Test
  void open_capsTheValidationTimeoutAtFiveSeconds() {
    try (HikariDataSource pool =
        OwnedPool.open(TestDialect.INSTANCE, options(Duration.ofSeconds(30)))) {
      assertThat(pool.getConnectionTimeout()).isEqualTo(30_000);
      assertThat(pool.getValidationTimeout()).isEqualTo(5_000);
    }
  }

  @Test
  void open_namesEachPoolApart() {
    try (HikariDataSource first =
            OwnedPool.open(TestDialect.INSTANCE, options(Duration.ofSeconds(5)));
        HikariDataSource second =
            OwnedPool.open(TestDialect.INSTANCE, options(Duration.ofSeconds(5)))) {
      assertThat(first.getPoolName()).isNotEqualTo(second.getPoolName());
    }
  }

  @Test
  void options_toString_showsNeitherTheUrlNorTheCredentials() {
    OwnedPool.Options options =
        new OwnedPool.Options(
            URL,
            "app",
            "s3cret",
            10,
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            true);

    assertThat(options.toString())
        .isEqualTo(
            "OwnedPool.Options{maximumPoolSize=10, connectionTimeout=PT5S, connectTimeout=PT10S,"
                + " socketTimeout=PT30S, tcpKeepAlive=true}");
  }

  private static OwnedPool.Options options(Duration connectionTimeout) {
    return new OwnedPool.Options(
        URL,
        null,
        null,
        10,
        connectionTimeout,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        true);
  }
}
