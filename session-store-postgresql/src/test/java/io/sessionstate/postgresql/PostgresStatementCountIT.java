package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.tck.CountingDataSource;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
    PostgresSessionStore store =
        PostgresSessionStore.builder().dataSource(counting).table(table).createSchema(true).build();
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
    Postgres.dropTable(table);
  }

  @Test
  void newSession_firstWrite_isOneUpsert() {
    establish();

    assertThat(counting.statements()).isEqualTo(1);
    assertThat(counting.sql().get(0)).startsWith("INSERT INTO").contains("ON CONFLICT");
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
    assertThat(counting.sql().get(0)).startsWith("UPDATE").contains("RETURNING blob");
    assertThat(counting.transactionControls()).isZero();
  }

  @Test
  void modifiedRequest_isTwoStatements() {
    String cookie = establish();
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().setString("theme", "dark");
    request.finish();

    assertThat(counting.statements()).isEqualTo(2);
    assertThat(counting.sql().get(1)).startsWith("INSERT INTO");
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
    assertThat(counting.sql().get(1)).startsWith("WITH gone AS (DELETE FROM");
    assertThat(counting.transactionControls()).isZero();
    assertThat(Postgres.queryLong("SELECT count(*) FROM public." + table)).isEqualTo(1);
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
    assertThat(Postgres.queryLong("SELECT count(*) FROM public." + table)).isZero();
  }

  private String establish() {
    SessionRequest request = manager.begin(null, false, () -> false);
    request.session().setString("user", "ada");
    String setCookie = request.finish().setCookie().orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }
}
