-- The sessions table of sessionstate's PostgreSQL store, for teams that run migrations themselves.
-- It is what PostgresSessionStore.builder().createSchema(true) runs for the default schema and table.
-- Other names: replace "public" and "sessionstate_sessions" (and the index name's table part), or
-- take the text from PostgresSessionStore#schemaSql(). For an UNLOGGED table write CREATE UNLOGGED TABLE.
-- A row with a NULL blob is a tombstone: a signed-out key that no session may take until it expires.
-- Running the script again changes nothing. On a table created by the first schema (blob NOT NULL, no
-- version column) the two ALTER TABLE statements bring it up to date: existing sessions stay, at
-- version 0. Each is a change of the catalog only (no table rewrite), but takes a brief exclusive lock.
CREATE TABLE IF NOT EXISTS "public"."sessionstate_sessions" (
  session_key text PRIMARY KEY,
  blob bytea,
  expires_at timestamptz NOT NULL,
  version bigint NOT NULL DEFAULT 0
);
ALTER TABLE "public"."sessionstate_sessions" ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0;
ALTER TABLE "public"."sessionstate_sessions" ALTER COLUMN blob DROP NOT NULL;
CREATE INDEX IF NOT EXISTS "sessionstate_sessions_expires_at_idx" ON "public"."sessionstate_sessions" (expires_at);
-- The principal index (a user's sessions): one row per bound session, removed with its session's row.
-- For an UNLOGGED sessions table it must be UNLOGGED too.
CREATE TABLE IF NOT EXISTS "public"."sessionstate_sessions_principals" (
  session_key text PRIMARY KEY REFERENCES "public"."sessionstate_sessions" (session_key) ON DELETE CASCADE,
  principal text NOT NULL
);
CREATE INDEX IF NOT EXISTS "sessionstate_sessions_principals_idx" ON "public"."sessionstate_sessions_principals" (principal);
