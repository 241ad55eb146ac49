/** A session store in PostgreSQL, over HikariCP and the PostgreSQL JDBC driver. */
package io.sessionstate.sql;
