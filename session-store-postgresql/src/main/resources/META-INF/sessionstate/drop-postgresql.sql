-- Drops the principal index table and the sessions table of sessionstate's PostgreSQL store, and their
-- indexes with them.
DROP TABLE IF EXISTS "public"."sessionstate_sessions_principals";
DROP TABLE IF EXISTS "public"."sessionstate_sessions";
