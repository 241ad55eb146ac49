/** A sessionstate store in PostgreSQL, over HikariCP and the PostgreSQL JDBC driver. */
// The PostgreSQL driver is an automatic module (it names itself in its manifest). The store names
// it only as a class name for HikariCP, but requires it so that the driver is resolved whenever
// the store is.
@SuppressWarnings("requires-automatic")
module io.sessionstate.postgresql {
  requires transitive io.sessionstate;
  // Transitive because Builder.dataSource takes a javax.sql.DataSource.
  requires transitive java.sql;
  // The shared JDBC code: the pool, the options, start and close, the sweeper's schedule.
  requires io.sessionstate.jdbc;
  requires org.postgresql.jdbc;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports io.sessionstate.postgresql;
}
