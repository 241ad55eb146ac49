package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.jdbc.OwnedPool;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the store's own pool asks of MariaDB Connector/J. */
class MySqlDialectTest {

  @Test
  void driverProperties_boundEveryWait_inMilliseconds() {
    OwnedPool.Options options =
        new OwnedPool.Options(
            "jdbc:mariadb://127.0.0.1:1/none",
            null,
            null,
            4,
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            Duration.ofSeconds(7),
            false);

    assertThat(MySqlDialect.INSTANCE.driverProperties(options))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("connectTimeout", "3000", "socketTimeout", "7000", "tcpKeepAlive", "false"));
    assertThat(MySqlDialect.INSTANCE.driverClassName()).isEqualTo("org.mariadb.jdbc.Driver");
  }
}
