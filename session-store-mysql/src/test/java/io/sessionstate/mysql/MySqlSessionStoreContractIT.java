package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite through the store's own HikariCP pool (a JDBC URL), with the default slide
 * margin of a twentieth of the TTL.
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

  @Override
  public Duration expiryMargin(Duration ttl) {
    return Duration.ofMillis(ttl.toMillis() / 20);
  }

  @Test
  void loadAndTouch_withinTheMargin_leavesTheExpiry_andPastIt_slidesIt() {
    Duration margin = expiryMargin(TEN_MINUTES);
    store().save("throttled", new byte[] {1}, TEN_MINUTES);
    assertThat(remainingMillis("throttled"))
        .isBetween(TEN_MINUTES.plus(margin).toMillis() - 1000, TEN_MINUTES.plus(margin).toMillis());

    // Short of the margin since the save: the expiry is still at least now + ttl, and the load
    // reads and writes nothing.
    elapse(margin.minusSeconds(2));
    String saved = expiry("throttled");
    assertThat(store().loadAndTouch("throttled", TEN_MINUTES)).isPresent();
    assertThat(expiry("throttled")).isEqualTo(saved);

    // Past the margin the expiry would come sooner than now + ttl: the load slides it.
    elapse(Duration.ofSeconds(4));
    String aged = expiry("throttled");
    assertThat(store().loadAndTouch("throttled", TEN_MINUTES)).isPresent();
    assertThat(expiry("throttled")).isGreaterThan(aged);
    assertThat(remainingMillis("throttled"))
        .isBetween(TEN_MINUTES.plus(margin).toMillis() - 1000, TEN_MINUTES.plus(margin).toMillis());
  }

  private static long remainingMillis(String key) {
    return MySql.queryLong(
        "SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), expires_at) DIV 1000 FROM "
            + TABLE
            + " WHERE session_key = ?",
        key);
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
