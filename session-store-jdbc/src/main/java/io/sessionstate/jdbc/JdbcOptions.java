package io.sessionstate.jdbc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The options both JDBC stores' builders have: each may be set once, is checked when it is set, and
 * keeps its unset sentinel until then (null, or -1 for an int), so that "was it set?" never depends
 * on what the default is. {@link #resolve()} checks that the options fit together and puts the
 * defaults in the {@link Settings} it returns, never back into the options. A store keeps its own
 * options beside these, with {@link #requireUnset(boolean, String, Object)}. Not thread-safe.
 * Public for the stores' packages only; not an API.
 */
public final class JdbcOptions {

  // The unset sentinel of an int option.
  private static final int UNSET_INT = -1;

  /** The default table: {@value}. */
  public static final String DEFAULT_TABLE = "sessionstate_sessions";

  /** The default time between two sweeps: 1 minute. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);

  /** The default size of the store's own pool: {@value} connections. */
  public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;

  /** The default longest wait for a connection from the store's own pool: 5 seconds. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  /** The default driver connect timeout for the store's own pool: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The default driver socket timeout for the store's own pool: 30 seconds. */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);

  private final JdbcDialect dialect;
  private @Nullable DataSource dataSource;
  private @Nullable String jdbcUrl;
  private @Nullable String username;
  private @Nullable String password;
  private int maximumPoolSize = UNSET_INT;
  private @Nullable Duration connectionTimeout;
  private @Nullable Duration connectTimeout;
  private @Nullable Duration socketTimeout;
  private @Nullable Boolean tcpKeepAlive;
  private @Nullable String table;
  private @Nullable Boolean createSchema;
  private @Nullable Boolean sweeperEnabled;
  private @Nullable Duration sweepInterval;
  private int sweepBatchSize = UNSET_INT;
  private @Nullable ScheduledExecutorService sweeper;

  /**
   * Options with none set.
   *
   * @param dialect the store's dialect, whose rules the options are checked by
   */
  public JdbcOptions(JdbcDialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Everything a store's connections, lifecycle and sweeper are made of, each option at its value
   * or its default. Exactly one of {@code dataSource} and {@code pool} is null.
   *
   * @param dialect the store's dialect
   * @param dataSource the application's data source, or null for a pool of the store's own
   * @param pool the options of the store's own pool, or null for the application's data source
   * @param table the sessions table
   * @param createSchema whether the store creates its table on start
   * @param sweeperEnabled whether the store schedules the sweeper on start
   * @param sweepInterval the delay between sweeps
   * @param sweepBatchSize the most rows one sweep batch deletes
   * @param scheduler the application's scheduler for the sweeper, or null for one of its own
   */
  public record Settings(
      JdbcDialect dialect,
      @Nullable DataSource dataSource,
      OwnedPool.@Nullable Options pool,
      String table,
      boolean createSchema,
      boolean sweeperEnabled,
      Duration sweepInterval,
      int sweepBatchSize,
      @Nullable ScheduledExecutorService scheduler) {

    /**
     * {@return the database the store talks to: the application's data source, or a pool of its
     * own} A pool opens no connection before its first use.
     */
    public Database openDatabase() {
      if (dataSource != null) {
        return Database.of(dialect, dataSource);
      }
      if (pool != null) {
        return Database.owning(dialect, OwnedPool.open(dialect, pool));
      }
      throw new IllegalStateException("neither a dataSource nor a pool of the store's own");
    }

    /**
     * {@return a sweeper of {@code db} by these settings}
     *
     * @param db the store's database
     * @param rows the store's statements that delete expired rows
     * @param tableName the table as the sweeper's log line names it
     */
    public Sweeper sweeper(Database db, Sweeper.ExpiredRows rows, String tableName) {
      return new Sweeper(db, rows, tableName, sweepInterval, sweepBatchSize, scheduler);
    }
  }

  // Options whose value may be secret, or whose toString() may show a URL, are not quoted back.

  /**
   * Sets the application's data source.
   *
   * @param value the data source
   */
  public void dataSource(DataSource value) {
    requireUnset(dataSource == null, "dataSource");
    dataSource = requireNonNull(value, "dataSource");
  }

  /**
   * Sets the URL of the store's own pool, once the dialect accepts it.
   *
   * @param value the URL
   */
  public void jdbcUrl(String value) {
    requireUnset(jdbcUrl == null, "jdbcUrl");
    jdbcUrl = dialect.requireJdbcUrl(value);
  }

  /**
   * Sets the user of the store's own pool.
   *
   * @param value the user
   */
  public void username(String value) {
    requireUnset(username == null, "username");
    username = requireNonNull(value, "username");
  }

  /**
   * Sets the password of the store's own pool.
   *
   * @param value the password
   */
  public void password(String value) {
    requireUnset(password == null, "password");
    password = requireNonNull(value, "password");
  }

  /**
   * Sets the size of the store's own pool, at least 1.
   *
   * @param value the most connections
   */
  public void maximumPoolSize(int value) {
    requireUnset(maximumPoolSize == UNSET_INT, "maximumPoolSize", maximumPoolSize);
    maximumPoolSize = OwnedPool.requireMaximumPoolSize(value);
  }

  /**
   * Sets the longest wait for a pooled connection, at least 250 ms.
   *
   * @param value the longest wait
   */
  public void connectionTimeout(Duration value) {
    requireUnset(connectionTimeout == null, "connectionTimeout", connectionTimeout);
    connectionTimeout = OwnedPool.requireConnectionTimeout(value);
  }

  /**
   * Sets the driver's connect timeout, once the dialect accepts it.
   *
   * @param value the timeout
   */
  public void connectTimeout(Duration value) {
    requireUnset(connectTimeout == null, "connectTimeout", connectTimeout);
    connectTimeout = dialect.requireDriverTimeout("connectTimeout", value);
  }

  /**
   * Sets the driver's socket timeout, once the dialect accepts it.
   *
   * @param value the timeout
   */
  public void socketTimeout(Duration value) {
    requireUnset(socketTimeout == null, "socketTimeout", socketTimeout);
    socketTimeout = dialect.requireDriverTimeout("socketTimeout", value);
  }

  /**
   * Sets whether the store's own pool's connections use TCP keep-alive.
   *
   * @param value whether they do
   */
  public void tcpKeepAlive(boolean value) {
    requireUnset(tcpKeepAlive == null, "tcpKeepAlive", tcpKeepAlive);
    tcpKeepAlive = value;
  }

  /**
   * Sets the sessions table, a plain lowercase identifier short enough for its index's name.
   *
   * @param value the table's name
   */
  public void table(String value) {
    requireUnset(table == null, "table", table);
    table =
        Identifiers.require(
            "table", value, Identifiers.maxTableLength(dialect.maxIdentifierLength()));
  }

  /**
   * Sets whether the store creates its table on start.
   *
   * @param value whether it does
   */
  public void createSchema(boolean value) {
    requireUnset(createSchema == null, "createSchema", createSchema);
    createSchema = value;
  }

  /**
   * Sets whether the store runs the sweeper once started.
   *
   * @param value whether it does
   */
  public void sweeperEnabled(boolean value) {
    requireUnset(sweeperEnabled == null, "sweeperEnabled", sweeperEnabled);
    sweeperEnabled = value;
  }

  /**
   * Sets the delay between sweeps, positive and at most 365 days.
   *
   * @param value the delay
   */
  public void sweepInterval(Duration value) {
    requireUnset(sweepInterval == null, "sweepInterval", sweepInterval);
    sweepInterval = Sweeper.requireInterval(value);
  }

  /**
   * Sets the most rows one sweep batch deletes, from 1 to the dialect's most.
   *
   * @param value the batch size
   */
  public void sweepBatchSize(int value) {
    requireUnset(sweepBatchSize == UNSET_INT, "sweepBatchSize", sweepBatchSize);
    sweepBatchSize = Sweeper.requireBatchSize(value, dialect.maxSweepBatchSize());
  }

  /**
   * Sets the application's scheduler for the sweeper.
   *
   * @param value the scheduler
   */
  public void sweeper(ScheduledExecutorService value) {
    requireUnset(sweeper == null, "sweeper");
    sweeper = requireNonNull(value, "sweeper");
  }

  /**
   * {@return the settings of a store built now}
   *
   * @throws IllegalStateException if neither or both of {@code dataSource} and {@code jdbcUrl} are
   *     set, or a pool option is set with {@code dataSource}
   */
  public Settings resolve() {
    String url = jdbcUrl;
    if (dataSource == null && url == null) {
      throw new IllegalStateException("either dataSource or jdbcUrl must be set");
    }
    OwnedPool.Options pool = null;
    if (dataSource != null) {
      if (jdbcUrl != null) {
        throw new IllegalStateException("dataSource and jdbcUrl exclude each other: set one");
      }
      String poolOption = firstPoolOptionSet();
      if (poolOption != null) {
        throw new IllegalStateException(
            poolOption
                + " applies only to the store's own pool (jdbcUrl), not to a dataSource:"
                + " configure the data source itself");
      }
    } else if (url != null) {
      pool =
          new OwnedPool.Options(
              url,
              username,
              password,
              maximumPoolSize != UNSET_INT ? maximumPoolSize : DEFAULT_MAXIMUM_POOL_SIZE,
              or(connectionTimeout, DEFAULT_CONNECTION_TIMEOUT),
              or(connectTimeout, DEFAULT_CONNECT_TIMEOUT),
              or(socketTimeout, DEFAULT_SOCKET_TIMEOUT),
              or(tcpKeepAlive, Boolean.TRUE));
    }
    return new Settings(
        dialect,
        dataSource,
        pool,
        or(table, DEFAULT_TABLE),
        or(createSchema, Boolean.FALSE),
        or(sweeperEnabled, Boolean.TRUE),
        or(sweepInterval, DEFAULT_SWEEP_INTERVAL),
        sweepBatchSize != UNSET_INT ? sweepBatchSize : dialect.defaultSweepBatchSize(),
        sweeper);
  }

  /** The first of the own pool's options that is set, in the order the builders list them. */
  private @Nullable String firstPoolOptionSet() {
    if (username != null) {
      return "username";
    } else if (password != null) {
      return "password";
    } else if (maximumPoolSize != UNSET_INT) {
      return "maximumPoolSize";
    } else if (connectionTimeout != null) {
      return "connectionTimeout";
    } else if (connectTimeout != null) {
      return "connectTimeout";
    } else if (socketTimeout != null) {
      return "socketTimeout";
    } else if (tcpKeepAlive != null) {
      return "tcpKeepAlive";
    }
    return null;
  }

  /**
   * {@return {@code value}, or {@code fallback} where it is null}
   *
   * @param <T> the option's type
   * @param value the option's value, or null if unset
   * @param fallback the option's default
   */
  public static <T> T or(@Nullable T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static void requireUnset(boolean unset, String option) {
    if (!unset) {
      throw new IllegalStateException(option + " was already set");
    }
  }

  /**
   * Refuses a second value for an option.
   *
   * @param unset whether the option is unset
   * @param option the option's name
   * @param current the option's value, which the message quotes
   * @throws IllegalStateException if it is set: "{@code option} was already set to {@code current}"
   */
  public static void requireUnset(boolean unset, String option, @Nullable Object current) {
    if (!unset) {
      throw new IllegalStateException(option + " was already set to " + current);
    }
  }
}
