CREATE TABLE IF NOT EXISTS "public"."sessionstate_sessions" (
  session_key text PRIMARY KEY,
  blob bytea NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "sessionstate_sessions_expires_at_idx" ON "public"."sessionstate_sessions" (expires_at);
