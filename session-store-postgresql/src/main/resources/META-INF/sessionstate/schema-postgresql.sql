-- The sessions table of sessionstate's PostgreSQL store, for teams that run migrations themselves.
-- It is what PostgresSessionStore.builder().createSchema(true) runs for the default schema and table.
-- Other names: replace "public" and "sessionstate_sessions" (and the index name's table part), or
-- take the text from PostgresSessionStore#schemaSql(). For an UNLOGGED table write CREATE UNLOGGED TABLE.
CREATE TABLE IF NOT EXISTS "public"."sessionstate_sessions" (
  session_key text PRIMARY KEY,
  blob bytea NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "sessionstate_sessions_expires_at_idx" ON "public"."sessionstate_sessions" (expires_at);
