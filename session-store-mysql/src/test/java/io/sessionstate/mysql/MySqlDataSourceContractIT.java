package io.sessionstate.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract suite through an application's data source that hands out connections with
 * autocommit off, with the slide throttle at zero: every load writes the expiry.
 */
class MySqlDataSourceContractIT extends MySqlContractBase {
  private static final String TABLE = MySql.uniqueTable("tck_ds");
  private static HikariDataSource pool;

  @AfterAll
  static void dropTable() {
    MySql.dropTable(TABLE);
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  String table() {
    return TABLE;
  }

  @Override
  MySqlSessionStore newStore() {
    synchronized (MySqlDataSourceContractIT.class) {
      if (pool == null) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(MySql.jdbcUrl());
        config.setAutoCommit(false);
        config.setMaximumPoolSize(8);
        pool = new HikariDataSource(config);
      }
    }
    return MySqlSessionStore.builder()
        .dataSource(pool)
        .table(TABLE)
        .createSchema(true)
        .slideThrottle(Duration.ZERO)
        .build()
        .start();
  }
}
