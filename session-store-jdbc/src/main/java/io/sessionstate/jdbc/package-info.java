/**
 * Support for the JDBC stores, {@code io.sessionstate.postgresql} and {@code
 * io.sessionstate.mysql}, with no API of its own: the pool a store owns and its options, the
 * set-once options their builders share, when a store starts and what closing it does, the rule for
 * configured names, the sweeper's schedule, and where connections come from. What differs between
 * the databases (the driver, its URL and timeouts, the SQL, how an error is told) each store
 * supplies as a {@link io.sessionstate.jdbc.JdbcDialect} and as the statements it runs.
 *
 * <p>The module exports this package to those two store modules only. Its types are public only so
 * that the stores' packages can use them; on the class path nothing stops other code from calling
 * them, but they are no API: they may change in any release without notice.
 */
@NullMarked
package io.sessionstate.jdbc;

import org.jspecify.annotations.NullMarked;
