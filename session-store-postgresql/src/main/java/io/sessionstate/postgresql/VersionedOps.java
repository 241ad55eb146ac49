package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import io.sessionstate.SessionStoreException;
import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.StoreLifecycle;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@link io.sessionstate.spi.VersionedSessionStore} operations of a {@link
 * PostgresSessionStore}: each checks its arguments, starts the store if it has not started, and
 * sends one statement of {@link Statements} in autocommit (a conditional write sends it again only
 * when its snapshot and its write disagree). Thread-safe.
 */
final class VersionedOps {

  /** How often a conditional save is sent when its snapshot keeps disagreeing with its write. */
  private static final int MAX_ATTEMPTS = 5;

  private final Database db;
  private final Statements sql;
  private final StoreLifecycle lifecycle;

  VersionedOps(Database db, Statements sql, StoreLifecycle lifecycle) {
    this.db = db;
    this.sql = sql;
    this.lifecycle = lifecycle;
  }

  /** One statement: a conditional {@code UPDATE}, or an insert that takes only an expired row. */
  Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(condition, "condition");
    requireNonNull(blob, "blob");
    long ttlMillis = SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("save");
    return write("save", key, condition, null, blob, ttlMillis, 0);
  }

  /**
   * One statement, so one transaction: the old row becomes a tombstone and the new row is written
   * only if the old one met the condition.
   */
  Outcome replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl) {
    requireNonNull(oldKey, "oldKey");
    requireNonNull(condition, "condition");
    requireNonNull(newKey, "newKey");
    requireNonNull(blob, "blob");
    if (oldKey.equals(newKey)) {
      throw new IllegalArgumentException("replaceIf needs two different keys");
    }
    long ttlMillis = SessionTable.ttlMillis(ttl);
    long tombstoneMillis = SessionTable.ttlMillis(tombstoneTtl);
    lifecycle.ensureStarted("replace");
    return write("replace", oldKey, condition, newKey, blob, ttlMillis, tombstoneMillis);
  }

  /**
   * A live row's blob and version, its expiry slid if it lies outside the margin; a tombstone as it
   * is; or nothing.
   */
  Stored loadVersioned(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMillis = SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("load");
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.loadVersioned.text())) {
      bind(s, sql.loadVersioned, key, null, null, ttlMillis, 0, 0);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Stored.absent();
        }
        byte[] blob = rs.getBytes(1);
        // getBytes decodes into an array of its own, which nothing else holds: no second copy.
        return blob == null ? Stored.tombstone() : Stored.presentUncopied(blob, rs.getLong(2));
      }
    } catch (SQLException e) {
      throw db.failure("load", e);
    }
  }

  /** A tombstone under {@code key}, whatever was there: one upsert. */
  void invalidate(String key, Duration tombstoneTtl) {
    requireNonNull(key, "key");
    long tombstoneMillis = SessionTable.ttlMillis(tombstoneTtl);
    lifecycle.ensureStarted("invalidate");
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.invalidate.text())) {
      bind(s, sql.invalidate, key, null, null, 0, tombstoneMillis, 0);
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("invalidate", e);
    }
  }

  /**
   * A conditional save ({@code newKey} null) or move, one statement. The statement's snapshot may
   * be older than the row its write met: PostgreSQL re-checks a concurrently changed row for the
   * write, but reads the current row for the reply from the snapshot. Where the two disagree (a
   * refusal beside a snapshot row that would have been accepted) the statement is sent again, with
   * a newer snapshot; that takes a race between two writes of one key within one statement's time,
   * and costs one more round trip only then.
   */
  private Outcome write(
      String operation,
      String key,
      Condition condition,
      @Nullable String newKey,
      byte[] blob,
      long ttlMillis,
      long tombstoneMillis) {
    // Statements holds one statement for every kind of condition.
    Statements.Sql statement =
        requireNonNull(
            (newKey == null ? sql.saveIf : sql.replaceIf).get(condition.kind()), "statement");
    long version = condition.kind() == Condition.Kind.VERSION ? condition.version() : 0;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try (Connection c = db.autocommit();
          PreparedStatement s = c.prepareStatement(statement.text())) {
        bind(s, statement, key, newKey, blob, ttlMillis, tombstoneMillis, version);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          long saved = rs.getLong(1);
          if (!rs.wasNull()) {
            return Outcome.saved(saved);
          }
          byte[] current = rs.getBytes(2);
          long currentVersion = rs.getLong(3);
          boolean found = rs.getBoolean(4);
          Outcome refused = refusal(condition, found, current, currentVersion);
          if (refused != null) {
            return refused;
          }
        }
      } catch (SQLException e) {
        throw db.failure(operation, e);
      }
    }
    throw new SessionStoreException(
        PostgresSessionStore.NAME,
        operation,
        "the row kept changing under the statement: " + MAX_ATTEMPTS + " attempts",
        null);
  }

  /**
   * The outcome of a refused write given the row the snapshot saw, or null when that row would have
   * been accepted and the snapshot is older than the write.
   */
  private static @Nullable Outcome refusal(
      Condition condition, boolean found, byte @Nullable [] current, long currentVersion) {
    // A live row: found, and not a tombstone (which has no blob).
    byte @Nullable [] live = found ? current : null;
    return switch (condition.kind()) {
      // The one refusal is no live row: whatever the snapshot saw, the key is gone.
      case EXISTS, NOT_INVALIDATED -> Outcome.gone();
      case VERSION -> {
        if (live == null) {
          yield Outcome.gone();
        }
        yield currentVersion == condition.version() ? null : Outcome.conflict(live, currentVersion);
      }
      case ABSENT -> {
        if (live != null) {
          yield Outcome.conflict(live, currentVersion);
        }
        // A tombstone refuses; nothing at all would have been accepted.
        yield found ? Outcome.gone() : null;
      }
    };
  }

  private static void bind(
      PreparedStatement s,
      Statements.Sql statement,
      String key,
      @Nullable String newKey,
      byte @Nullable [] blob,
      long ttlMillis,
      long tombstoneMillis,
      long version)
      throws SQLException {
    int i = 1;
    for (Statements.Param p : statement.params()) {
      switch (p) {
        case KEY -> s.setString(i, key);
        case NEW_KEY -> s.setString(i, newKey);
        case BLOB -> s.setBytes(i, blob);
        case TTL -> s.setLong(i, ttlMillis);
        case SLID_TTL -> s.setLong(i, SessionTable.slidMillis(ttlMillis));
        case TOMBSTONE_TTL -> s.setLong(i, tombstoneMillis);
        case VERSION -> s.setLong(i, version);
      }
      i++;
    }
  }
}
