package io.sessionstate.postgresql;

import static io.sessionstate.postgresql.PostgresDialect.quote;
import static java.util.Objects.requireNonNull;

import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.StoreLifecycle;
import io.sessionstate.spi.PrincipalIndex.IndexedSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL store's principal index: a side table, {@code <table>_principals}, of (session
 * key, principal) rows, indexed by principal, whose session key references the sessions table
 * {@code ON DELETE CASCADE}. A row therefore goes with its session's row in the same statement,
 * whether a delete, a replace or the sweeper removes it: no entry outlives its session's row, and
 * an expired or signed-out session's row goes within one sweep interval. Listing joins the two
 * tables and leaves out tombstones and expired rows, so a row the sweeper has not reached yet is
 * never shown. Every name and value is bound; the table name is validated as the sessions table's
 * is. The side table is unlogged when the sessions table is (a logged table may not reference an
 * unlogged one). Thread-safe.
 */
final class PostgresPrincipalIndex {
  /** The side table's suffix; with the longest table name it stays within 63 characters. */
  static final String TABLE_SUFFIX = "_principals";

  private final Database db;
  private final StoreLifecycle lifecycle;
  private final boolean create;
  private final String createSql;
  private final String dropSql;
  private final String index;
  private final String unindex;
  private final String list;
  private final long lockKey;
  private volatile boolean created;

  PostgresPrincipalIndex(
      Database db,
      StoreLifecycle lifecycle,
      String schema,
      String table,
      boolean unlogged,
      boolean create) {
    this.db = db;
    this.lifecycle = lifecycle;
    this.create = create;
    String sessions = quote(schema) + "." + quote(table);
    String side = quote(schema) + "." + quote(table + TABLE_SUFFIX);
    this.createSql =
        "CREATE "
            + (unlogged ? "UNLOGGED " : "")
            + "TABLE IF NOT EXISTS "
            + side
            + " (\n"
            + "  session_key text PRIMARY KEY REFERENCES "
            + sessions
            + " (session_key) ON DELETE CASCADE,\n"
            + "  principal text NOT NULL\n"
            + ");\n"
            + "CREATE INDEX IF NOT EXISTS "
            + quote(table + TABLE_SUFFIX + "_idx")
            + " ON "
            + side
            + " (principal);\n";
    this.dropSql = "DROP TABLE IF EXISTS " + side + ";\n";
    // One statement: the move's delete, the upsert (only while the session's row exists, which the
    // reference needs) and the count, all in one snapshot; the count is of the rows before, the
    // moved and the added key left out, plus the added one.
    this.index =
        "WITH moved AS (DELETE FROM "
            + side
            + " WHERE principal = ? AND session_key = ?),"
            + " added AS (INSERT INTO "
            + side
            + " (session_key, principal) SELECT session_key, ? FROM "
            + sessions
            + " WHERE session_key = ? ON CONFLICT (session_key) DO UPDATE"
            + " SET principal = excluded.principal)"
            + " SELECT count(*) + 1 FROM "
            + side
            + " WHERE principal = ? AND session_key <> ? AND session_key <> ?";
    this.unindex = "DELETE FROM " + side + " WHERE principal = ? AND session_key = ?";
    this.list =
        "SELECT s.session_key, s.blob,"
            + " GREATEST(0, (extract(epoch FROM s.expires_at - now()) * 1000)::bigint) FROM "
            + side
            + " p JOIN "
            + sessions
            + " s ON s.session_key = p.session_key"
            + " WHERE p.principal = ? AND s.blob IS NOT NULL AND s.expires_at > now()";
    this.lockKey = ((long) schema.hashCode() << 32) | ((table + TABLE_SUFFIX).hashCode());
  }

  String createSql() {
    return createSql;
  }

  String dropSql() {
    return dropSql;
  }

  int index(String principal, String key, @Nullable String replacedKey, Duration ttl) {
    requireNonNull(principal, "principal");
    requireNonNull(key, "key");
    SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("index");
    ensureCreated("index");
    String replaced = replacedKey == null ? "" : replacedKey;
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(index)) {
      s.setString(1, principal);
      s.setString(2, replaced);
      s.setString(3, principal);
      s.setString(4, key);
      s.setString(5, principal);
      s.setString(6, key);
      s.setString(7, replaced);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return (int) rs.getLong(1);
      }
    } catch (SQLException e) {
      throw db.failure("index", e);
    }
  }

  void unindex(String principal, String key) {
    requireNonNull(principal, "principal");
    requireNonNull(key, "key");
    lifecycle.ensureStarted("unindex");
    ensureCreated("unindex");
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(unindex)) {
      s.setString(1, principal);
      s.setString(2, key);
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("unindex", e);
    }
  }

  List<IndexedSession> sessionsOf(String principal) {
    requireNonNull(principal, "principal");
    lifecycle.ensureStarted("list");
    ensureCreated("list");
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(list)) {
      s.setString(1, principal);
      List<IndexedSession> live = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          live.add(
              new IndexedSession(
                  rs.getString(1), rs.getBytes(2), Duration.ofMillis(rs.getLong(3))));
        }
      }
      return live;
    } catch (SQLException e) {
      throw db.failure("list", e);
    }
  }

  /**
   * Creates the side table on first use when the store creates its schema; under an advisory lock,
   * as nodes starting together would otherwise race on the catalog.
   */
  private void ensureCreated(String operation) {
    if (!create || created) {
      return;
    }
    synchronized (this) {
      if (created) {
        return;
      }
      try (Connection c = db.connection()) {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement();
            PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, lockKey);
          lock.execute();
          for (String ddl : createSql.split(";\n")) {
            s.execute(ddl);
          }
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(autoCommit);
        }
      } catch (SQLException e) {
        throw db.failure(operation, "could not create the principal index table", e);
      }
      created = true;
    }
  }
}
