-- Drops the sessions table of sessionstate's PostgreSQL store, and its index with it.
DROP TABLE IF EXISTS "public"."sessionstate_sessions";
