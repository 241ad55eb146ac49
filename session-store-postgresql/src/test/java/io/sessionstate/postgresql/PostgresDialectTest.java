package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.jdbc.OwnedPool;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the store's own pool asks of the PostgreSQL driver. */
class PostgresDialectTest {

  @Test
  void driverProperties_boundEveryWait_andKeepServerDetailOutOfErrors() {
    OwnedPool.Options options =
        new OwnedPool.Options(
            "jdbc:postgresql://127.0.0.1:1/none",
            null,
            null,
            4,
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            Duration.ofSeconds(7),
            false);

    assertThat(PostgresDialect.INSTANCE.driverProperties(options))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "connectTimeout", "3",
                "loginTimeout", "3",
                "socketTimeout", "7",
                "tcpKeepAlive", "false",
                "ApplicationName", "sessionstate",
                "logServerErrorDetail", "false"));
    assertThat(PostgresDialect.INSTANCE.driverClassName()).isEqualTo("org.postgresql.Driver");
  }
}
