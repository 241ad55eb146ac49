package io.sessionstate.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionstate.SessionStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where a store's connections come from (the application's data source, or a pool the store owns),
 * and how a failed statement becomes a {@link SessionStoreException} naming the store. Thread-safe.
 * Public for the stores' packages only; not an API.
 */
public final class Database {

  private final JdbcDialect dialect;
  private final DataSource dataSource;
  private final @Nullable HikariDataSource ownedPool;

  private Database(
      JdbcDialect dialect, DataSource dataSource, @Nullable HikariDataSource ownedPool) {
    this.dialect = dialect;
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
  }

  /**
   * {@return the application's data source, which {@link #close()} leaves open}
   *
   * @param dialect the store's dialect
   * @param dataSource the application's data source
   */
  public static Database of(JdbcDialect dialect, DataSource dataSource) {
    return new Database(dialect, dataSource, null);
  }

  /** A pool of the store's own, which {@link #close()} closes. */
  static Database owning(JdbcDialect dialect, HikariDataSource pool) {
    return new Database(dialect, pool, pool);
  }

  /** The store's dialect. */
  JdbcDialect dialect() {
    return dialect;
  }

  /** {@return whether the store owns its pool, which {@link #close()} then closes} */
  public boolean ownsPool() {
    return ownedPool != null;
  }

  /**
   * A connection in autocommit, so that each single statement is its own transaction with no
   * statement to begin or commit sent around it. A caller's pool may hand out connections with
   * autocommit off.
   *
   * @return a connection in autocommit, which the caller closes
   * @throws SQLException if none can be had
   */
  public Connection autocommit() throws SQLException {
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

  /**
   * A connection as the data source hands it out, for work that runs its own transaction.
   *
   * @return a connection, which the caller closes
   * @throws SQLException if none can be had
   */
  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** Closes the pool if the store owns it. */
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  /**
   * {@return the store error for {@code e}}
   *
   * @param operation the operation that failed
   * @param e the failure
   */
  public SessionStoreException failure(String operation, SQLException e) {
    return failure(operation, null, e);
  }

  /**
   * {@return the store error for {@code e}, with {@code what} (if not null) before what the dialect
   * tells of it}
   *
   * @param operation the operation that failed
   * @param what what failed, or null
   * @param e the failure
   */
  public SessionStoreException failure(String operation, @Nullable String what, SQLException e) {
    String detail = (what == null ? "" : what + ": ") + dialect.describe(e);
    return new SessionStoreException(dialect.storeName(), operation, detail, e);
  }

  /**
   * {@return the store error for an operation on a closed store}
   *
   * @param operation the operation refused
   */
  public SessionStoreException closed(String operation) {
    return new SessionStoreException(dialect.storeName(), operation, "the store is closed", null);
  }

  /**
   * {@return the first line of {@code e}'s message} A driver puts a server error's detail and hint
   * on lines of their own, and they may quote values.
   *
   * @param e the failure
   */
  public static String firstLine(SQLException e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline >= 0 ? message.substring(0, newline) : message;
  }
}
