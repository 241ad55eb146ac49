-- Drops the sessions table of sessionstate's MySQL and MariaDB store, and its index with it.
DROP TABLE IF EXISTS `sessionstate_sessions`;
