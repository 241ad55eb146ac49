package io.sessionstate.mysql;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that passes every call on to a real pool and counts what reaches the server: each
 * statement executed, and each transaction control ({@code setAutoCommit(false)}, which makes the
 * driver send {@code BEGIN}, {@code commit()}, {@code rollback()}). A decorator, not a mock.
 */
final class CountingDataSource implements DataSource {
  private final DataSource delegate;
  final AtomicInteger statements = new AtomicInteger();
  final AtomicInteger transactionControls = new AtomicInteger();
  final List<String> sql = new CopyOnWriteArrayList<>();

  CountingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  void reset() {
    statements.set(0);
    transactionControls.set(0);
    sql.clear();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  private Connection wrap(Connection connection) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("commit")
              || name.equals("rollback")
              || (name.equals("setAutoCommit") && Boolean.FALSE.equals(args[0]))) {
            transactionControls.incrementAndGet();
          }
          Object result = invoke(connection, method, args);
          if (result instanceof Statement statement
              && (name.equals("prepareStatement") || name.equals("createStatement"))) {
            String text = name.equals("prepareStatement") ? (String) args[0] : null;
            return wrap(statement, method.getReturnType(), text);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private Object wrap(Statement statement, Class<?> type, String prepared) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().startsWith("execute")) {
            statements.incrementAndGet();
            sql.add(prepared != null ? prepared : String.valueOf(args == null ? null : args[0]));
          }
          return invoke(statement, method, args);
        };
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
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
