package io.sessionstate.mysql;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The request path: what each store operation sends to the sessions table. Each is one statement on
 * a connection in autocommit, except a load whose expiry is due to slide (a second, short {@code
 * UPDATE}) and a replace (one transaction of two statements). Keys travel as their UTF-8 bytes into
 * a {@code VARBINARY} column, so they compare byte for byte, with no collation, case folding or
 * trailing-space padding. Arguments are checked by the store; a failed statement is a store error
 * naming the operation. Thread-safe.
 */
final class SessionTable {

  /** The longest TTL: DATETIME ends in the year 9999, and a span past it would be NULL. */
  static final Duration MAX_TTL = Duration.ofDays(36_500);

  static final Duration MAX_SLIDE_THROTTLE = Duration.ofHours(1);

  private final Database db;
  private final Statements sql;
  private final long throttleMicros;

  SessionTable(Database db, Statements sql, Duration slideThrottle) {
    this.db = db;
    this.sql = sql;
    this.throttleMicros = slideThrottle.toNanos() / 1000;
  }

  static Duration requireSlideThrottle(Duration throttle) {
    requireNonNull(throttle, "slideThrottle");
    if (throttle.isNegative() || throttle.compareTo(MAX_SLIDE_THROTTLE) > 0) {
      throw new IllegalArgumentException("slideThrottle must be from zero to 1 hour: " + throttle);
    }
    return throttle;
  }

  /**
   * The TTL in whole microseconds, rounded up to a millisecond (the expiry column's precision), as
   * the statements bind it.
   *
   * @throws IllegalArgumentException if it is not positive or longer than {@link #MAX_TTL}
   */
  static long ttlMicros(Duration ttl) {
    requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be positive and at most 36500 days: " + ttl);
    }
    long millis = ttl.toMillis();
    return (ttl.minusMillis(millis).isZero() ? millis : millis + 1) * 1000;
  }

  /** The key as the table holds it, or null if it is too wide to be there. */
  static byte @Nullable [] keyBytes(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= Statements.MAX_KEY_BYTES ? bytes : null;
  }

  /**
   * The key as the table holds it.
   *
   * @throws IllegalArgumentException if it is wider than the column: a server in a non-strict SQL
   *     mode would otherwise truncate it, and two keys could meet in one row
   */
  static byte[] requireKeyBytes(String option, String key) {
    byte[] bytes = keyBytes(key);
    if (bytes == null) {
      throw new IllegalArgumentException(
          option
              + " must be at most "
              + Statements.MAX_KEY_BYTES
              + " bytes in UTF-8: "
              + key.getBytes(StandardCharsets.UTF_8).length
              + " bytes");
    }
    return bytes;
  }

  /** How far the stored expiry may lag behind now + ttl before it is written: a tenth at most. */
  private long throttleMicros(long ttlMicros) {
    return Math.min(throttleMicros, ttlMicros / 10);
  }

  /**
   * The blob of a live row; empty if none. The expiry slides to now + ttl in a second statement
   * only if it lags behind that by more than the throttle or lies beyond it.
   */
  Optional<byte[]> load(String key, long ttlMicros) {
    byte[] k = keyBytes(key);
    if (k == null) {
      return Optional.empty();
    }
    try (Connection c = db.autocommit()) {
      byte[] blob;
      boolean due;
      try (PreparedStatement s = c.prepareStatement(sql.load)) {
        s.setLong(1, ttlMicros - throttleMicros(ttlMicros));
        s.setLong(2, ttlMicros);
        s.setBytes(3, k);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          blob = rs.getBytes(1);
          due = rs.getBoolean(2);
        }
      }
      if (due) {
        try (PreparedStatement s = c.prepareStatement(sql.slide)) {
          s.setLong(1, ttlMicros);
          s.setBytes(2, k);
          s.executeUpdate();
        }
      }
      return Optional.of(blob);
    } catch (SQLException e) {
      throw Database.failure("load", e);
    }
  }

  /** Inserts the row, or overwrites the blob and expiry of the one there. */
  void save(byte[] key, byte[] blob, long ttlMicros) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.save)) {
      bindSave(s, key, blob, ttlMicros);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Database.failure("save", e);
    }
  }

  /**
   * Slides the expiry of a live row unless it is within the throttle of now + ttl; an expired or
   * missing row stays as it is.
   */
  void touch(String key, long ttlMicros) {
    byte[] k = keyBytes(key);
    if (k == null) {
      return;
    }
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.touch)) {
      s.setLong(1, ttlMicros);
      s.setBytes(2, k);
      s.setLong(3, ttlMicros - throttleMicros(ttlMicros));
      s.setLong(4, ttlMicros);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Database.failure("touch", e);
    }
  }

  void delete(String key) {
    byte[] k = keyBytes(key);
    if (k == null) {
      return;
    }
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.delete)) {
      s.setBytes(1, k);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Database.failure("delete", e);
    }
  }

  /**
   * What is stored under the key: a blob with its version, a tombstone, or nothing. A blob's expiry
   * slides as a plain load's does; a tombstone keeps its own.
   */
  Stored loadVersioned(String key, long ttlMicros) {
    byte[] k = keyBytes(key);
    if (k == null) {
      return Stored.absent();
    }
    try (Connection c = db.autocommit()) {
      byte[] blob;
      long version;
      boolean due;
      try (PreparedStatement s = c.prepareStatement(sql.loadVersioned)) {
        s.setLong(1, ttlMicros - throttleMicros(ttlMicros));
        s.setLong(2, ttlMicros);
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
          s.setLong(1, ttlMicros);
          s.setBytes(2, k);
          s.executeUpdate();
        }
      }
      return Stored.present(blob, version);
    } catch (SQLException e) {
      throw Database.failure("load", e);
    }
  }

  /** Replaces whatever is stored under the key with a tombstone. */
  void invalidate(String key, long tombstoneMicros) {
    byte[] k = keyBytes(key);
    if (k == null) {
      return;
    }
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.invalidate)) {
      s.setBytes(1, k);
      s.setLong(2, tombstoneMicros);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Database.failure("invalidate", e);
    }
  }

  /** A conditional save, one statement in autocommit (two where a refusal needs the stored row). */
  Outcome saveIf(byte[] key, Condition condition, byte[] blob, long ttlMicros) {
    try (Connection c = db.autocommit()) {
      return writeIf(c, key, condition, blob, ttlMicros);
    } catch (SQLException e) {
      throw Database.failure("save", e);
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
    try (PreparedStatement s =
        c.prepareStatement(sql.writeIf.get(kind), Statement.RETURN_GENERATED_KEYS)) {
      int i = 1;
      if (update) {
        s.setBytes(i++, blob);
        s.setLong(i++, ttlMicros);
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
      s.setLong(i++, ttlMicros);
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
      bindSave(s, key, blob, ttlMicros);
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
      byte[] newKey,
      byte[] blob,
      long ttlMicros,
      long tombstoneMicros) {
    byte[] old = keyBytes(oldKey);
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
      c.setAutoCommit(false);
      try {
        Outcome outcome = writeIf(c, old, condition, null, tombstoneMicros);
        if (outcome.status() == Outcome.Status.SAVED) {
          saveFresh(c, newKey, blob, ttlMicros);
          c.commit();
          outcome = Outcome.saved(1);
        } else {
          c.rollback();
        }
        c.setAutoCommit(true);
        return outcome;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollingBack) {
          e.addSuppressed(rollingBack);
        }
        try {
          c.setAutoCommit(true);
        } catch (SQLException restoring) {
          e.addSuppressed(restoring);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw Database.failure("replace", e);
    }
  }

  /**
   * Deletes {@code oldKey} and saves under {@code newKey}, two different keys, in one transaction:
   * no reader sees both or neither. MySQL has no statement that writes two rows this way.
   */
  void replace(String oldKey, byte[] newKey, byte[] blob, long ttlMicros) {
    byte[] old = keyBytes(oldKey);
    try (Connection c = db.autocommit()) {
      c.setAutoCommit(false);
      try {
        if (old != null) {
          try (PreparedStatement s = c.prepareStatement(sql.delete)) {
            s.setBytes(1, old);
            s.executeUpdate();
          }
        }
        try (PreparedStatement s = c.prepareStatement(sql.save)) {
          bindSave(s, newKey, blob, ttlMicros);
          s.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollingBack) {
          e.addSuppressed(rollingBack);
        }
        try {
          c.setAutoCommit(true);
        } catch (SQLException restoring) {
          e.addSuppressed(restoring);
        }
        throw e;
      }
      c.setAutoCommit(true);
    } catch (SQLException e) {
      throw Database.failure("replace", e);
    }
  }

  private static void bindSave(PreparedStatement s, byte[] key, byte[] blob, long ttlMicros)
      throws SQLException {
    s.setBytes(1, key);
    s.setBytes(2, blob);
    s.setLong(3, ttlMicros);
  }
}
