package io.sessionstate.mysql;

import io.sessionstate.jdbc.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the sessions table, with its expiry index, where it is missing: one {@code CREATE TABLE
 * IF NOT EXISTS}, which is atomic DDL, so that nodes starting together take turns on the table's
 * metadata lock and none sees half a table. An existing table is left as it is, and the statement
 * takes no lock a request waits on. Thread-safe; it keeps no state between runs.
 */
final class SchemaInstaller {

  private final Database db;
  private final Statements sql;

  SchemaInstaller(Database db, Statements sql) {
    this.db = db;
    this.sql = sql;
  }

  /**
   * Creates what is missing.
   *
   * @throws io.sessionstate.SessionStoreException naming {@code operation} if the statement fails
   */
  void install(String operation) {
    try (Connection c = db.autocommit();
        Statement s = c.createStatement()) {
      s.execute(sql.createSchema);
    } catch (SQLException e) {
      throw db.failure(operation, "could not create the sessions table", e);
    }
  }
}
