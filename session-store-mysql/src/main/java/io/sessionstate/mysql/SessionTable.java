package io.sessionstate.mysql;

import static java.util.Objects.requireNonNull;

import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.StoreLifecycle;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The request path of the plain operations, and the slide's margin that every write of a session
 * takes: each operation checks its arguments, starts the store if it has not started, and sends its
 * statements to the sessions table (the versioned operations are {@link VersionedOps}). Each is one
 * statement on a connection in autocommit, except a load whose expiry is due to slide (a second,
 * short {@code UPDATE}) and a replace (one transaction of two statements). Keys travel as their
 * UTF-8 bytes into a {@code VARBINARY} column, so they compare byte for byte, with no collation,
 * case folding or trailing-space padding. Arguments are checked by the store; a failed statement is
 * a store error naming the operation. Thread-safe.
 */
final class SessionTable {

  /** The longest TTL: DATETIME ends in the year 9999, and a span past it would be NULL. */
  static final Duration MAX_TTL = Duration.ofDays(36_500);

  static final Duration MAX_SLIDE_THROTTLE = Duration.ofHours(1);

  private final Database db;
  private final Statements sql;
  private final StoreLifecycle lifecycle;

  /** The slide's margin is a twentieth of the TTL unless the builder set a throttle. */
  static final int SLIDE_MARGIN_DIVISOR = 20;

  // -1 for the default, a twentieth of each TTL.
  private final long throttleMicros;

  /**
   * @param slideThrottle the builder's slide throttle, or null for a twentieth of each TTL
   */
  SessionTable(
      Database db, Statements sql, StoreLifecycle lifecycle, @Nullable Duration slideThrottle) {
    this.db = db;
    this.sql = sql;
    this.lifecycle = lifecycle;
    this.throttleMicros = slideThrottle == null ? -1 : slideThrottle.toNanos() / 1000;
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

  /**
   * How far past now + ttl a write of a session sets its expiry: the throttle (a tenth of the TTL
   * at most), or a twentieth of the TTL by default. A load or a touch writes the expiry only when
   * it lies outside [now + ttl, now + ttl + margin], so a session never expires earlier than its
   * TTL after its last request and at most the margin later.
   */
  long marginMicros(long ttlMicros) {
    return throttleMicros < 0
        ? ttlMicros / SLIDE_MARGIN_DIVISOR
        : Math.min(throttleMicros, ttlMicros / 10);
  }

  /** The expiry, in microseconds from now, that every write of a session sets. */
  long slidMicros(long ttlMicros) {
    return ttlMicros + marginMicros(ttlMicros);
  }

  /**
   * The blob of a live row; empty if none. The expiry slides to now + ttl + margin in a second
   * statement only if it lies outside [now + ttl, now + ttl + margin].
   */
  Optional<byte[]> load(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMicros = ttlMicros(ttl);
    lifecycle.ensureStarted("load");
    byte[] k = keyBytes(key);
    if (k == null) {
      return Optional.empty();
    }
    try (Connection c = db.autocommit()) {
      byte[] blob;
      boolean due;
      try (PreparedStatement s = c.prepareStatement(sql.load)) {
        s.setLong(1, ttlMicros);
        s.setLong(2, slidMicros(ttlMicros));
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
          s.setLong(1, slidMicros(ttlMicros));
          s.setBytes(2, k);
          s.executeUpdate();
        }
      }
      return Optional.of(blob);
    } catch (SQLException e) {
      throw db.failure("load", e);
    }
  }

  /**
   * Inserts the row, or overwrites the blob and expiry of the one there.
   *
   * @throws IllegalArgumentException if the key is wider than 255 bytes in UTF-8
   */
  void save(String key, byte[] blob, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(blob, "blob");
    long ttlMicros = ttlMicros(ttl);
    byte[] k = requireKeyBytes("key", key);
    lifecycle.ensureStarted("save");
    save("save", k, blob, ttlMicros);
  }

  private void save(String operation, byte[] key, byte[] blob, long ttlMicros) {
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.save)) {
      bindSave(s, key, blob, ttlMicros);
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure(operation, e);
    }
  }

  /**
   * Slides the expiry of a live row to now + ttl + margin unless it lies within [now + ttl, now +
   * ttl + margin]; an expired or missing row stays as it is.
   */
  void touch(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMicros = ttlMicros(ttl);
    lifecycle.ensureStarted("touch");
    byte[] k = keyBytes(key);
    if (k == null) {
      return;
    }
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.touch)) {
      long slid = slidMicros(ttlMicros);
      s.setLong(1, slid);
      s.setBytes(2, k);
      s.setLong(3, ttlMicros);
      s.setLong(4, slid);
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("touch", e);
    }
  }

  void delete(String key) {
    requireNonNull(key, "key");
    lifecycle.ensureStarted("delete");
    byte[] k = keyBytes(key);
    if (k == null) {
      return;
    }
    try (Connection c = db.autocommit();
        PreparedStatement s = c.prepareStatement(sql.delete)) {
      s.setBytes(1, k);
      s.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("delete", e);
    }
  }

  /**
   * Deletes {@code oldKey} and saves under {@code newKey} in one transaction: no reader sees both
   * or neither. MySQL has no statement that writes two rows this way.
   *
   * @throws IllegalArgumentException if {@code newKey} is wider than 255 bytes in UTF-8
   */
  void replace(String oldKey, String newKeyText, byte[] blob, Duration ttl) {
    requireNonNull(oldKey, "oldKey");
    requireNonNull(newKeyText, "newKey");
    requireNonNull(blob, "blob");
    long ttlMicros = ttlMicros(ttl);
    byte[] newKey = requireKeyBytes("newKey", newKeyText);
    lifecycle.ensureStarted("replace");
    if (oldKey.equals(newKeyText)) {
      save("replace", newKey, blob, ttlMicros);
      return;
    }
    byte[] old = keyBytes(oldKey);
    try (Connection c = db.autocommit()) {
      Transactions.inTransaction(
          c,
          tx -> {
            if (old != null) {
              try (PreparedStatement s = tx.prepareStatement(sql.delete)) {
                s.setBytes(1, old);
                s.executeUpdate();
              }
            }
            try (PreparedStatement s = tx.prepareStatement(sql.save)) {
              bindSave(s, newKey, blob, ttlMicros);
              return s.executeUpdate();
            }
          },
          written -> true);
    } catch (SQLException e) {
      throw db.failure("replace", e);
    }
  }

  private void bindSave(PreparedStatement s, byte[] key, byte[] blob, long ttlMicros)
      throws SQLException {
    s.setBytes(1, key);
    s.setBytes(2, blob);
    s.setLong(3, slidMicros(ttlMicros));
  }
}
