package io.sessionstate.postgresql;

import io.sessionstate.jdbc.Database;
import io.sessionstate.jdbc.JdbcOptions;
import io.sessionstate.jdbc.StoreLifecycle;
import io.sessionstate.jdbc.Sweeper;
import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a {@link PostgresSessionStore}, wired from its settings, and its request path: the
 * store's operations, each handed to the part that sends its statement. The store adds what it is
 * configured and managed by (its builder, start, sweep, close); its Javadoc shows these operations
 * as its own. Thread-safe.
 */
abstract sealed class StoreCore
    implements ReplacingSessionStore, VersionedSessionStore, PrincipalIndex
    permits PostgresSessionStore {

  final Statements sql;
  final Database db;
  final Sweeper sweeper;
  final StoreLifecycle lifecycle;
  final PostgresPrincipalIndex principals;
  private final SessionTable rows;
  private final VersionedOps versioned;

  StoreCore(StoreOptions.Settings s) {
    JdbcOptions.Settings jdbc = s.jdbc();
    String schema = s.schema();
    String table = jdbc.table();
    this.sql = new Statements(schema, table, s.unlogged());
    this.db = jdbc.openDatabase();
    this.sweeper = jdbc.sweeper(db, new ExpiredRows(sql), schema + "." + table);
    SchemaInstaller installer =
        jdbc.createSchema() ? new SchemaInstaller(db, sql, schema, table) : null;
    this.lifecycle =
        new StoreLifecycle(
            db, installer == null ? null : installer::install, sweeper, jdbc.sweeperEnabled());
    this.rows = new SessionTable(db, sql, lifecycle);
    this.versioned = new VersionedOps(db, sql, lifecycle);
    this.principals =
        new PostgresPrincipalIndex(db, lifecycle, schema, table, s.unlogged(), jdbc.createSchema());
  }

  /**
   * One statement: the read of the blob and, where it must, the slide of the expiry (see the class
   * description).
   */
  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    return rows.load(key, ttl);
  }

  /** One upsert; the expiry becomes now + TTL + a twentieth of the TTL. */
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
   * Stores the blob under {@code newKey} and deletes {@code oldKey} in one statement, which is one
   * transaction: no reader sees both keys or neither.
   */
  @Override
  public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    rows.replace(oldKey, newKey, blob, ttl);
  }

  /**
   * One statement: the read of the blob and version, and the throttled slide of a session (not of a
   * tombstone) as for {@link PostgresSessionStore#loadAndTouch}.
   */
  @Override
  public Stored loadVersioned(String key, Duration ttl) {
    return versioned.loadVersioned(key, ttl);
  }

  /** One statement: a conditional {@code UPDATE}, or an insert that takes only an expired row. */
  @Override
  public Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    return versioned.saveIf(key, condition, blob, ttl);
  }

  /**
   * One statement on the principal index's side table, {@code <table>_principals}: see the README
   * for its layout; its rows go with their sessions' rows ({@code ON DELETE CASCADE}).
   */
  @Override
  public int index(String principal, String key, @Nullable String replacedKey, Duration ttl) {
    return principals.index(principal, key, replacedKey, ttl);
  }

  /** One {@code DELETE} from the side table. */
  @Override
  public void unindex(String principal, String key) {
    principals.unindex(principal, key);
  }

  /** One {@code SELECT} joining the side table to the live rows; it slides no expiry. */
  @Override
  public List<IndexedSession> sessionsOf(String principal) {
    return principals.sessionsOf(principal);
  }

  /** One upsert of the tombstone. */
  @Override
  public void invalidate(String key, Duration tombstoneTtl) {
    versioned.invalidate(key, tombstoneTtl);
  }

  /**
   * One statement, so one transaction: the old row becomes a tombstone and the new row is written
   * only if the old one met the condition.
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
