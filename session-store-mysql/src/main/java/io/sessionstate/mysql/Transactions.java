package io.sessionstate.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Predicate;

/** Statements that run together in one transaction, where MySQL has no single statement for it. */
final class Transactions {

  /** Statements that run together in one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private Transactions() {}

  /**
   * Runs {@code work} in one transaction on {@code c}, a connection in autocommit: commits if
   * {@code keep} accepts its result, else rolls back; rolls back if it fails. Autocommit is back on
   * before the connection goes back to the pool, whatever happened.
   */
  static <T> T inTransaction(Connection c, Work<T> work, Predicate<T> keep) throws SQLException {
    c.setAutoCommit(false);
    T result;
    try {
      result = work.run(c);
      if (keep.test(result)) {
        c.commit();
      } else {
        c.rollback();
      }
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollingBack) {
        e.addSuppressed(rollingBack);
      }
      try {
        c.setAutoCommit(true);
      } catch (SQLException restoring) {
        e.addSuppressed(restoring);
      }
      throw e;
    }
    c.setAutoCommit(true);
    return result;
  }
}
