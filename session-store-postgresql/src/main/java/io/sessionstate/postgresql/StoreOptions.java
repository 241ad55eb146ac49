package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The options of a {@link PostgresSessionStore.Builder}: each may be set once, is checked when it
 * is set, and keeps its unset sentinel until then (null, or {@link #UNSET_INT} for an int), so that
 * "was it set?" never depends on what the default is. {@link #resolve()} checks that the options
 * fit together and puts the defaults in the {@link Settings} it returns, never back into the
 * options. Not thread-safe.
 */
final class StoreOptions {

  static final int UNSET_INT = -1;

  private @Nullable DataSource dataSource;
  private @Nullable String jdbcUrl;
  private @Nullable String username;
  private @Nullable String password;
  private int maximumPoolSize = UNSET_INT;
  private @Nullable Duration connectionTimeout;
  private @Nullable Duration connectTimeout;
  private @Nullable Duration socketTimeout;
  private @Nullable Boolean tcpKeepAlive;
  private @Nullable String schema;
  private @Nullable String table;
  private @Nullable Boolean createSchema;
  private @Nullable Boolean unlogged;
  private @Nullable Boolean sweeperEnabled;
  private @Nullable Duration sweepInterval;
  private int sweepBatchSize = UNSET_INT;
  private @Nullable ScheduledExecutorService sweeper;

  /**
   * Everything a store is made of, each option at its value or its default. Exactly one of {@code
   * dataSource} and {@code pool} is null; {@code scheduler} is null where the sweeper makes its
   * own.
   */
  record Settings(
      @Nullable DataSource dataSource,
      OwnedPool.@Nullable Options pool,
      String schema,
      String table,
      boolean createSchema,
      boolean unlogged,
      boolean sweeperEnabled,
      Duration sweepInterval,
      int sweepBatchSize,
      @Nullable ScheduledExecutorService scheduler) {
    /** The database the store talks to: the application's data source, or a pool of its own. */
    Database openDatabase() {
      if (dataSource != null) {
        return Database.of(dataSource);
      }
      if (pool != null) {
        return Database.owning(OwnedPool.open(pool));
      }
      throw new IllegalStateException("neither a dataSource nor a pool of the store's own");
    }
  }

  // Options whose value may be secret, or whose toString() may show a URL, are not quoted back.

  void dataSource(DataSource value) {
    requireUnset(dataSource == null, "dataSource");
    dataSource = requireNonNull(value, "dataSource");
  }

  void jdbcUrl(String value) {
    requireUnset(jdbcUrl == null, "jdbcUrl");
    jdbcUrl = OwnedPool.requireJdbcUrl(value);
  }

  void username(String value) {
    requireUnset(username == null, "username");
    username = requireNonNull(value, "username");
  }

  void password(String value) {
    requireUnset(password == null, "password");
    password = requireNonNull(value, "password");
  }

  void maximumPoolSize(int value) {
    requireUnset(maximumPoolSize == UNSET_INT, "maximumPoolSize", maximumPoolSize);
    maximumPoolSize = OwnedPool.requireMaximumPoolSize(value);
  }

  void connectionTimeout(Duration value) {
    requireUnset(connectionTimeout == null, "connectionTimeout", connectionTimeout);
    connectionTimeout = OwnedPool.requireConnectionTimeout(value);
  }

  void connectTimeout(Duration value) {
    requireUnset(connectTimeout == null, "connectTimeout", connectTimeout);
    connectTimeout = OwnedPool.requireDriverTimeout("connectTimeout", value);
  }

  void socketTimeout(Duration value) {
    requireUnset(socketTimeout == null, "socketTimeout", socketTimeout);
    socketTimeout = OwnedPool.requireDriverTimeout("socketTimeout", value);
  }

  void tcpKeepAlive(boolean value) {
    requireUnset(tcpKeepAlive == null, "tcpKeepAlive", tcpKeepAlive);
    tcpKeepAlive = value;
  }

  void schema(String value) {
    requireUnset(schema == null, "schema", schema);
    schema = Identifiers.require("schema", value, Identifiers.MAX_LENGTH);
  }

  void table(String value) {
    requireUnset(table == null, "table", table);
    table = Identifiers.require("table", value, Identifiers.MAX_TABLE_LENGTH);
  }

  void createSchema(boolean value) {
    requireUnset(createSchema == null, "createSchema", createSchema);
    createSchema = value;
  }

  void unlogged(boolean value) {
    requireUnset(unlogged == null, "unlogged", unlogged);
    unlogged = value;
  }

  void sweeperEnabled(boolean value) {
    requireUnset(sweeperEnabled == null, "sweeperEnabled", sweeperEnabled);
    sweeperEnabled = value;
  }

  void sweepInterval(Duration value) {
    requireUnset(sweepInterval == null, "sweepInterval", sweepInterval);
    sweepInterval = Sweeper.requireInterval(value);
  }

  void sweepBatchSize(int value) {
    requireUnset(sweepBatchSize == UNSET_INT, "sweepBatchSize", sweepBatchSize);
    sweepBatchSize = Sweeper.requireBatchSize(value);
  }

  void sweeper(ScheduledExecutorService value) {
    requireUnset(sweeper == null, "sweeper");
    sweeper = requireNonNull(value, "sweeper");
  }

  /**
   * The settings of a store built now.
   *
   * @throws IllegalStateException if neither or both of {@code dataSource} and {@code jdbcUrl} are
   *     set, or a pool option is set with {@code dataSource}
   */
  Settings resolve() {
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
              maximumPoolSize != UNSET_INT
                  ? maximumPoolSize
                  : PostgresSessionStore.DEFAULT_MAXIMUM_POOL_SIZE,
              or(connectionTimeout, PostgresSessionStore.DEFAULT_CONNECTION_TIMEOUT),
              or(connectTimeout, PostgresSessionStore.DEFAULT_CONNECT_TIMEOUT),
              or(socketTimeout, PostgresSessionStore.DEFAULT_SOCKET_TIMEOUT),
              or(tcpKeepAlive, Boolean.TRUE));
    }
    return new Settings(
        dataSource,
        pool,
        or(schema, PostgresSessionStore.DEFAULT_SCHEMA),
        or(table, PostgresSessionStore.DEFAULT_TABLE),
        or(createSchema, Boolean.FALSE),
        or(unlogged, Boolean.FALSE),
        or(sweeperEnabled, Boolean.TRUE),
        or(sweepInterval, PostgresSessionStore.DEFAULT_SWEEP_INTERVAL),
        sweepBatchSize != UNSET_INT
            ? sweepBatchSize
            : PostgresSessionStore.DEFAULT_SWEEP_BATCH_SIZE,
        sweeper);
  }

  /** The first of the own pool's options that is set, in the order the builder lists them. */
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

  private static <T> T or(@Nullable T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static void requireUnset(boolean unset, String option) {
    if (!unset) {
      throw new IllegalStateException(option + " was already set");
    }
  }

  private static void requireUnset(boolean unset, String option, @Nullable Object current) {
    if (!unset) {
      throw new IllegalStateException(option + " was already set to " + current);
    }
  }
}
