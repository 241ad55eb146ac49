package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.StoreLifecycle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The request path of the plain operations: each checks its arguments, starts the store if it has
 * not started, and sends one statement to the sessions table (the versioned operations are {@link
 * VersionedOps}). Each statement runs on a connection in autocommit, so one round trip with no
 * {@code BEGIN} or {@code COMMIT} around it; a failed statement is a store error naming the
 * operation. Thread-safe.
 */
final class SessionTable {

  /** The slide's margin is this fraction of the idle timeout: see {@link #marginMillis}. */
  static final int SLIDE_MARGIN_DIVISOR = 20;

  private final Database db;
  private final Statements sql;
  private final StoreLifecycle lifecycle;

  SessionTable(Database db, Statements sql, StoreLifecycle lifecycle) {
    this.db = db;
    this.sql = sql;
    this.lifecycle = lifecycle;
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

  /**
   * How far past the idle timeout a slide sets the expiry: a twentieth of it, the fraction the
   * session manager's touch interval takes by default. A load or a touch writes only when the
   * expiry lies outside [now + ttl, now + ttl + margin]: within it the session already lives at
   * least its idle timeout, so a session never expires earlier than its idle timeout promises and
   * at most a twentieth of it later. A session read on every request then costs one write per
   * margin instead of one per request.
   */
  static long marginMillis(long ttlMillis) {
    return ttlMillis / SLIDE_MARGIN_DIVISOR;
  }

  /** The expiry, in milliseconds from now, that every write of a live session sets. */
  static long slidMillis(long ttlMillis) {
    long slid = ttlMillis + marginMillis(ttlMillis);
    return slid < 0 ? Long.MAX_VALUE : slid;
  }

  /**
   * The blob of a live row; empty if none. Its expiry slides in the same statement if it lies
   * outside the margin (see {@link #marginMillis}).
   */
  Optional<byte[]> load(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMillis = ttlMillis(ttl);
    lifecycle.ensureStarted("load");
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.load)) {
      bindSlide(s, key, ttlMillis);
      s.setString(5, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw db.failure("load", e);
    }
  }

  /** Inserts the row, or overwrites the blob and expiry of the one there. */
  void save(String key, byte[] blob, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(blob, "blob");
    long ttlMillis = ttlMillis(ttl);
    lifecycle.ensureStarted("save");
    save("save", key, blob, ttlMillis);
  }

  private void save(String operation, String key, byte[] blob, long ttlMillis) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.save)) {
      s.setString(1, key);
      s.setBytes(2, blob);
      s.setLong(3, slidMillis(ttlMillis));
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure(operation, e);
    }
  }

  /**
   * Slides the expiry of a live row if it lies outside the margin; an expired or missing row stays
   * as it is.
   */
  void touch(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMillis = ttlMillis(ttl);
    lifecycle.ensureStarted("touch");
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.touch)) {
      bindSlide(s, key, ttlMillis);
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("touch", e);
    }
  }

  /** The four placeholders of the throttled slide: the new expiry, the key, the window. */
  private static void bindSlide(PreparedStatement s, String key, long ttlMillis)
      throws SQLException {
    long slid = slidMillis(ttlMillis);
    s.setLong(1, slid);
    s.setString(2, key);
    s.setLong(3, ttlMillis);
    s.setLong(4, slid);
  }

  void delete(String key) {
    requireNonNull(key, "key");
    lifecycle.ensureStarted("delete");
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.delete)) {
      s.setString(1, key);
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("delete", e);
    }
  }

  /** Deletes {@code oldKey} and saves under {@code newKey} in one statement. */
  void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    requireNonNull(oldKey, "oldKey");
    requireNonNull(newKey, "newKey");
    requireNonNull(blob, "blob");
    long ttlMillis = ttlMillis(ttl);
    lifecycle.ensureStarted("replace");
    // For one key the statement's upsert would meet the row its own DELETE removes.
    if (oldKey.equals(newKey)) {
      save("replace", newKey, blob, ttlMillis);
      return;
    }
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.replace)) {
      s.setString(1, oldKey);
      s.setString(2, newKey);
      s.setBytes(3, blob);
      s.setLong(4, slidMillis(ttlMillis));
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("replace", e);
    }
  }
}
