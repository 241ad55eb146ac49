package io.sessionstate.mysql;

import static java.util.Objects.requireNonNull;

import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.StoreLifecycle;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@link io.sessionstate.spi.VersionedSessionStore} operations of a {@link MySqlSessionStore}:
 * each checks its arguments, starts the store if it has not started, and sends its statements of
 * {@link Statements}, sliding a session's expiry with the margin of {@link SessionTable}.
 * Thread-safe.
 */
final class VersionedOps {

  private final Database db;
  private final Statements sql;
  private final SessionTable rows;
  private final StoreLifecycle lifecycle;

  VersionedOps(Database db, Statements sql, SessionTable rows, StoreLifecycle lifecycle) {
    this.db = db;
    this.sql = sql;
    this.rows = rows;
    this.lifecycle = lifecycle;
  }

  /**
   * What is stored under the key: a blob with its version, a tombstone, or nothing. A blob's expiry
   * slides as a plain load's does; a tombstone keeps its own.
   */
  Stored loadVersioned(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMicros = SessionTable.ttlMicros(ttl);
    lifecycle.ensureStarted("load");
    byte[] k = SessionTable.keyBytes(key);
    if (k == null) {
      return Stored.absent();
    }
    try (Connection c = db.autocommit()) {
      byte[] blob;
      long version;
      boolean due;
      try (PreparedStatement s = c.prepareStatement(sql.loadVersioned)) {
        s.setLong(1, ttlMicros);
        s.setLong(2, rows.slidMicros(ttlMicros));
        s.setBytes(3, k);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Stored.absent();
          }
          blob = rs.getBytes(1);
          version = rs.getLong(2);
          due = rs.getBoolean(3);
        }
      }
      if (blob == null) {
        return Stored.tombstone();
      }
      if (due) {
        try (PreparedStatement s = c.prepareStatement(sql.slide)) {
          s.setLong(1, rows.slidMicros(ttlMicros));
          s.setBytes(2, k);
          s.executeUpdate();
        }
      }
      // getBytes hands over an array of its own, which nothing else holds: no second copy.
      return Stored.presentUncopied(blob, version);
    } catch (SQLException e) {
      throw db.failure("load", e);
    }
  }

  /** Replaces whatever is stored under the key with a tombstone. */
  void invalidate(String key, Duration tombstoneTtl) {
    requireNonNull(key, "key");
    long tombstoneMicros = SessionTable.ttlMicros(tombstoneTtl);
    lifecycle.ensureStarted("invalidate");
    byte[] k = SessionTable.keyBytes(key);
    if (k == null) {
      return;
    }
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.invalidate)) {
      s.setBytes(1, k);
      s.setLong(2, tombstoneMicros);
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("invalidate", e);
    }
  }

  /**
   * A conditional save, one statement in autocommit (two where a refusal needs the stored row).
   *
   * @throws IllegalArgumentException if the key is wider than 255 bytes in UTF-8
   */
  Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(condition, "condition");
    requireNonNull(blob, "blob");
    long ttlMicros = SessionTable.ttlMicros(ttl);
    byte[] k = SessionTable.requireKeyBytes("key", key);
    lifecycle.ensureStarted("save");
    try (Connection c = db.autocommit()) {
      return writeIf(c, k, condition, blob, ttlMicros);
    } catch (SQLException e) {
      throw db.failure("save", e);
    }
  }

  /**
   * Writes {@code blob} (a session, or null for a tombstone) under {@code key} if what is stored
   * there meets {@code condition}. The new version comes back in the OK packet through {@code
   * LAST_INSERT_ID(expr)}, with no second statement; so does, for an insert's refusal, the stored
   * version, told apart from a new one by its parity.
   */
  private Outcome writeIf(
      Connection c, byte[] key, Condition condition, byte @Nullable [] blob, long ttlMicros)
      throws SQLException {
    Condition.Kind kind = condition.kind();
    boolean update = kind == Condition.Kind.VERSION || kind == Condition.Kind.EXISTS;
    // A session's expiry takes the margin; a tombstone's is exact.
    long expiryMicros = blob == null ? ttlMicros : rows.slidMicros(ttlMicros);
    try (PreparedStatement s =
        c.prepareStatement(sql.writeIf.get(kind), Statement.RETURN_GENERATED_KEYS)) {
      int i = 1;
      if (update) {
        s.setBytes(i++, blob);
        s.setLong(i++, expiryMicros);
        s.setBytes(i++, key);
        if (kind == Condition.Kind.VERSION) {
          s.setLong(i++, condition.version());
        }
        if (s.executeUpdate() == 1) {
          return Outcome.saved(generated(s));
        }
        return kind == Condition.Kind.VERSION ? current(c, key) : Outcome.gone();
      }
      s.setBytes(i++, key);
      s.setBytes(i++, blob);
      s.setLong(i++, expiryMicros);
      s.executeUpdate();
      long id = generated(s);
      if (id <= 0) {
        return Outcome.saved(1); // inserted: the key was free
      }
      if (id % 2 == 0) {
        return Outcome.saved(id / 2);
      }
      // Refused: a live tombstone (both kinds) or, for ABSENT, a live session.
      return kind == Condition.Kind.ABSENT ? current(c, key) : Outcome.gone();
    }
  }

  /** The outcome of a refused write: a conflict with the live session there, else gone. */
  private Outcome current(Connection c, byte[] key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql.current)) {
      s.setBytes(1, key);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          byte[] blob = rs.getBytes(1);
          if (blob != null) {
            return Outcome.conflict(blob, rs.getLong(2));
          }
        }
        return Outcome.gone();
      }
    }
  }

  /** The blob under a fresh key at version 1, whatever an expired row there held. */
  private void saveFresh(Connection c, byte[] key, byte[] blob, long ttlMicros)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql.saveFresh)) {
      s.setBytes(1, key);
      s.setBytes(2, blob);
      s.setLong(3, rows.slidMicros(ttlMicros));
      s.executeUpdate();
    }
  }

  private static long generated(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.getGeneratedKeys()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Moves a session to {@code newKey}: if what is stored under {@code oldKey} meets {@code
   * condition}, a tombstone there and the blob under {@code newKey} at version 1, in one
   * transaction; otherwise nothing is written.
   */
  Outcome replaceIf(
      String oldKey,
      Condition condition,
      String newKeyText,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl) {
    requireNonNull(oldKey, "oldKey");
    requireNonNull(condition, "condition");
    requireNonNull(newKeyText, "newKey");
    requireNonNull(blob, "blob");
    if (oldKey.equals(newKeyText)) {
      throw new IllegalArgumentException("replaceIf needs two different keys");
    }
    long ttlMicros = SessionTable.ttlMicros(ttl);
    long tombstoneMicros = SessionTable.ttlMicros(tombstoneTtl);
    byte[] newKey = SessionTable.requireKeyBytes("newKey", newKeyText);
    lifecycle.ensureStarted("replace");
    byte[] old = SessionTable.keyBytes(oldKey);
    Condition.Kind kind = condition.kind();
    if (old == null && (kind == Condition.Kind.VERSION || kind == Condition.Kind.EXISTS)) {
      // Nothing can be stored under a key wider than the column.
      return Outcome.gone();
    }
    try (Connection c = db.autocommit()) {
      if (old == null) {
        saveFresh(c, newKey, blob, ttlMicros);
        return Outcome.saved(1);
      }
      // The new row is written, and the old one's tombstone kept, only if the old one met the
      // condition.
      Outcome outcome =
          Transactions.inTransaction(
              c,
              tx -> {
                Outcome met = writeIf(tx, old, condition, null, tombstoneMicros);
                if (met.status() == Outcome.Status.SAVED) {
                  saveFresh(tx, newKey, blob, ttlMicros);
                }
                return met;
              },
              met -> met.status() == Outcome.Status.SAVED);
      return outcome.status() == Outcome.Status.SAVED ? Outcome.saved(1) : outcome;
    } catch (SQLException e) {
      throw db.failure("replace", e);
    }
  }
}
