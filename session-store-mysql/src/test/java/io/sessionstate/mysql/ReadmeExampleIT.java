package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The README's MySQL example, as written there, against the shared server. */
class ReadmeExampleIT {

  @Test
  void readmeExample_storesAndReadsASession() {
    String jdbcUrl = MySql.jdbcUrl();
    String user = "root";
    String password = "";
    byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
    Arrays.fill(secret, (byte) 5);
    KeyRing keyRing = KeyRing.builder().addKey("2026-11", secret).build();
    boolean tableExisted =
        MySql.queryLong(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
                    + " AND table_name = 'sessionstate_sessions'")
            > 0;

    // README begin
    // jdbcUrl: for example jdbc:mariadb://db1:3306/app (MariaDB or MySQL 8)
    MySqlSessionStore store =
        MySqlSessionStore.builder()
            .jdbcUrl(jdbcUrl)
            .username(user)
            .password(password)
            .createSchema(true) // or run schema-mysql.sql with your migrations
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
        MySql.dropTable("sessionstate_sessions");
      }
    }
  }
}
