package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.spi.SessionStore;
import io.sessionstate.tck.BackDoorContract;
import io.sessionstate.tck.ConcurrentRequestsContract;
import io.sessionstate.tck.PrincipalIndexContract;
import io.sessionstate.tck.ReplacingSessionStoreContract;
import io.sessionstate.tck.RequestCycleContract;
import io.sessionstate.tck.SessionStoreContract;
import io.sessionstate.tck.VersionedSessionStoreContract;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract suite against the shared PostgreSQL, in a table of the subclass's own; elapse moves
 * every row's expiry back, so the database's clock decides what has expired. The back door is the
 * table itself, reached over a connection of the test's own.
 */
abstract class PostgresContractBase
    implements SessionStoreContract,
        ReplacingSessionStoreContract,
        RequestCycleContract,
        BackDoorContract,
        VersionedSessionStoreContract,
        ConcurrentRequestsContract,
        PrincipalIndexContract {
  private PostgresSessionStore store;

  /** The table of this test class, created by the first store and dropped after the class. */
  abstract String table();

  abstract boolean unlogged();

  /** A new, started store over {@link #table()} that creates the table if it is missing. */
  abstract PostgresSessionStore newStore();

  @Override
  public final PostgresSessionStore store() {
    if (store == null) {
      store = newStore();
    }
    return store;
  }

  /**
   * 250 randomized sign-out races rather than the suite's 1,000: each costs about a dozen
   * statements, and 1,000 took 45 seconds on a shared test machine. The memory store runs the full
   * 1,000.
   */
  @Override
  public int raceRepetitions() {
    return 250;
  }

  /** 40 rounds of 20 concurrent requests rather than 100, for the same reason. */
  @Override
  public int lostUpdateRounds() {
    return 40;
  }

  /** A twentieth of the TTL: the slide's margin, past which a load writes the expiry again. */
  @Override
  public Duration expiryMargin(Duration ttl) {
    return Duration.ofMillis(ttl.toMillis() / 20);
  }

  @Override
  public void elapse(Duration duration) {
    store(); // the table exists once the store has started
    Postgres.execute(
        "UPDATE public." + table() + " SET expires_at = expires_at - ? * interval '1 millisecond'",
        duration.toMillis());
  }

  @Override
  public void writeRaw(String key, byte[] bytes, Duration ttl) {
    store();
    Postgres.execute(
        "INSERT INTO public."
            + table()
            + " (session_key, blob, expires_at) VALUES (?, ?, now() + ? * interval '1 millisecond')"
            + " ON CONFLICT (session_key) DO UPDATE"
            + " SET blob = excluded.blob, expires_at = excluded.expires_at",
        key,
        bytes,
        ttl.toMillis());
  }

  @Override
  public Optional<byte[]> readRaw(String key) {
    store();
    return Postgres.query(
            "SELECT encode(blob, 'hex') FROM public." + table() + " WHERE session_key = ?", key)
        .map(HexFormat.of()::parseHex);
  }

  @Override
  public Optional<Duration> remainingTtl(String key) {
    store();
    // Milliseconds from the server's now() to the stored expiry, whatever the JVM's clock says.
    return Postgres.query(
            "SELECT (extract(epoch FROM expires_at - now()) * 1000)::bigint FROM public."
                + table()
                + " WHERE session_key = ?",
            key)
        .map(millis -> Duration.ofMillis(Long.parseLong(millis)));
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
