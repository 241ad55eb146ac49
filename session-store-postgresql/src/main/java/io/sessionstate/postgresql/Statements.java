package io.sessionstate.postgresql;

import static io.sessionstate.postgresql.Identifiers.quote;

/** The text of every statement the store sends, for one schema and table. */
final class Statements {

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

  Statements(String schema, String table, boolean unlogged) {
    String qualified = quote(schema) + "." + quote(table);
    // The expiry is computed from the database's clock so that app nodes with skewed clocks
    // agree; the TTL travels as a number of milliseconds, never as text.
    String expiry = "now() + ? * interval '1 millisecond'";
    this.load =
        "UPDATE "
            + qualified
            + " SET expires_at = "
            + expiry
            + " WHERE session_key = ? AND expires_at > now() RETURNING blob";
    this.save =
        "INSERT INTO "
            + qualified
            + " (session_key, blob, expires_at) VALUES (?, ?, "
            + expiry
            + ") ON CONFLICT (session_key) DO UPDATE"
            + " SET blob = excluded.blob, expires_at = excluded.expires_at";
    this.touch =
        "UPDATE "
            + qualified
            + " SET expires_at = "
            + expiry
            + " WHERE session_key = ? AND expires_at > now()";
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
            + "  blob bytea NOT NULL,\n"
            + "  expires_at timestamptz NOT NULL\n"
            + ")";
    this.createIndex =
        "CREATE INDEX IF NOT EXISTS "
            + quote(table + Identifiers.INDEX_SUFFIX)
            + " ON "
            + qualified
            + " (expires_at)";
    // The index's qualified name, for to_regclass: it lives in the table's schema.
    this.index = quote(schema) + "." + quote(table + Identifiers.INDEX_SUFFIX);
    this.createSchema = createTable + ";\n" + createIndex + ";\n";
    this.dropSchema = "DROP TABLE IF EXISTS " + qualified + ";\n";
  }
}
