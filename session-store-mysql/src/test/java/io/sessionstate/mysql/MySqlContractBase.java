package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.tck.BackDoorContract;
import io.sessionstate.tck.ConcurrentRequestsContract;
import io.sessionstate.tck.ReplacingSessionStoreContract;
import io.sessionstate.tck.RequestCycleContract;
import io.sessionstate.tck.SessionStoreContract;
import io.sessionstate.tck.VersionedSessionStoreContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite against the shared server, in a table of the subclass's own; elapse moves
 * every row's expiry back, so the database's clock decides what has expired. The back door is the
 * table itself, reached over a connection of the test's own. The tests here add what is particular
 * to MySQL: byte-for-byte keys, the key width, the database's UTC clock.
 */
abstract class MySqlContractBase
    implements SessionStoreContract,
        ReplacingSessionStoreContract,
        RequestCycleContract,
        BackDoorContract,
        VersionedSessionStoreContract,
        ConcurrentRequestsContract {
  static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  private MySqlSessionStore store;

  /** The table of this test class, created by the first store and dropped after the class. */
  abstract String table();

  /** A new, started store over {@link #table()} that creates the table if it is missing. */
  abstract MySqlSessionStore newStore();

  @BeforeAll
  static void allowTheSuitesOversizedBlob() {
    MySql.allowPacketsOf64Megabytes();
  }

  @Override
  public final MySqlSessionStore store() {
    if (store == null) {
      store = newStore();
    }
    return store;
  }

  /**
   * 250 randomized sign-out races rather than the suite's 1,000, and 40 rounds of lost updates
   * rather than 100, as for PostgreSQL: each race costs about a dozen statements, and every write
   * waits for a redo-log flush.
   */
  @Override
  public int raceRepetitions() {
    return 250;
  }

  @Override
  public int lostUpdateRounds() {
    return 40;
  }

  @Override
  public void elapse(Duration duration) {
    store(); // the table exists once the store has started
    MySql.execute(
        "UPDATE " + table() + " SET expires_at = expires_at - INTERVAL ? MICROSECOND",
        duration.toNanos() / 1000);
  }

  @Override
  public void writeRaw(String key, byte[] bytes, Duration ttl) {
    store();
    MySql.execute(
        "INSERT INTO "
            + table()
            + " (session_key, session_data, expires_at)"
            + " VALUES (?, ?, UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND)"
            + " ON DUPLICATE KEY UPDATE"
            + " session_data = VALUES(session_data), expires_at = VALUES(expires_at)",
        key.getBytes(StandardCharsets.UTF_8),
        bytes,
        ttl.toNanos() / 1000);
  }

  @Override
  public Optional<byte[]> readRaw(String key) {
    store();
    return MySql.query(
            "SELECT HEX(session_data) FROM " + table() + " WHERE session_key = ?",
            key.getBytes(StandardCharsets.UTF_8))
        .map(HexFormat.of()::parseHex);
  }

  @Override
  public Optional<Duration> remainingTtl(String key) {
    store();
    // Milliseconds from the server's UTC now to the stored expiry, whatever the JVM's clock or
    // the session's time_zone says.
    return MySql.query(
            "SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), expires_at) DIV 1000 FROM "
                + table()
                + " WHERE session_key = ?",
            key.getBytes(StandardCharsets.UTF_8))
        .map(millis -> Duration.ofMillis(Long.parseLong(millis)));
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
