/** A sessionstate store in MySQL or MariaDB, over HikariCP and MariaDB Connector/J. */
module io.sessionstate.mysql {
  requires transitive io.sessionstate;
  // Transitive because Builder.dataSource takes a javax.sql.DataSource.
  requires transitive java.sql;
  // The shared JDBC code: the pool, the options, start and close, the sweeper's schedule.
  requires io.sessionstate.jdbc;
  // The store parses a JDBC URL with the driver's own parser, and so that the driver is resolved
  // whenever the store is.
  requires org.mariadb.jdbc;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports io.sessionstate.mysql;
}
