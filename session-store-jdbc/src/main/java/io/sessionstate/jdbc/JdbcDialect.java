package io.sessionstate.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * What a JDBC store tells the shared code about its database: its name, its driver and the rules
 * for its URL and timeouts, the limits of its names and sweeps, and how a failed statement is told.
 * Public for the stores' packages only; not an API. Implementations are stateless and thread-safe.
 */
public interface JdbcDialect {

  /**
   * {@return the store's name: the store of its errors, and part of its pool's and sweeper thread's
   * names}
   */
  String storeName();

  /** {@return the store's class, whose logger the sweeper logs to} */
  Class<?> storeClass();

  /** {@return the longest identifier the server keeps without truncating it} */
  int maxIdentifierLength();

  /** {@return the most expired rows one sweep batch may delete} */
  int maxSweepBatchSize();

  /** {@return the number of expired rows one sweep batch deletes by default} */
  int defaultSweepBatchSize();

  /** {@return the JDBC driver's class name, for the store's own pool} */
  String driverClassName();

  /**
   * Checks a JDBC URL for the store's own pool, without quoting it back (it may carry a password).
   *
   * @param jdbcUrl the URL, not null
   * @return the URL
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if the driver refuses it or it sets an option the builder sets
   */
  String requireJdbcUrl(String jdbcUrl);

  /**
   * Checks a timeout the driver holds ({@code connectTimeout}, {@code socketTimeout}).
   *
   * @param option the option's name, for the messages
   * @param value the timeout
   * @return the timeout
   * @throws NullPointerException if it is null, naming the option
   * @throws IllegalArgumentException if the driver cannot hold it
   */
  Duration requireDriverTimeout(String option, Duration value);

  /**
   * {@return the driver's data source properties for the store's own pool: the timeouts and
   * keep-alive of {@code options}, and whatever else the store sets}
   *
   * @param options the pool's options
   */
  Map<String, String> driverProperties(OwnedPool.Options options);

  /**
   * {@return how a store error tells {@code e}: its SQL state and what of its message may be shown,
   * never a value it quotes (a session key may be among them)}
   *
   * @param e the failure
   */
  String describe(SQLException e);
}
