package io.sessionstate.mysql;

import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.JdbcOptions;
import io.sessionstate.jdbc.StoreLifecycle;
import io.sessionstate.jdbc.Sweeper;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.Optional;

/**
 * The parts of a {@link MySqlSessionStore}, wired from its settings, and its request path: the
 * store's operations, each handed to the part that sends its statements. The store adds what it is
 * configured and managed by (its builder, start, sweep, close); its Javadoc shows these operations
 * as its own. Thread-safe.
 */
abstract sealed class StoreCore implements ReplacingSessionStore, VersionedSessionStore
    permits MySqlSessionStore {

  final Statements sql;
  final Database db;
  final Sweeper sweeper;
  final StoreLifecycle lifecycle;
  private final SessionTable rows;
  private final VersionedOps versioned;

  StoreCore(StoreOptions.Settings s) {
    JdbcOptions.Settings jdbc = s.jdbc();
    this.sql = new Statements(s.database(), jdbc.table());
    this.db = jdbc.openDatabase();
    this.sweeper = jdbc.sweeper(db, new ExpiredRows(sql), sql.displayName);
    SchemaInstaller installer = jdbc.createSchema() ? new SchemaInstaller(db, sql) : null;
    this.lifecycle =
        new StoreLifecycle(
            db, installer == null ? null : installer::install, sweeper, jdbc.sweeperEnabled());
    this.rows = new SessionTable(db, sql, lifecycle, s.slideThrottle());
    this.versioned = new VersionedOps(db, sql, rows, lifecycle);
  }

  /**
   * One {@code SELECT}, and an {@code UPDATE} of the expiry only where it must slide (see the class
   * description).
   */
  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    return rows.load(key, ttl);
  }

  /**
   * One upsert; the expiry becomes now + TTL + the slide's margin.
   *
   * @throws IllegalArgumentException if the key is wider than 255 bytes in UTF-8
   */
  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    rows.save(key, blob, ttl);
  }

  /** One {@code UPDATE} that writes only where the expiry must slide. */
  @Override
  public void touch(String key, Duration ttl) {
    rows.touch(key, ttl);
  }

  @Override
  public void delete(String key) {
    rows.delete(key);
  }

  /**
   * Stores the blob under {@code newKey} and deletes {@code oldKey} in one transaction: no reader
   * sees both keys or neither.
   *
   * @throws IllegalArgumentException if {@code newKey} is wider than 255 bytes in UTF-8
   */
  @Override
  public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    rows.replace(oldKey, newKey, blob, ttl);
  }

  /** One {@code SELECT} of the blob and its version, and the slide of a session where it must. */
  @Override
  public Stored loadVersioned(String key, Duration ttl) {
    return versioned.loadVersioned(key, ttl);
  }

  /**
   * One statement: a conditional {@code UPDATE}, or an insert that takes only an expired row (and,
   * for {@link Condition#notInvalidated()}, a live session); a second {@code SELECT} only when a
   * refusal must report the session it met.
   *
   * @throws IllegalArgumentException if the key is wider than 255 bytes in UTF-8
   */
  @Override
  public Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    return versioned.saveIf(key, condition, blob, ttl);
  }

  /** One upsert of the tombstone. */
  @Override
  public void invalidate(String key, Duration tombstoneTtl) {
    versioned.invalidate(key, tombstoneTtl);
  }

  /**
   * One transaction: the old row becomes a tombstone and the new row is written only if the old one
   * met the condition.
   *
   * @throws IllegalArgumentException if the keys are equal, or {@code newKey} is wider than 255
   *     bytes in UTF-8
   */
  @Override
  public Outcome replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl) {
    return versioned.replaceIf(oldKey, condition, newKey, blob, ttl, tombstoneTtl);
  }
}
