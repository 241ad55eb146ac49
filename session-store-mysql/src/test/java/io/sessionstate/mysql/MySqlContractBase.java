package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.tck.SessionStoreContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The contract suite against the shared server, in a table of the subclass's own; elapse moves
 * every row's expiry back, so the database's clock decides what has expired. The tests here add
 * what is particular to MySQL: byte-for-byte keys, the key width, the database's UTC clock.
 */
abstract class MySqlContractBase extends SessionStoreContract {
  static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  /** The table of this test class, created by the first store and dropped after the class. */
  abstract String table();

  @Override
  protected void elapse(Duration duration) {
    MySql.execute(
        "UPDATE " + table() + " SET expires_at = expires_at - INTERVAL ? MICROSECOND",
        duration.toNanos() / 1000);
  }

  @Test
  void loadAndTouch_setsTheExpiryFromTheDatabasesUtcClock() {
    store().save("clock", new byte[] {1}, TEN_MINUTES);
    MySql.execute(
        "UPDATE "
            + table()
            + " SET expires_at = UTC_TIMESTAMP(3) + INTERVAL 5 SECOND WHERE session_key = 'clock'");

    assertThat(store().loadAndTouch("clock", Duration.ofMinutes(30))).isPresent();

    // Seconds from the server's UTC now to the stored expiry: the TTL, whatever the JVM's clock
    // or the session's time_zone says.
    long millis =
        MySql.queryLong(
            "SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), expires_at) DIV 1000 FROM "
                + table()
                + " WHERE session_key = 'clock'");
    assertThat(millis).isBetween(29 * 60_000L, 30 * 60_000L);
  }

  @Test
  void keys_thatACollationWouldFold_areDistinct() {
    // Trailing spaces (PAD SPACE collations ignore them), case, accents, a NUL byte and the German
    // sharp s that utf8mb4_unicode_ci calls equal to "ss". Had any two met in one row, one of them
    // would load the other's byte.
    String[] keys = {"key", "key ", "KEY", "Key", "kéy", "ke\u0301y", "key\u0000", "\u00df", "ss"};
    for (int i = 0; i < keys.length; i++) {
      store().save(keys[i], new byte[] {(byte) i}, TEN_MINUTES);
    }
    for (int i = 0; i < keys.length; i++) {
      byte expected = (byte) i;
      assertThat(store().loadAndTouch(keys[i], TEN_MINUTES))
          .as("key %d", i)
          .hasValueSatisfying(b -> assertThat(b).containsExactly(expected));
    }
  }

  @Test
  void save_keyOf255Bytes_roundTrips_andAWiderOneIsRefusedWithoutQuotingIt() {
    String widest = "é".repeat(127) + "k"; // 255 bytes in UTF-8
    String wider = "é".repeat(128); // 256 bytes
    store().save(widest, new byte[] {7}, TEN_MINUTES);

    assertThat(store().loadAndTouch(widest, TEN_MINUTES))
        .hasValueSatisfying(b -> assertThat(b).containsExactly(7));
    assertThat(widest.getBytes(StandardCharsets.UTF_8)).hasSize(255);
    assertThatThrownBy(() -> store().save(wider, new byte[] {8}, TEN_MINUTES))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must be at most 255 bytes in UTF-8: 256 bytes");
    // A key that cannot be stored is never found, and touching or deleting it does nothing.
    assertThat(store().loadAndTouch(wider, TEN_MINUTES)).isEmpty();
    store().touch(wider, TEN_MINUTES);
    store().delete(wider);
    assertThat(MySql.queryLong("SELECT count(*) FROM " + table() + " WHERE session_key = ?", wider))
        .isZero();
  }

  @Test
  void ttl_longerThan36500Days_isRefused() {
    assertThatThrownBy(() -> store().save("k", new byte[] {1}, Duration.ofDays(36_501)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be positive and at most 36500 days: PT876024H");
  }
}
