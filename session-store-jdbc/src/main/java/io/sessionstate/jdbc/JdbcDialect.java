package io.sessionstate.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * What a JDBC store tells the shared code about its database: its name, its driver and the rules
 * for its URL and timeouts, the limits of its names and sweeps, and how a failed statement is told.
 * Public for the stores' packages only; not an API. Implementations are stateless and thread-safe.
 */
public abstract class JdbcDialect {

  private final String storeName;
  private final Class<?> storeClass;
  private final String driverClassName;
  private final int maxIdentifierLength;
  private final int maxSweepBatchSize;
  private final int defaultSweepBatchSize;

  /**
   * A dialect with these facts of its store and server.
   *
   * @param storeName the store's name: the store of its errors, and part of its pool's and sweeper
   *     thread's names
   * @param storeClass the store's class, whose logger the sweeper logs to
   * @param driverClassName the JDBC driver's class, for the store's own pool
   * @param maxIdentifierLength the longest identifier the server keeps without truncating it
   * @param maxSweepBatchSize the most expired rows one sweep batch may delete
   * @param defaultSweepBatchSize the number of expired rows one sweep batch deletes by default
   */
  protected JdbcDialect(
      String storeName,
      Class<?> storeClass,
      String driverClassName,
      int maxIdentifierLength,
      int maxSweepBatchSize,
      int defaultSweepBatchSize) {
    this.storeName = storeName;
    this.storeClass = storeClass;
    this.driverClassName = driverClassName;
    this.maxIdentifierLength = maxIdentifierLength;
    this.maxSweepBatchSize = maxSweepBatchSize;
    this.defaultSweepBatchSize = defaultSweepBatchSize;
  }

  /**
   * {@return the store's name: the store of its errors, and part of its pool's and sweeper thread's
   * names}
   */
  public final String storeName() {
    return storeName;
  }

  /** {@return the store's class, whose logger the sweeper logs to} */
  public final Class<?> storeClass() {
    return storeClass;
  }

  /** {@return the JDBC driver's class name, for the store's own pool} */
  public final String driverClassName() {
    return driverClassName;
  }

  /** {@return the longest identifier the server keeps without truncating it} */
  public final int maxIdentifierLength() {
    return maxIdentifierLength;
  }

  /** {@return the most expired rows one sweep batch may delete} */
  public final int maxSweepBatchSize() {
    return maxSweepBatchSize;
  }

  /** {@return the number of expired rows one sweep batch deletes by default} */
  public final int defaultSweepBatchSize() {
    return defaultSweepBatchSize;
  }

  /**
   * Checks a JDBC URL for the store's own pool, without quoting it back (it may carry a password).
   *
   * @param jdbcUrl the URL, not null
   * @return the URL
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if the driver refuses it or it sets an option the builder sets
   */
  public abstract String requireJdbcUrl(String jdbcUrl);

  /**
   * Checks a timeout the driver holds ({@code connectTimeout}, {@code socketTimeout}).
   *
   * @param option the option's name, for the messages
   * @param value the timeout
   * @return the timeout
   * @throws NullPointerException if it is null, naming the option
   * @throws IllegalArgumentException if the driver cannot hold it
   */
  public abstract Duration requireDriverTimeout(String option, Duration value);

  /**
   * {@return the driver's data source properties for the store's own pool: the timeouts and
   * keep-alive of {@code options}, and whatever else the store sets}
   *
   * @param options the pool's options
   */
  public abstract Map<String, String> driverProperties(OwnedPool.Options options);

  /**
   * {@return how a store error tells {@code e}: its SQL state and what of its message may be shown,
   * never a value it quotes (a session key may be among them)}
   *
   * @param e the failure
   */
  public abstract String describe(SQLException e);
}
