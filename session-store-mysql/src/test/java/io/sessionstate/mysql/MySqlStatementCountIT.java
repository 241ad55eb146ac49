package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.CommitMode;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Statements per request through the whole request cycle, counted where the store hands them to the
 * driver: no request sends more than the issue allows, in every commit mode, and only a move to a
 * new key wraps its statements in a transaction.
 */
class MySqlStatementCountIT {
  private final String table = MySql.uniqueTable("count");
  private CountingDataSource counting;
  private SessionManager manager;

  @BeforeEach
  void setUp() {
    counting = CountingDataSource.wrap(MySql.dataSource());
    manager = manager(CommitMode.COHERENT);
    counting.reset();
  }

  private SessionManager manager(CommitMode mode) {
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
    return SessionManager.builder()
        .store(store)
        .commitMode(mode)
        .keyRing(KeyRing.builder().addKey("k1", secret).build())
        .build();
  }

  @ParameterizedTest
  @EnumSource(CommitMode.class)
  void everyMode_withoutConflict_isOneStatementPerReadAndTwoPerWrite(CommitMode mode) {
    manager.close();
    manager = manager(mode);
    String cookie = establish();
    counting.reset();

    SessionRequest read = manager.begin(cookie, false, () -> false);
    assertThat(read.session().getString("user")).hasValue("ada");
    read.finish();
    assertThat(counting.statements()).isEqualTo(1);
    counting.reset();

    SessionRequest write = manager.begin(cookie, false, () -> false);
    write.session().setString("theme", "dark");
    write.finish();
    assertThat(counting.statements()).isEqualTo(2);
    assertThat(counting.sql().get(1))
        .startsWith("UPDATE")
        .contains("LAST_INSERT_ID(version + 1)")
        .satisfies(
            sql -> {
              if (mode == CommitMode.COHERENT) {
                assertThat(sql).doesNotContain("AND version = ?");
              } else {
                assertThat(sql).endsWith("AND version = ?");
              }
            });
    assertThat(counting.transactionControls()).isZero();
  }

  @AfterEach
  void tearDown() {
    manager.close();
    MySql.dropTable(table);
  }

  @Test
  void newSession_firstWrite_isOneInsertThatTakesNoSignedOutKey() {
    establish();

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0))
        .startsWith("INSERT INTO")
        .contains(
            "ON DUPLICATE KEY UPDATE version = IF((session_data IS NOT NULL OR expires_at <=");
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
  void readOnlyRequest_withinTheSlideMargin_isOneSelect() {
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
  void readOnlyRequest_pastTheSlideMargin_isASelectAndAnUpdate() {
    String cookie = establish();
    // Past the default margin, a twentieth of the manager's 20 minute idle timeout.
    age(Duration.ofMinutes(1).plusSeconds(5));
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
  void modifiedRequest_isALoadAndOneConditionalUpdate_neverAnUpsert() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().setString("theme", "dark");
    request.finish();

    assertThat(counting.statements()).isEqualTo(2);
    assertThat(counting.sql().get(0)).startsWith("SELECT session_data, version");
    assertThat(counting.sql().get(1))
        .startsWith("UPDATE")
        .contains("WHERE session_key = ? AND session_data IS NOT NULL");
    assertThat(counting.transactionControls()).isEqualTo(0);
  }

  @Test
  void regenerateId_isALoadAndOneTransactionOfAConditionalTombstoneAndAnInsert() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().regenerateId();
    SessionResponse response = request.finish();

    assertThat(response.setCookie()).isPresent();
    assertThat(counting.statements()).isEqualTo(3);
    assertThat(counting.sql().get(1)).startsWith("UPDATE").contains("SET session_data = ?");
    assertThat(counting.sql().get(2)).startsWith("INSERT INTO");
    // setAutoCommit(false) and commit().
    assertThat(counting.transactionControls()).isEqualTo(2);
    assertThat(MySql.queryLong("SELECT count(*) FROM " + table + " WHERE session_data IS NULL"))
        .as("the old key's tombstone")
        .isEqualTo(1);
    assertThat(MySql.queryLong("SELECT count(*) FROM " + table + " WHERE session_data IS NOT NULL"))
        .isEqualTo(1);
  }

  @Test
  void invalidate_isOneUpsertOfATombstone() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().invalidate();
    request.finish();

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0)).startsWith("INSERT INTO").contains("VALUES (?, NULL, 1,");
    assertThat(MySql.queryLong("SELECT count(*) FROM " + table + " WHERE session_data IS NULL"))
        .isEqualTo(1);
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
