package io.sessionstate.mysql;

import static io.sessionstate.mysql.Identifiers.quote;

/** The text of every statement the store sends, for one table. */
final class Statements {

  /** The widest key the table holds, in bytes: far below every index-length limit. */
  static final int MAX_KEY_BYTES = 255;

  final String load;
  final String slide;
  final String save;
  final String touch;
  final String delete;
  final String sweepSelect;
  final String createSchema;
  final String dropSchema;
  private final String sweepDeletePrefix;

  /**
   * @param database the database (schema) of the table, or null for the connection's own
   */
  Statements(String database, String table) {
    String qualified = database == null ? quote(table) : quote(database) + "." + quote(table);
    // Expiry comes from the database's clock, in UTC whatever the session's time_zone, so that app
    // nodes with skewed clocks agree; spans travel as a number of microseconds, never as text.
    String now = "UTC_TIMESTAMP(3)";
    String in = now + " + INTERVAL ? MICROSECOND";
    // The load reads, and says in the same row whether the expiry has drifted from now + ttl by
    // more than the slide throttle (or lies beyond it: a shorter TTL resets rather than extends).
    // A write costs a durable commit (a log flush), so the slide is a second statement sent only
    // when that says so: MySQL has no UPDATE ... RETURNING.
    this.load =
        "SELECT session_data, expires_at < "
            + in
            + " OR expires_at > "
            + in
            + " FROM "
            + qualified
            + " WHERE session_key = ? AND expires_at > "
            + now;
    this.slide =
        "UPDATE "
            + qualified
            + " SET expires_at = "
            + in
            + " WHERE session_key = ? AND expires_at > "
            + now;
    // VALUES() rather than MySQL 8.0.19's row alias, which MariaDB does not parse: one text for
    // both servers. MySQL 8 deprecates it with a warning; it still works there.
    this.save =
        "INSERT INTO "
            + qualified
            + " (session_key, session_data, expires_at) VALUES (?, ?, "
            + in
            + ") ON DUPLICATE KEY UPDATE"
            + " session_data = VALUES(session_data), expires_at = VALUES(expires_at)";
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
            + "  session_data LONGBLOB NOT NULL,\n"
            + "  expires_at DATETIME(3) NOT NULL,\n"
            + "  PRIMARY KEY (session_key),\n"
            + "  KEY "
            + quote(table + Identifiers.INDEX_SUFFIX)
            + " (expires_at)\n"
            + ") ENGINE=InnoDB";
    this.dropSchema = "DROP TABLE IF EXISTS " + qualified;
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
