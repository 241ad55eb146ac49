package io.sessionstate.tck;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A data source that passes every call on to a real one and counts what reaches the server: each
 * statement executed (with its SQL), each transaction start ({@code setAutoCommit(false)}) and each
 * transaction end ({@code commit()} or {@code rollback()}). The connections it hands out and their
 * statements are dynamic proxies over the real ones. A decorator, not a mock.
 *
 * <p>A round trip, as {@link #roundTrips()} counts it, is a statement execution or a transaction's
 * end: PostgreSQL's driver sends the {@code BEGIN} together with the first statement, so a
 * transaction's start costs none of its own.
 *
 * <p>Thread-safe. Null arguments are passed on for the real data source to reject.
 */
public final class CountingDataSource implements DataSource {
  private static final Set<String> EXECUTIONS =
      Set.of(
          "execute",
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "executeBatch",
          "executeLargeBatch");

  private final DataSource delegate;
  private final AtomicInteger statements = new AtomicInteger();
  private final AtomicInteger transactionStarts = new AtomicInteger();
  private final AtomicInteger transactionEnds = new AtomicInteger();
  private final List<String> sql = new CopyOnWriteArrayList<>();

  private CountingDataSource(DataSource delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  /**
   * Counts what passes through {@code dataSource}.
   *
   * @return a new counting data source with every count at zero
   * @throws NullPointerException if {@code dataSource} is null
   */
  public static CountingDataSource wrap(DataSource dataSource) {
    return new CountingDataSource(dataSource);
  }

  /** Statements executed, a batch counting once. */
  public int statements() {
    return statements.get();
  }

  /**
   * The SQL of each statement executed, oldest first: a prepared statement's text, or what was
   * passed to {@code execute}; {@code "null"} for a plain statement's batch.
   *
   * @return an unmodifiable snapshot
   */
  public List<String> sql() {
    return List.copyOf(sql);
  }

  /** Calls of {@code setAutoCommit(false)}, which make the driver begin a transaction. */
  public int transactionStarts() {
    return transactionStarts.get();
  }

  /** Calls of {@code commit()} and {@code rollback()}. */
  public int transactionEnds() {
    return transactionEnds.get();
  }

  /** Transaction starts and ends together. */
  public int transactionControls() {
    return transactionStarts() + transactionEnds();
  }

  /** Statements executed plus transaction ends: the round trips a PostgreSQL client makes. */
  public int roundTrips() {
    return statements() + transactionEnds();
  }

  /** Sets every count to zero and forgets the SQL seen. */
  public void reset() {
    statements.set(0);
    transactionStarts.set(0);
    transactionEnds.set(0);
    sql.clear();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return counted(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return counted(delegate.getConnection(username, password));
  }

  private Connection counted(Connection connection) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("commit") || name.equals("rollback")) {
            transactionEnds.incrementAndGet();
          } else if (name.equals("setAutoCommit") && Boolean.FALSE.equals(args[0])) {
            transactionStarts.incrementAndGet();
          }
          Object result = invoke(connection, method, args);
          if (result instanceof Statement statement) {
            String text =
                name.equals("prepareStatement") || name.equals("prepareCall")
                    ? (String) args[0]
                    : null;
            // Statement, PreparedStatement or CallableStatement: the type the method declared.
            return counted(statement, method.getReturnType(), text);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private Object counted(Statement statement, Class<?> type, @Nullable String prepared) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (EXECUTIONS.contains(method.getName())) {
            statements.incrementAndGet();
            sql.add(
                prepared != null
                    ? prepared
                    : String.valueOf(args == null || args.length == 0 ? null : args[0]));
          }
          return invoke(statement, method, args);
        };
    return Proxy.newProxyInstance(
        CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
