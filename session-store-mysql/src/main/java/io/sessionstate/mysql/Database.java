package io.sessionstate.mysql;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionstate.SessionStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where a store's connections come from (the application's data source, or a pool the store owns),
 * and how a failed statement becomes a {@link SessionStoreException}. Thread-safe.
 */
final class Database {

  // ER_DUP_ENTRY: its message quotes the duplicate value, which may be a session key.
  private static final int DUPLICATE_ENTRY = 1062;

  private final DataSource dataSource;
  private final @Nullable HikariDataSource ownedPool;

  private Database(DataSource dataSource, @Nullable HikariDataSource ownedPool) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
  }

  /** The application's data source, which {@link #close()} leaves open. */
  static Database of(DataSource dataSource) {
    return new Database(dataSource, null);
  }

  /** A pool of the store's own, which {@link #close()} closes. */
  static Database owning(HikariDataSource pool) {
    return new Database(pool, pool);
  }

  boolean ownsPool() {
    return ownedPool != null;
  }

  /**
   * A connection in autocommit, so that each single statement is its own transaction with no START
   * TRANSACTION or COMMIT sent around it. A caller's pool may hand out connections with autocommit
   * off.
   */
  Connection autocommit() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** Statements that run together in one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

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

  /** Closes the pool if the store owns it. */
  void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  static SessionStoreException failure(String operation, SQLException e) {
    return failure(operation, null, e);
  }

  /**
   * The store error for {@code e}, with {@code what} (if not null) before the SQL state and the
   * server's error code.
   */
  static SessionStoreException failure(String operation, @Nullable String what, SQLException e) {
    String state = e.getSQLState() == null ? "unknown" : e.getSQLState();
    String message;
    if (e.getErrorCode() == DUPLICATE_ENTRY) {
      message = "duplicate entry (the value is not shown)";
    } else {
      message = String.valueOf(e.getMessage());
      int newline = message.indexOf('\n');
      if (newline >= 0) {
        message = message.substring(0, newline);
      }
    }
    String detail =
        (what == null ? "" : what + ": ")
            + "SQL state "
            + state
            + " (error "
            + e.getErrorCode()
            + "): "
            + message;
    return new SessionStoreException(MySqlSessionStore.NAME, operation, detail, e);
  }

  static SessionStoreException closed(String operation) {
    return new SessionStoreException(
        MySqlSessionStore.NAME, operation, "the store is closed", null);
  }
}
