package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite through the store's own HikariCP pool (a JDBC URL), with the default slide
 * throttle of 1 second.
 */
class MySqlSessionStoreContractIT extends MySqlContractBase {
  private static final String TABLE = MySql.uniqueTable("tck_pool");

  @AfterAll
  static void dropTable() {
    MySql.dropTable(TABLE);
  }

  @Override
  String table() {
    return TABLE;
  }

  @Override
  MySqlSessionStore newStore() {
    return MySqlSessionStore.builder()
        .jdbcUrl(MySql.jdbcUrl())
        .table(TABLE)
        .createSchema(true)
        .build()
        .start();
  }

  @Test
  void loadAndTouch_withinTheThrottle_leavesTheExpiry_andPastIt_slidesIt() {
    store().save("throttled", new byte[] {1}, TEN_MINUTES);
    String saved = expiry("throttled");

    // Within a second of the save: the load reads and writes nothing.
    assertThat(store().loadAndTouch("throttled", TEN_MINUTES)).isPresent();
    assertThat(expiry("throttled")).isEqualTo(saved);

    // Two seconds on, the expiry lags now + ttl by more than the throttle: the load slides it.
    elapse(Duration.ofSeconds(2));
    String aged = expiry("throttled");
    assertThat(store().loadAndTouch("throttled", TEN_MINUTES)).isPresent();
    assertThat(expiry("throttled")).isGreaterThan(aged);
    long millis =
        MySql.queryLong(
            "SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), expires_at) DIV 1000 FROM "
                + TABLE
                + " WHERE session_key = 'throttled'");
    assertThat(millis).isBetween(TEN_MINUTES.toMillis() - 1000, TEN_MINUTES.toMillis());
  }

  private static String expiry(String key) {
    return MySql.query(
            "SELECT DATE_FORMAT(expires_at, '%Y-%m-%d %H:%i:%s.%f') FROM "
                + TABLE
                + " WHERE session_key = ?",
            key)
        .orElseThrow();
  }
}
