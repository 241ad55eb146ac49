package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The request path: what each store operation sends to the sessions table. Each is one statement on
 * a connection in autocommit, so one round trip with no {@code BEGIN} or {@code COMMIT} around it.
 * Arguments are checked by the store; a failed statement is a store error naming the operation.
 * Thread-safe.
 */
final class SessionTable {

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
