package io.sessionstate.example.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * Two nodes sharing the PostgreSQL database {@code test} at 127.0.0.1:5432, in a table of their
 * own.
 */
class PostgresqlTwoNodesIT extends TwoNodesContract {

  private final String table =
      "sample_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

  @Override
  Map<String, Object> storeProperties() {
    return Map.of("sessionstate.store", "postgresql", "sessionstate.postgresql.table", table);
  }

  @Override
  void cleanUp() throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
        Statement s = c.createStatement()) {
      // The principal index's side table references the sessions table: it goes first.
      s.execute("DROP TABLE IF EXISTS public." + table + "_principals");
      s.execute("DROP TABLE IF EXISTS public." + table);
    }
  }
}
