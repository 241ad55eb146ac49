package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.CommitMode;
import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.tck.CountingDataSource;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Statements per request through the whole request cycle, counted where the store hands them to the
 * driver: no request sends more than the issue allows, and none wraps a statement in BEGIN and
 * COMMIT.
 */
class PostgresStatementCountIT {
  private final String table = Postgres.uniqueTable("count");
  private CountingDataSource counting;
  private SessionManager manager;

  @BeforeEach
  void setUp() {
    counting = CountingDataSource.wrap(Postgres.dataSource());
    manager = manager(CommitMode.COHERENT);
    counting.reset();
  }

  private SessionManager manager(CommitMode mode) {
    PostgresSessionStore store =
        PostgresSessionStore.builder().dataSource(counting).table(table).createSchema(true).build();
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
        .startsWith("WITH saved AS (UPDATE")
        .contains(mode == CommitMode.COHERENT ? "expires_at > now()" : "AND version = ?");
    assertThat(counting.transactionControls()).isZero();
  }

  @AfterEach
  void tearDown() {
    manager.close();
    Postgres.dropTable(table);
  }

  @Test
  void newSession_firstWrite_isOneInsertThatTakesNoSignedOutKey() {
    establish();

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0))
        .startsWith("WITH saved AS (INSERT INTO")
        .contains("ON CONFLICT (session_key) DO UPDATE")
        .contains("WHERE x.blob IS NOT NULL OR x.expires_at <= now()");
    assertThat(counting.transactionControls()).isZero();
  }

  @Test
  void untouchedRequest_sendsNothing() {
    String cookie = establish();
    counting.reset();

    manager.begin(cookie, false, () -> false).finish();

    assertThat(counting.statements()).isZero();
    assertThat(counting.transactionControls()).isZero();
  }

  @Test
  void readOnlyRequest_isOneStatementThatLoadsAndSlides() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    assertThat(request.session().getString("user")).hasValue("ada");
    request.finish();

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0))
        .startsWith("WITH slid AS (UPDATE")
        .contains("SELECT blob, version");
    assertThat(counting.transactionControls()).isZero();
  }

  @Test
  void modifiedRequest_isALoadAndOneConditionalUpdate_neverAnUpsert() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().setString("theme", "dark");
    request.finish();

    assertThat(counting.statements()).isEqualTo(2);
    assertThat(counting.sql().get(1)).startsWith("WITH saved AS (UPDATE").doesNotContain("INSERT");
    assertThat(counting.transactionControls()).isZero();
  }

  @Test
  void regenerateId_isALoadAndOneReplacingStatement() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().regenerateId();
    SessionResponse response = request.finish();

    assertThat(response.setCookie()).isPresent();
    assertThat(counting.statements()).isEqualTo(2);
    assertThat(counting.sql().get(1)).startsWith("WITH moved AS (UPDATE");
    assertThat(counting.transactionControls()).isZero();
    // The new row, and the old key's tombstone.
    assertThat(Postgres.queryLong("SELECT count(*) FROM public." + table + " WHERE blob IS NULL"))
        .isEqualTo(1);
    assertThat(Postgres.queryLong("SELECT count(*) FROM public." + table)).isEqualTo(2);
  }

  @Test
  void invalidate_isOneUpsertOfATombstone() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().invalidate();
    request.finish();

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0)).startsWith("INSERT INTO").contains("SET blob = NULL");
    assertThat(
            Postgres.queryLong("SELECT count(*) FROM public." + table + " WHERE blob IS NOT NULL"))
        .isZero();
  }

  private String establish() {
    SessionRequest request = manager.begin(null, false, () -> false);
    request.session().setString("user", "ada");
    String setCookie = request.finish().setCookie().orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }
}
