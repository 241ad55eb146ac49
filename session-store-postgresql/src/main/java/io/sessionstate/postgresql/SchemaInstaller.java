package io.sessionstate.postgresql;

import io.sessionstate.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the sessions table and its expiry index where they are missing, and brings a table of the
 * first schema (blob {@code NOT NULL}, no version) up to date, in one transaction, so that nodes
 * starting together take turns and a node starting beside live traffic holds up no request.
 * Thread-safe; it keeps no state between runs.
 */
final class SchemaInstaller {

  private final Database db;
  private final Statements sql;
  private final long lockKey;

  SchemaInstaller(Database db, Statements sql, String schema, String table) {
    this.db = db;
    this.sql = sql;
    // One advisory lock per table: installers of other tables do not wait on each other.
    this.lockKey = ((long) schema.hashCode() << 32) | (table.hashCode() & 0xFFFF_FFFFL);
  }

  /**
   * Creates what is missing. The connection's autocommit is restored before it goes back to the
   * pool, whether this succeeds or not.
   *
   * @throws io.sessionstate.SessionStoreException naming {@code operation} if a statement fails;
   *     nothing is created then
   */
  void install(String operation) {
    try (Connection c = db.connection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        createMissing(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollingBack) {
          e.addSuppressed(rollingBack);
        }
        try {
          c.setAutoCommit(autoCommit);
        } catch (SQLException restoring) {
          e.addSuppressed(restoring);
        }
        throw e;
      }
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      throw db.failure(operation, "could not create the sessions table", e);
    }
  }

  private void createMissing(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)");
        PreparedStatement indexExists = c.prepareStatement("SELECT to_regclass(?)");
        PreparedStatement columns = c.prepareStatement(sql.columns)) {
      // Nodes starting together would race on the catalog ("duplicate key ... pg_type") with
      // CREATE TABLE IF NOT EXISTS alone; the lock makes them take turns.
      lock.setLong(1, lockKey);
      lock.execute();
      s.execute(sql.createTable);
      // ALTER TABLE takes an ACCESS EXCLUSIVE lock, which would queue every request behind it on
      // each start; so the catalog is read first, and a table that is up to date is left alone.
      boolean hasVersion = false;
      boolean blobNotNull = false;
      columns.setString(1, sql.table);
      try (ResultSet rs = columns.executeQuery()) {
        while (rs.next()) {
          if (rs.getString(1).equals("version")) {
            hasVersion = true;
          } else {
            blobNotNull = rs.getBoolean(2);
          }
        }
      }
      if (!hasVersion) {
        s.execute(sql.addVersion);
      }
      if (blobNotNull) {
        s.execute(sql.dropBlobNotNull);
      }
      // CREATE INDEX IF NOT EXISTS takes a SHARE lock on the table before it finds the index:
      // on a live table it would wait for every write in flight and queue every request behind
      // it, on every node, each time a node starts. So it runs only when the index is missing.
      indexExists.setString(1, sql.index);
      try (ResultSet rs = indexExists.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          s.execute(sql.createIndex);
        }
      }
    }
  }
}
