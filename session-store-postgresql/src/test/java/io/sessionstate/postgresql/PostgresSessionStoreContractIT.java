package io.sessionstate.postgresql;

import org.junit.jupiter.api.AfterAll;

/** The contract suite on a logged table, through the store's own HikariCP pool (a JDBC URL). */
class PostgresSessionStoreContractIT extends PostgresContractBase {
  private static final String TABLE = Postgres.uniqueTable("tck_logged");

  @AfterAll
  static void dropTable() {
    Postgres.dropTable(TABLE);
  }

  @Override
  String table() {
    return TABLE;
  }

  @Override
  boolean unlogged() {
    return false;
  }

  @Override
  PostgresSessionStore newStore() {
    return PostgresSessionStore.builder()
        .jdbcUrl(Postgres.jdbcUrl())
        .table(TABLE)
        .createSchema(true)
        .build()
        .start();
  }
}
