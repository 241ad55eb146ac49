package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The request path: what each store operation sends to the sessions table. Each is one statement on
 * a connection in autocommit, so one round trip with no {@code BEGIN} or {@code COMMIT} around it.
 * Arguments are checked by the store; a failed statement is a store error naming the operation.
 * Thread-safe.
 */
final class SessionTable {

  /** How often a conditional save is sent when its snapshot keeps disagreeing with its write. */
  private static final int MAX_ATTEMPTS = 5;

  private final Database db;
  private final Statements sql;

  SessionTable(Database db, Statements sql) {
    this.db = db;
    this.sql = sql;
  }

  /**
   * The TTL in whole milliseconds, as the statements bind it.
   *
   * @throws IllegalArgumentException if it is not positive
   */
  static long ttlMillis(Duration ttl) {
    requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    // Rounded up so that a positive TTL never becomes zero; at most about 292 million years,
    // which the database rejects as a timestamp out of range, a store error.
    try {
      long millis = ttl.toMillis();
      return ttl.minusMillis(millis).isZero() ? millis : Math.addExact(millis, 1);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The blob of a live row, whose expiry slides in the same statement; empty if none. */
  Optional<byte[]> load(String key, long ttlMillis) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.load)) {
      s.setLong(1, ttlMillis);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Database.failure("load", e);
    }
  }

  /** Inserts the row, or overwrites the blob and expiry of the one there. */
  void save(String key, byte[] blob, long ttlMillis) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.save)) {
      s.setString(1, key);
      s.setBytes(2, blob);
      s.setLong(3, ttlMillis);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Database.failure("save", e);
    }
  }

  /** Slides the expiry of a live row; an expired or missing row stays as it is. */
  void touch(String key, long ttlMillis) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.touch)) {
      s.setLong(1, ttlMillis);
      s.setString(2, key);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Database.failure("touch", e);
    }
  }

  void delete(String key) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.delete)) {
      s.setString(1, key);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Database.failure("delete", e);
    }
  }

  /** A live row's blob and version, its expiry slid; a tombstone as it is; or nothing. */
  Stored loadVersioned(String key, long ttlMillis) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.loadVersioned.text())) {
      bind(s, sql.loadVersioned, key, null, null, ttlMillis, 0, 0);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Stored.absent();
        }
        byte[] blob = rs.getBytes(1);
        return blob == null ? Stored.tombstone() : Stored.present(blob, rs.getLong(2));
      }
    } catch (SQLException e) {
      throw Database.failure("load", e);
    }
  }

  /** A tombstone under {@code key}, whatever was there. */
  void invalidate(String key, long tombstoneMillis) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.invalidate.text())) {
      bind(s, sql.invalidate, key, null, null, 0, tombstoneMillis, 0);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Database.failure("invalidate", e);
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
  Outcome saveIf(
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
        throw Database.failure(operation, e);
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
        case TOMBSTONE_TTL -> s.setLong(i, tombstoneMillis);
        case VERSION -> s.setLong(i, version);
      }
      i++;
    }
  }

  /**
   * Deletes {@code oldKey} and saves under {@code newKey}, two different keys, in one statement.
   */
  void replace(String oldKey, String newKey, byte[] blob, long ttlMillis) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.replace)) {
      s.setString(1, oldKey);
      s.setString(2, newKey);
      s.setBytes(3, blob);
      s.setLong(4, ttlMillis);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Database.failure("replace", e);
    }
  }
}
