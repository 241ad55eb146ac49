package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import io.sessionstate.jdbc.Database;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Creating the sessions table and its index against the shared server, each test in its own. */
class SchemaInstallerIT {
  private final String table = Postgres.uniqueTable("install");

  @AfterEach
  void dropTable() {
    Postgres.dropTable(table);
  }

  @Test
  void install_createsTheTableAndItsIndex() {
    installer(Postgres.dataSource(), "public", false).install("start");

    assertThat(Postgres.query("SELECT to_regclass(?)::text", "public." + table)).hasValue(table);
    assertThat(Postgres.query("SELECT to_regclass(?)::text", "public." + table + "_expires_at_idx"))
        .hasValue(table + "_expires_at_idx");
    assertThat(persistence()).isEqualTo("p");
    assertThat(
            Postgres.query(
                "SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable, ', '"
                    + " ORDER BY ordinal_position) FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND table_name = ?",
                table))
        .hasValue(
            "session_key text NO, blob bytea YES, expires_at timestamp with time zone NO,"
                + " version bigint NO");
  }

  @Test
  void install_unlogged_createsAnUnloggedTable() {
    installer(Postgres.dataSource(), "public", true).install("start");

    assertThat(persistence()).isEqualTo("u");
  }

  @Test
  void install_again_keepsTheRows() {
    SchemaInstaller installer = installer(Postgres.dataSource(), "public", false);
    installer.install("start");
    Postgres.execute(
        "INSERT INTO public." + table + " VALUES ('k', '\\x01', now() + interval '1 minute')");

    installer.install("start");

    assertThat(Postgres.queryLong("SELECT count(*) FROM public." + table)).isEqualTo(1);
  }

  @Test
  void install_onATableWithoutItsIndex_createsTheIndex() {
    Postgres.execute(new Statements("public", table, false).createTable);

    installer(Postgres.dataSource(), "public", false).install("start");

    assertThat(Postgres.query("SELECT to_regclass(?)::text", "public." + table + "_expires_at_idx"))
        .hasValue(table + "_expires_at_idx");
  }

  @Test
  void install_fromManyNodesAtOnce_succeedsOnEach() throws Exception {
    // Without the advisory lock, concurrent CREATE TABLE IF NOT EXISTS can fail on the catalog's
    // unique index ("duplicate key value violates unique constraint pg_type_typname_nsp_index").
    int nodes = 8;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> installs = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++) {
        SchemaInstaller installer = installer(Postgres.dataSource(), "public", false);
        installs.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                  }
                  installer.install("start");
                },
                pool));
      }
      go.countDown();
      CompletableFuture.allOf(installs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(Postgres.query("SELECT to_regclass(?)::text", "public." + table + "_expires_at_idx"))
        .hasValue(table + "_expires_at_idx");
  }

  @Test
  void install_onAConnectionWithoutAutocommit_commits_andLeavesAutocommitOff() throws Exception {
    try (Connection connection = Postgres.connect()) {
      connection.setAutoCommit(false);

      installer(new OneConnection(connection), "public", false).install("start");

      assertThat(connection.getAutoCommit()).isFalse();
      connection.rollback();
    }
    assertThat(Postgres.query("SELECT to_regclass(?)::text", "public." + table)).hasValue(table);
  }

  @Test
  void install_thatFails_isAStoreError_rollsBack_andRestoresAutocommit() throws Exception {
    String schema = Postgres.uniqueTable("missing");
    try (Connection connection = Postgres.connect()) {
      SchemaInstaller installer = installer(new OneConnection(connection), schema, false);

      assertThatThrownBy(() -> installer.install("start"))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessage(
              "postgresql store failed to start: could not create the sessions table:"
                  + " SQL state 3F000: ERROR: schema \""
                  + schema
                  + "\" does not exist");

      assertThat(connection.getAutoCommit()).isTrue();
      // A transaction left open and aborted would refuse this.
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  private SchemaInstaller installer(DataSource dataSource, String schema, boolean unlogged) {
    return new SchemaInstaller(
        Database.of(PostgresDialect.INSTANCE, dataSource),
        new Statements(schema, table, unlogged),
        schema,
        table);
  }

  private String persistence() {
    return Postgres.query(
            "SELECT relpersistence::text FROM pg_class WHERE oid = to_regclass(?)",
            "public." + table)
        .orElseThrow();
  }

  /** Hands out one connection, whose close() is left to the test. */
  private static final class OneConnection implements DataSource {
    private final Connection connection;

    OneConnection(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Connection getConnection() {
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("close")) {
                  return null;
                }
                try {
                  return method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    @Override
    public Connection getConnection(String username, String password) {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
