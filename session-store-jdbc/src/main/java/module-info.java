/**
 * Support for sessionstate's JDBC stores (PostgreSQL, MySQL and MariaDB), with no API of its own:
 * its package is exported to those two store modules only.
 */
// The stores it is exported to are compiled after it, so javac cannot find them here.
@SuppressWarnings("module")
module io.sessionstate.jdbc {
  requires transitive io.sessionstate;
  requires transitive java.sql;
  requires com.zaxxer.hikari;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports io.sessionstate.jdbc to
      io.sessionstate.postgresql,
      io.sessionstate.mysql;
}
