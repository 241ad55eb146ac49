/**
 * The PostgreSQL session store: {@link io.sessionstate.postgresql.PostgresSessionStore}, over
 * HikariCP and the PostgreSQL JDBC driver, with one statement per load and one per modified commit,
 * expiry by the database's clock, and a background sweeper that deletes expired rows in small
 * batches.
 */
@NullMarked
package io.sessionstate.postgresql;

import org.jspecify.annotations.NullMarked;
