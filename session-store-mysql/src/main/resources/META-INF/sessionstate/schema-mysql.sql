-- The sessions table of sessionstate's MySQL and MariaDB store, for teams that run migrations
-- themselves. It is what MySqlSessionStore.builder().createSchema(true) runs for the default table
-- in the connection's database. Other names: replace sessionstate_sessions (and the index name's
-- table part), or take the text from MySqlSessionStore#schemaSql(). A row whose session_data is
-- NULL is a tombstone: a signed-out key that no conditional save may write until it expires.
CREATE TABLE IF NOT EXISTS `sessionstate_sessions` (
  session_key VARBINARY(255) NOT NULL,
  session_data LONGBLOB,
  expires_at DATETIME(3) NOT NULL,
  version BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (session_key),
  KEY `sessionstate_sessions_expires_at_idx` (expires_at)
) ENGINE=InnoDB;
