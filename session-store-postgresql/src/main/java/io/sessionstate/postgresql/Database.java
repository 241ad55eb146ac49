package io.sessionstate.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionstate.SessionStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where a store's connections come from (the application's data source, or a pool the store owns),
 * and how a failed statement becomes a {@link SessionStoreException}. Thread-safe.
 */
final class Database {

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
   * A connection in autocommit, so that each single statement is its own transaction with no BEGIN
   * or COMMIT sent around it. A caller's pool may hand out connections with autocommit off.
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

  /** A connection as the data source hands it out, for work that runs its own transaction. */
  Connection connection() throws SQLException {
    return dataSource.getConnection();
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

  /** The store error for {@code e}, with {@code what} (if not null) before the SQL state. */
  static SessionStoreException failure(String operation, @Nullable String what, SQLException e) {
    String state = e.getSQLState() == null ? "unknown" : e.getSQLState();
    String message = String.valueOf(e.getMessage());
    // The driver puts a server error's detail and hint on lines of their own; they may quote
    // values, so only the first line is kept.
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    String detail = (what == null ? "" : what + ": ") + "SQL state " + state + ": " + message;
    return new SessionStoreException(PostgresSessionStore.NAME, operation, detail, e);
  }

  static SessionStoreException closed(String operation) {
    return new SessionStoreException(
        PostgresSessionStore.NAME, operation, "the store is closed", null);
  }
}
