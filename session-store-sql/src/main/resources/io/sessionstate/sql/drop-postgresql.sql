DROP TABLE IF EXISTS "public"."sessionstate_sessions";
