package io.sessionstate.postgresql;

import static io.sessionstate.postgresql.PostgresDialect.quote;

import io.sessionstate.jdbc.Identifiers;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The text of every statement the store sends, for one schema and table.
 *
 * <p>A row is a session ({@code blob} not null) or a tombstone ({@code blob} null: the key was
 * signed out and no conditional save may write it until {@code expires_at}). {@code version} grows
 * by one on every write of the row, tombstones included, so that while a row exists (until the
 * sweeper removes it) its versions never repeat. A row whose {@code expires_at} has passed counts
 * as nothing at all.
 */
final class Statements {

  /** A value a versioned statement binds, in the order of its placeholders. */
  enum Param {
    KEY,
    NEW_KEY,
    BLOB,
    /** The idle timeout in milliseconds: a live expiry closer than it must slide. */
    TTL,
    /** The idle timeout and the slide's margin, in milliseconds: the expiry a write sets. */
    SLID_TTL,
    TOMBSTONE_TTL,
    VERSION
  }

  /** A statement's text and what each of its placeholders binds. */
  record Sql(String text, List<Param> params) {}

  final String load;
  final String save;
  final String touch;
  final String delete;
  final String replace;
  final String sweep;
  final String createTable;
  final String createIndex;
  final String index;
  final String createSchema;
  final String dropSchema;
  final String table;
  final String addVersion;
  final String dropBlobNotNull;
  final String columns;
  final Sql loadVersioned;
  final Sql invalidate;
  final Map<Condition.Kind, Sql> saveIf = new EnumMap<>(Condition.Kind.class);
  final Map<Condition.Kind, Sql> replaceIf = new EnumMap<>(Condition.Kind.class);

  Statements(String schema, String table, boolean unlogged) {
    String qualified = quote(schema) + "." + quote(table);
    // The expiry is computed from the database's clock so that app nodes with skewed clocks
    // agree; the TTL travels as a number of milliseconds, never as text.
    String expiry = "now() + ? * interval '1 millisecond'";
    // The slide is throttled: a live row whose expiry already lies between now + ttl and now + ttl
    // + margin (see SessionTable.slidMillis) is read without a write, so most loads cost no new
    // row version, no index entries and no wait for a commit's flush. The read and the
    // conditional UPDATE are one statement, so one round trip either way; the blob comes from the
    // read, from the statement's snapshot, whether the UPDATE wrote or not.
    String live = "session_key = ? AND expires_at > now() AND blob IS NOT NULL";
    String stale =
        " AND (expires_at < now() + ? * interval '1 millisecond'"
            + " OR expires_at > now() + ? * interval '1 millisecond')";
    this.touch = "UPDATE " + qualified + " SET expires_at = " + expiry + " WHERE " + live + stale;
    this.load = "WITH slid AS (" + touch + ") SELECT blob FROM " + qualified + " WHERE " + live;
    // The plain save overwrites whatever is there, a tombstone too, as the SPI says a save does.
    this.save =
        "INSERT INTO "
            + qualified
            + " AS x (session_key, blob, version, expires_at) VALUES (?, ?, 1, "
            + expiry
            + ") ON CONFLICT (session_key) DO UPDATE"
            + " SET blob = excluded.blob, version = x.version + 1, expires_at = excluded.expires_at";
    this.delete = "DELETE FROM " + qualified + " WHERE session_key = ?";
    // One statement, so one transaction and one round trip with no BEGIN or COMMIT: the CTE's
    // DELETE and the upsert see the same snapshot and commit together, so no reader finds the
    // session under both keys or under neither. Only for two different keys: for one key the
    // upsert would meet the row its own statement deletes.
    this.replace = "WITH gone AS (DELETE FROM " + qualified + " WHERE session_key = ?) " + save;
    // ctid = ANY(ARRAY(...)) rather than ctid IN (...): the planner turns the array form into a
    // TID scan, while the IN form may become a semi-join that scans the whole table. SKIP LOCKED
    // lets several nodes sweep at once and never waits on a row a request is writing.
    this.sweep =
        "DELETE FROM "
            + qualified
            + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
            + qualified
            + " WHERE expires_at < now() LIMIT ? FOR UPDATE SKIP LOCKED))";
    this.createTable =
        "CREATE "
            + (unlogged ? "UNLOGGED " : "")
            + "TABLE IF NOT EXISTS "
            + qualified
            + " (\n"
            + "  session_key text PRIMARY KEY,\n"
            + "  blob bytea,\n"
            + "  expires_at timestamptz NOT NULL,\n"
            + "  version bigint NOT NULL DEFAULT 0\n"
            + ")";
    // What a table created by the first schema (blob NOT NULL, no version) needs. Both are changes
    // of the catalog only: since PostgreSQL 11 a column with a constant default is added without
    // rewriting the table, and existing rows read as version 0.
    this.addVersion =
        "ALTER TABLE " + qualified + " ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0";
    this.dropBlobNotNull = "ALTER TABLE " + qualified + " ALTER COLUMN blob DROP NOT NULL";
    this.table = qualified;
    // For the installer's look at the catalog: the columns an up-to-date table has.
    this.columns =
        "SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = to_regclass(?)"
            + " AND attnum > 0 AND NOT attisdropped AND attname IN ('blob', 'version')";
    this.createIndex =
        "CREATE INDEX IF NOT EXISTS "
            + quote(table + Identifiers.INDEX_SUFFIX)
            + " ON "
            + qualified
            + " (expires_at)";
    // The index's qualified name, for to_regclass: it lives in the table's schema.
    this.index = quote(schema) + "." + quote(table + Identifiers.INDEX_SUFFIX);
    this.createSchema =
        createTable + ";\n" + addVersion + ";\n" + dropBlobNotNull + ";\n" + createIndex + ";\n";
    String ttl = "now() + ? * interval '1 millisecond'";
    // A tombstone keeps its own expiry: the slide takes only a session.
    this.loadVersioned =
        new Sql(
            "WITH slid AS ("
                + touch
                + ") SELECT blob, version FROM "
                + qualified
                + " WHERE session_key = ? AND expires_at > now()",
            List.of(Param.SLID_TTL, Param.KEY, Param.TTL, Param.SLID_TTL, Param.KEY));
    this.invalidate =
        new Sql(
            "INSERT INTO "
                + qualified
                + " AS x (session_key, blob, version, expires_at) VALUES (?, NULL, 1, "
                + ttl
                + ") ON CONFLICT (session_key) DO UPDATE"
                + " SET blob = NULL, version = x.version + 1, expires_at = excluded.expires_at",
            List.of(Param.KEY, Param.TOMBSTONE_TTL));
    for (Condition.Kind kind : Condition.Kind.values()) {
      saveIf.put(kind, conditional(qualified, kind, false));
      replaceIf.put(kind, conditional(qualified, kind, true));
    }
    this.dropSchema = "DROP TABLE IF EXISTS " + qualified + ";\n";
  }

  /**
   * One statement for a conditional save ({@code move} false) or a move to a new key ({@code move}
   * true) under one kind of condition on {@code KEY}. Its one result row holds the new version when
   * the write happened (column 1), else the row under {@code KEY} as the statement's snapshot saw
   * it (blob, version, and whether there was a live row), from which the caller tells a conflict
   * from a key that is gone.
   *
   * <p>A blob is expected ({@code VERSION}, {@code EXISTS}): a conditional {@code UPDATE}, never an
   * upsert, so a deleted or signed-out session is never written back. Nothing or anything but a
   * tombstone is expected ({@code ABSENT}, {@code NOT_INVALIDATED}): an {@code INSERT ... ON
   * CONFLICT DO UPDATE ... WHERE}, whose update applies only to a row that has expired (and, for
   * {@code NOT_INVALIDATED}, to a live session) so that an expired row the sweeper has not removed
   * yet does not block a new session, and a tombstone blocks every one.
   */
  private static Sql conditional(String qualified, Condition.Kind kind, boolean move) {
    String ttl = "now() + ? * interval '1 millisecond'";
    String live = "blob IS NOT NULL AND expires_at > now()";
    StringBuilder sql = new StringBuilder("WITH ");
    List<Param> params = new ArrayList<>();
    String target = move ? "moved" : "saved";
    // What the old row becomes: the new blob (a save) or a tombstone (a move).
    String blob = move ? "NULL" : "?";
    Param life = move ? Param.TOMBSTONE_TTL : Param.SLID_TTL;
    if (kind == Condition.Kind.VERSION || kind == Condition.Kind.EXISTS) {
      sql.append(target)
          .append(" AS (UPDATE ")
          .append(qualified)
          .append(" SET blob = ")
          .append(blob)
          .append(", version = version + 1, expires_at = ")
          .append(ttl)
          .append(" WHERE session_key = ? AND ")
          .append(live);
      if (!move) {
        params.add(Param.BLOB);
      }
      params.add(life);
      params.add(Param.KEY);
      if (kind == Condition.Kind.VERSION) {
        sql.append(" AND version = ?");
        params.add(Param.VERSION);
      }
      sql.append(move ? " RETURNING 1)" : " RETURNING version)");
    } else {
      String overwritable =
          kind == Condition.Kind.ABSENT
              ? "x.expires_at <= now()"
              : "x.blob IS NOT NULL OR x.expires_at <= now()";
      sql.append(target)
          .append(" AS (INSERT INTO ")
          .append(qualified)
          .append(" AS x (session_key, blob, version, expires_at) VALUES (?, ")
          .append(blob)
          .append(", 1, ")
          .append(ttl)
          .append(") ON CONFLICT (session_key) DO UPDATE SET blob = excluded.blob,")
          .append(" version = x.version + 1, expires_at = excluded.expires_at WHERE ")
          .append(overwritable)
          .append(move ? " RETURNING 1)" : " RETURNING version)");
      params.add(Param.KEY);
      if (!move) {
        params.add(Param.BLOB);
      }
      params.add(life);
    }
    if (move) {
      // The new key is fresh and random: it is written only if the old key was moved.
      sql.append(", saved AS (INSERT INTO ")
          .append(qualified)
          .append(" AS x (session_key, blob, version, expires_at) SELECT ?, ?, 1, ")
          .append(ttl)
          .append(" FROM moved ON CONFLICT (session_key) DO UPDATE SET blob = excluded.blob,")
          .append(" version = 1, expires_at = excluded.expires_at RETURNING version)");
      params.add(Param.NEW_KEY);
      params.add(Param.BLOB);
      params.add(Param.SLID_TTL);
    }
    // The current row only when nothing was written: a conflict ships it back, a save does not.
    sql.append(" SELECT s.version, cur.blob, cur.version, cur.session_key IS NOT NULL")
        .append(" FROM (VALUES (1)) AS one (x) LEFT JOIN saved s ON true LEFT JOIN ")
        .append(qualified)
        .append(" cur ON s.version IS NULL AND cur.session_key = ? AND cur.expires_at > now()");
    params.add(Param.KEY);
    return new Sql(sql.toString(), List.copyOf(params));
  }
}
