package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The README's PostgreSQL example, as written there, against the shared server. */
class ReadmeExampleIT {

  @Test
  void readmeExample_storesAndReadsASession() {
    String jdbcUrl = Postgres.jdbcUrl();
    String user = "postgres";
    String password = "";
    byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
    Arrays.fill(secret, (byte) 5);
    KeyRing keyRing = KeyRing.builder().addKey("2026-11", secret).build();
    boolean tableExisted =
        Postgres.queryLong(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                    + " AND tablename = 'sessionstate_sessions'")
            > 0;

    // README begin
    // jdbcUrl: for example jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary
    PostgresSessionStore store =
        PostgresSessionStore.builder()
            .jdbcUrl(jdbcUrl)
            .username(user)
            .password(password)
            .createSchema(true) // or run schema-postgresql.sql with your migrations
            .build()
            .start(); // creates the table and starts the sweeper now, not on the first request

    SessionManager manager =
        SessionManager.builder()
            .store(store)
            .keyRing(keyRing)
            .ioTimeout(Duration.ofSeconds(10))
            .build();
    // README end

    try {
      SessionRequest first = manager.begin(null, false, () -> false);
      first.session().setString("user", "ada");
      String setCookie = first.finish().setCookie().orElseThrow();

      SessionRequest second =
          manager.begin(setCookie.substring(0, setCookie.indexOf(';')), false, () -> false);
      assertThat(second.session().getString("user")).hasValue("ada");
      second.session().invalidate();
      second.finish();
    } finally {
      manager.close();
      if (!tableExisted) {
        Postgres.dropTable("sessionstate_sessions");
      }
    }
  }
}
