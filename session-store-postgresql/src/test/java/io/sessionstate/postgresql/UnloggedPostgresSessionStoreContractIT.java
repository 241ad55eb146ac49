package io.sessionstate.postgresql;

import org.junit.jupiter.api.AfterAll;

/** The contract suite on an {@code UNLOGGED} table, through a data source the test owns. */
class UnloggedPostgresSessionStoreContractIT extends PostgresContractBase {
  private static final String TABLE = Postgres.uniqueTable("tck_unlogged");

  @AfterAll
  static void dropTable() {
    Postgres.dropTable(TABLE);
  }

  /**
   * The races run in full on the logged table; here they check only that the same statements hold
   * on an unlogged one: 50 sign-out races and 10 lost-update rounds.
   */
  @Override
  public int raceRepetitions() {
    return 50;
  }

  @Override
  public int lostUpdateRounds() {
    return 10;
  }

  @Override
  String table() {
    return TABLE;
  }

  @Override
  boolean unlogged() {
    return true;
  }

  @Override
  PostgresSessionStore newStore() {
    return PostgresSessionStore.builder()
        .dataSource(Postgres.dataSource())
        .table(TABLE)
        .unlogged(true)
        .createSchema(true)
        .build()
        .start();
  }
}
