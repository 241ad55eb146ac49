package io.sessionstate.mysql;

import static io.sessionstate.mysql.MySqlDialect.quote;

import io.sessionstate.jdbc.Identifiers;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The text of every statement the store sends, for one table.
 *
 * <p>A row is a session ({@code session_data} not null) or a tombstone ({@code session_data} null:
 * the key was signed out and no conditional save may write it until {@code expires_at}). {@code
 * version} grows by one on every write of the row, tombstones included. A row whose {@code
 * expires_at} has passed counts as nothing at all.
 */
final class Statements {

  /** The widest key the table holds, in bytes: far below every index-length limit. */
  static final int MAX_KEY_BYTES = 255;

  /** The table as messages name it: {@code database.table}, or the table alone. */
  final String displayName;

  final String load;
  final String slide;
  final String save;
  final String touch;
  final String delete;
  final String sweepSelect;
  final String loadVersioned;
  final String invalidate;
  final String current;
  final String saveFresh;
  final Map<Condition.Kind, String> writeIf = new EnumMap<>(Condition.Kind.class);
  final String createSchema;
  final String dropSchema;
  private final String sweepDeletePrefix;

  /**
   * @param database the database (schema) of the table, or null for the connection's own
   */
  Statements(@Nullable String database, String table) {
    String qualified = database == null ? quote(table) : quote(database) + "." + quote(table);
    this.displayName = database == null ? table : database + "." + table;
    // Expiry comes from the database's clock, in UTC whatever the session's time_zone, so that app
    // nodes with skewed clocks agree; spans travel as a number of microseconds, never as text.
    String now = "UTC_TIMESTAMP(3)";
    String in = now + " + INTERVAL ? MICROSECOND";
    // The load reads, and says in the same row whether the expiry lies outside [now + ttl, now +
    // ttl + margin] (beyond it too: a shorter TTL resets rather than extends). A write costs a
    // durable commit (a log flush), so the slide is a second statement sent only when that says
    // so, which within the margin it does not: MySQL has no UPDATE ... RETURNING.
    this.load =
        "SELECT session_data, expires_at < "
            + in
            + " OR expires_at > "
            + in
            + " FROM "
            + qualified
            + " WHERE session_key = ? AND expires_at > "
            + now
            + " AND session_data IS NOT NULL";
    this.slide =
        "UPDATE "
            + qualified
            + " SET expires_at = "
            + in
            + " WHERE session_key = ? AND expires_at > "
            + now
            + " AND session_data IS NOT NULL";
    // VALUES() rather than MySQL 8.0.19's row alias, which MariaDB does not parse: one text for
    // both servers. MySQL 8 deprecates it with a warning; it still works there.
    this.save =
        "INSERT INTO "
            + qualified
            + " (session_key, session_data, version, expires_at) VALUES (?, ?, 1, "
            + in
            + ") ON DUPLICATE KEY UPDATE session_data = VALUES(session_data),"
            + " version = version + 1, expires_at = VALUES(expires_at)";
    // Throttled like the load's slide: an UPDATE that matches no row writes no log and waits for
    // no flush.
    this.touch = slide + " AND (expires_at < " + in + " OR expires_at > " + in + ")";
    this.delete = "DELETE FROM " + qualified + " WHERE session_key = ?";
    // The sweep finds a batch with a plain read, which takes no lock, then deletes it by primary
    // key, rechecking the expiry. Row locks are then taken in primary-key order, as a request
    // takes them (the key first, the expiry index after), so neither a request nor another
    // node's sweeper can form a cycle with it. A DELETE ... ORDER BY expires_at LIMIT n would
    // lock the expiry index first and the next live row's entry with it.
    this.sweepSelect =
        "SELECT session_key FROM "
            + qualified
            + " WHERE expires_at < "
            + now
            + " ORDER BY expires_at LIMIT ?";
    // The multi-table form, because only it takes an index hint: with few rows left the optimizer
    // may prefer the expiry index, which would bring back the lock order the two steps avoid.
    this.sweepDeletePrefix =
        "DELETE s FROM "
            + qualified
            + " AS s FORCE INDEX (PRIMARY) WHERE s.expires_at < "
            + now
            + " AND s.session_key IN (";
    this.createSchema =
        "CREATE TABLE IF NOT EXISTS "
            + qualified
            + " (\n"
            + "  session_key VARBINARY("
            + MAX_KEY_BYTES
            + ") NOT NULL,\n"
            + "  session_data LONGBLOB,\n"
            + "  expires_at DATETIME(3) NOT NULL,\n"
            + "  version BIGINT NOT NULL DEFAULT 0,\n"
            + "  PRIMARY KEY (session_key),\n"
            + "  KEY "
            + quote(table + Identifiers.INDEX_SUFFIX)
            + " (expires_at)\n"
            + ") ENGINE=InnoDB";
    this.dropSchema = "DROP TABLE IF EXISTS " + qualified;
    // A tombstone keeps its own expiry: a versioned load slides only a session (through slide).
    this.loadVersioned =
        "SELECT session_data, version, expires_at < "
            + in
            + " OR expires_at > "
            + in
            + " FROM "
            + qualified
            + " WHERE session_key = ? AND expires_at > "
            + now;
    this.invalidate =
        "INSERT INTO "
            + qualified
            + " (session_key, session_data, version, expires_at) VALUES (?, NULL, 1, "
            + in
            + ") ON DUPLICATE KEY UPDATE session_data = NULL, version = version + 1,"
            + " expires_at = VALUES(expires_at)";
    this.saveFresh =
        "INSERT INTO "
            + qualified
            + " (session_key, session_data, version, expires_at) VALUES (?, ?, 1, "
            + in
            + ") ON DUPLICATE KEY UPDATE session_data = VALUES(session_data), version = 1,"
            + " expires_at = VALUES(expires_at)";
    this.current =
        "SELECT session_data, version FROM "
            + qualified
            + " WHERE session_key = ? AND expires_at > "
            + now;
    // A blob is expected: a conditional UPDATE, never an upsert, so a deleted or signed-out
    // session is never written back. LAST_INSERT_ID(expr) puts the new version in the reply's OK
    // packet, where the driver hands it out as a generated key: no second statement.
    String update =
        "UPDATE "
            + qualified
            + " SET session_data = ?, version = LAST_INSERT_ID(version + 1), expires_at = "
            + in
            + " WHERE session_key = ? AND session_data IS NOT NULL AND expires_at > "
            + now;
    writeIf.put(Condition.Kind.EXISTS, update);
    writeIf.put(Condition.Kind.VERSION, update + " AND version = ?");
    // Nothing, or anything but a tombstone, is expected: an insert whose duplicate-key update
    // takes only an expired row (and, for NOT_INVALIDATED, a live session). The reply must tell
    // an insert, a taken row and a refusal apart whatever the connection's found-rows flag says,
    // so the OK packet's LAST_INSERT_ID carries it: none for an insert, twice the new version for
    // a taken row, twice the stored version plus one for a refusal. The condition reads the row
    // as it was: version is assigned first and expires_at last, and session_data's assignment
    // cannot change the condition's value.
    for (Condition.Kind kind : List.of(Condition.Kind.ABSENT, Condition.Kind.NOT_INVALIDATED)) {
      String takes =
          kind == Condition.Kind.ABSENT
              ? "expires_at <= " + now
              : "(session_data IS NOT NULL OR expires_at <= " + now + ")";
      writeIf.put(
          kind,
          "INSERT INTO "
              + qualified
              + " (session_key, session_data, version, expires_at) VALUES (?, ?, 1, "
              + in
              + ") ON DUPLICATE KEY UPDATE version = IF("
              + takes
              + ", LAST_INSERT_ID((version + 1) * 2), LAST_INSERT_ID(version * 2 + 1)) DIV 2,"
              + " session_data = IF("
              + takes
              + ", VALUES(session_data), session_data), expires_at = IF("
              + takes
              + ", VALUES(expires_at), expires_at)");
    }
  }

  /** The sweep's DELETE for a batch of {@code keys} keys. */
  String sweepDelete(int keys) {
    StringBuilder sql = new StringBuilder(sweepDeletePrefix.length() + keys * 2 + 1);
    sql.append(sweepDeletePrefix);
    for (int i = 0; i < keys; i++) {
      sql.append(i == 0 ? "?" : ",?");
    }
    return sql.append(')').toString();
  }
}
