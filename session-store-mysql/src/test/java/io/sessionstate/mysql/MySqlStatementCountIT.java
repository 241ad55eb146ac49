package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.tck.CountingDataSource;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Statements per request through the whole request cycle, counted where the store hands them to the
 * driver: no request sends more than the issue allows, and only a replace wraps its statements in a
 * transaction.
 */
class MySqlStatementCountIT {
  private final String table = MySql.uniqueTable("count");
  private CountingDataSource counting;
  private SessionManager manager;

  @BeforeEach
  void setUp() {
    counting = CountingDataSource.wrap(MySql.dataSource());
    MySqlSessionStore store =
        MySqlSessionStore.builder()
            .dataSource(counting)
            .table(table)
            .createSchema(true)
            .sweeperEnabled(false)
            .build();
    store.start();
    byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
    Arrays.fill(secret, (byte) 7);
    manager =
        SessionManager.builder()
            .store(store)
            .keyRing(KeyRing.builder().addKey("k1", secret).build())
            .build();
    counting.reset();
  }

  @AfterEach
  void tearDown() {
    manager.close();
    MySql.dropTable(table);
  }

  @Test
  void newSession_firstWrite_isOneUpsert() {
    establish();

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0)).startsWith("INSERT INTO").contains("ON DUPLICATE KEY UPDATE");
    assertThat(counting.transactionControls()).isEqualTo(0);
  }

  @Test
  void untouchedRequest_sendsNothing() {
    String cookie = establish();
    counting.reset();

    manager.begin(cookie, false, () -> false).finish();

    assertThat(counting.statements()).isEqualTo(0);
    assertThat(counting.transactionControls()).isEqualTo(0);
  }

  @Test
  void readOnlyRequest_withinTheSlideThrottle_isOneSelect() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    assertThat(request.session().getString("user")).hasValue("ada");
    request.finish();

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0)).startsWith("SELECT session_data");
    assertThat(counting.transactionControls()).isEqualTo(0);
  }

  @Test
  void readOnlyRequest_pastTheSlideThrottle_isASelectAndAnUpdate() {
    String cookie = establish();
    age(Duration.ofSeconds(5));
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    assertThat(request.session().getString("user")).hasValue("ada");
    request.finish();

    assertThat(counting.statements()).isEqualTo(2);
    assertThat(counting.sql().get(0)).startsWith("SELECT session_data");
    assertThat(counting.sql().get(1)).startsWith("UPDATE").contains("SET expires_at");
    assertThat(counting.transactionControls()).isEqualTo(0);

    // The slide happened: the next read is one statement again.
    counting.reset();
    SessionRequest again = manager.begin(cookie, false, () -> false);
    assertThat(again.session().getString("user")).hasValue("ada");
    again.finish();
    assertThat(counting.statements()).isEqualTo(1);
  }

  @Test
  void modifiedRequest_isTwoStatements() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().setString("theme", "dark");
    request.finish();

    assertThat(counting.statements()).isEqualTo(2);
    assertThat(counting.sql().get(0)).startsWith("SELECT session_data");
    assertThat(counting.sql().get(1)).startsWith("INSERT INTO");
    assertThat(counting.transactionControls()).isEqualTo(0);
  }

  @Test
  void regenerateId_isALoadAndOneTransactionOfADeleteAndAnInsert() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().regenerateId();
    SessionResponse response = request.finish();

    assertThat(response.setCookie()).isPresent();
    assertThat(counting.statements()).isEqualTo(3);
    assertThat(counting.sql().get(1)).startsWith("DELETE FROM");
    assertThat(counting.sql().get(2)).startsWith("INSERT INTO");
    // setAutoCommit(false) and commit().
    assertThat(counting.transactionControls()).isEqualTo(2);
    assertThat(MySql.queryLong("SELECT count(*) FROM " + table)).isEqualTo(1);
  }

  @Test
  void invalidate_isOneDelete() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().invalidate();
    request.finish();

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0)).startsWith("DELETE FROM");
    assertThat(MySql.queryLong("SELECT count(*) FROM " + table)).isZero();
  }

  private void age(Duration duration) {
    MySql.execute(
        "UPDATE " + table + " SET expires_at = expires_at - INTERVAL ? MICROSECOND",
        duration.toNanos() / 1000);
  }

  private String establish() {
    SessionRequest request = manager.begin(null, false, () -> false);
    request.session().setString("user", "ada");
    String setCookie = request.finish().setCookie().orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }
}
