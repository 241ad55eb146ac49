package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.spi.SessionStore;
import io.sessionstate.tck.SessionStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The contract suite against the shared PostgreSQL, in a table of the subclass's own; elapse moves
 * every row's expiry back, so the database's clock decides what has expired.
 */
abstract class PostgresContractBase extends SessionStoreContract {

  /** The table of this test class, created by the first store and dropped after the class. */
  abstract String table();

  abstract boolean unlogged();

  @Override
  protected void elapse(Duration duration) {
    Postgres.execute(
        "UPDATE public." + table() + " SET expires_at = expires_at - ? * interval '1 millisecond'",
        duration.toMillis());
  }

  @Test
  void loadAndTouch_setsTheExpiryFromTheDatabasesClock() {
    store().save("clock", new byte[] {1}, Duration.ofMinutes(10));
    Postgres.execute(
        "UPDATE public."
            + table()
            + " SET expires_at = now() + interval '5 seconds'"
            + " WHERE session_key = 'clock'");

    assertThat(store().loadAndTouch("clock", Duration.ofMinutes(30))).isPresent();

    // Seconds from the server's now() to the stored expiry: the TTL, whatever the JVM's clock says.
    double seconds =
        Double.parseDouble(
            Postgres.query(
                    "SELECT extract(epoch FROM expires_at - now()) FROM public."
                        + table()
                        + " WHERE session_key = 'clock'")
                .orElseThrow());
    assertThat(seconds).isBetween(29 * 60.0, 30 * 60.0);
  }

  @Test
  void createSchema_madeTheTableInTheRequestedMode() {
    SessionStore store = store();
    store.save("mode", new byte[] {1}, Duration.ofMinutes(1));

    assertThat(
            Postgres.query(
                    "SELECT relpersistence FROM pg_class WHERE oid = 'public."
                        + table()
                        + "'::regclass")
                .orElseThrow())
        .isEqualTo(unlogged() ? "u" : "p");
    assertThat(
            Postgres.query(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = ? AND indexname = ?",
                    table(),
                    table() + "_expires_at_idx")
                .orElseThrow())
        .contains("(expires_at)");
  }
}
