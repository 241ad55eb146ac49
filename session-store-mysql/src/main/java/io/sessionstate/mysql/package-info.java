/**
 * The MySQL and MariaDB session store: {@link io.sessionstate.mysql.MySqlSessionStore}, over
 * HikariCP and MariaDB Connector/J, with one statement per modified commit, a load that reads with
 * one statement and writes the expiry only when it has drifted, expiry by the database's clock, and
 * a background sweeper that deletes expired rows in small batches by primary key.
 */
@NullMarked
package io.sessionstate.mysql;

import org.jspecify.annotations.NullMarked;
