package io.sessionstate.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Counts the round trips a JDBC user makes: every statement execution and every {@code commit} or
 * {@code rollback} (a transaction's end is a round trip of its own; PostgreSQL's driver sends the
 * {@code BEGIN} together with the first statement, so a transaction's start is not). Wraps a {@link
 * DataSource}, the connections it hands out and their statements in dynamic proxies; used only
 * while round trips are counted, never while times are measured.
 */
final class CountingDataSource {
  private static final Set<String> EXECUTIONS =
      Set.of(
          "execute",
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "executeBatch",
          "executeLargeBatch");
  private static final Set<String> TRANSACTION_ENDS = Set.of("commit", "rollback");

  private CountingDataSource() {}

  static DataSource wrap(DataSource dataSource, AtomicLong count) {
    return proxy(DataSource.class, dataSource, count);
  }

  private static <T> T proxy(Class<T> type, T target, AtomicLong count) {
    InvocationHandler handler =
        (Object self, Method method, Object[] args) -> {
          String name = method.getName();
          if (EXECUTIONS.contains(name) || TRANSACTION_ENDS.contains(name)) {
            count.incrementAndGet();
          }
          Object result;
          try {
            result = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          return wrapResult(method.getReturnType(), result, count);
        };
    return type.cast(
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static @Nullable Object wrapResult(
      Class<?> type, @Nullable Object result, AtomicLong count) {
    if (result == null) {
      return null;
    }
    if (type == Connection.class) {
      return proxy(Connection.class, (Connection) result, count);
    }
    if (Statement.class.isAssignableFrom(type)) {
      return proxyStatement(type, result, count);
    }
    return result;
  }

  // Statement, PreparedStatement and CallableStatement: proxy the interface the method declared.
  private static <T> T proxyStatement(Class<T> type, Object result, AtomicLong count) {
    return proxy(type, type.cast(result), count);
  }
}
