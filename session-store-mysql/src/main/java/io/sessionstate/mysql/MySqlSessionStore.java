package io.sessionstate.mysql;

import io.sessionstate.SessionStoreException;
import io.sessionstate.jdbc.JdbcOptions;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A session store in one MySQL or MariaDB (InnoDB) table: {@code (session_key VARBINARY(255)
 * primary key, session_data LONGBLOB, expires_at DATETIME(3))} with an index on {@code expires_at}.
 * Keys are stored as their UTF-8 bytes and compare byte for byte. Expiry is computed by the
 * database's clock in UTC, so app nodes with skewed clocks, or sessions in other time zones, agree.
 *
 * <p>Each operation is one short statement in autocommit (the {@linkplain io.sessionstate.mysql
 * package} lists them, with the versions and tombstones). A load is one {@code SELECT} that returns
 * the blob and whether its expiry must slide; only then does a second statement, an {@code UPDATE},
 * slide it: MySQL has no {@code UPDATE ... RETURNING}, and a write costs a durable commit. Every
 * write of a session sets its expiry to now + TTL + {@link Builder#slideThrottle(Duration) the
 * slide's margin} (a twentieth of the TTL by default), and a load or a touch writes it again only
 * when it lies outside [now + TTL, now + TTL + margin]. <b>A session never expires earlier than its
 * idle timeout after its last request, and at most the margin later</b> (1 minute of the default
 * 20). A background sweeper deletes expired rows in small batches by primary key, so it never
 * deadlocks with a request or with another node's sweeper.
 *
 * <p>The store connects through the application's {@link DataSource} ({@link Builder#dataSource})
 * or a HikariCP pool of its own over MariaDB Connector/J ({@link Builder#jdbcUrl}) whose waits are
 * all bounded. It works with MariaDB 10.6 and later and MySQL 8.0 and later. Building it opens no
 * connection and starts no thread: it <em>starts</em> on {@link #start()} or on its first
 * operation, and then creates the table if {@link Builder#createSchema(boolean) asked to} and
 * schedules the sweeper. {@link #close()} stops the sweeper and closes what the store made (its
 * pool, its scheduler), never a {@link DataSource} or scheduler passed to the builder; a closed
 * store fails every operation at once with {@link SessionStoreException}, saying it is closed.
 *
 * <p>Thread-safe. Every method throws {@link NullPointerException} for a null argument, and {@link
 * IllegalArgumentException} for a key to save wider than 255 bytes in UTF-8 (a wider key is never
 * found, touched or deleted: it cannot be there). Blobs are copied on the way in and out. Every
 * failure of the database is a {@link SessionStoreException} naming the store ({@code mysql}), the
 * operation, the SQL state and the server's error code; messages never contain a session key or a
 * blob.
 */
public final class MySqlSessionStore extends StoreCore
    implements ReplacingSessionStore, VersionedSessionStore {

  /** The default table: {@value}. */
  public static final String DEFAULT_TABLE = JdbcOptions.DEFAULT_TABLE;

  /** The default time between two sweeps: 1 minute. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = JdbcOptions.DEFAULT_SWEEP_INTERVAL;

  /** The default number of expired rows one sweep batch deletes: {@value}. */
  public static final int DEFAULT_SWEEP_BATCH_SIZE = 500;

  /** The default size of the store's own pool: {@value} connections. */
  public static final int DEFAULT_MAXIMUM_POOL_SIZE = JdbcOptions.DEFAULT_MAXIMUM_POOL_SIZE;

  /** The default longest wait for a connection from the store's own pool: 5 seconds. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = JdbcOptions.DEFAULT_CONNECTION_TIMEOUT;

  /** The default driver connect timeout for the store's own pool: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = JdbcOptions.DEFAULT_CONNECT_TIMEOUT;

  /**
   * The default driver socket timeout for the store's own pool, the longest a read from the server
   * may block: 30 seconds.
   */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = JdbcOptions.DEFAULT_SOCKET_TIMEOUT;

  static final String NAME = "mysql";

  private final @Nullable String database;
  private final String table;

  private MySqlSessionStore(StoreOptions.Settings s) {
    super(s);
    this.database = s.database();
    this.table = s.jdbc().table();
  }

  /** {@return a new builder with every option unset, that is at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "mysql"}, for MariaDB too. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Starts the store if it has not started: creates the table if {@linkplain
   * Builder#createSchema(boolean) asked to}, then schedules the sweeper if it is enabled. Calling
   * it again does nothing. Without it, the first operation starts the store.
   *
   * @return this store
   * @throws SessionStoreException (operation {@code start}) if the table cannot be created; the
   *     store stays unstarted and a later call tries again
   * @throws SessionStoreException if the store is closed
   */
  public MySqlSessionStore start() {
    lifecycle.ensureStarted("start");
    return this;
  }

  /**
   * Deletes every row that has expired, in batches of {@link Builder#sweepBatchSize(int)} rows,
   * until a batch finds fewer rows than its size. This is what the background sweeper runs; call it
   * to sweep at a time of your choosing (with {@link Builder#sweeperEnabled(boolean) the sweeper
   * disabled}, for example). Like every operation, it starts the store if it has not started.
   *
   * @return the number of rows deleted
   * @throws SessionStoreException (operation {@code sweep}) if a statement fails; the batches
   *     before it stay deleted
   * @throws SessionStoreException if the store is closed
   */
  public long sweepExpired() {
    lifecycle.ensureStarted("sweep");
    return sweeper.sweepExpired();
  }

  /**
   * {@return the DDL this store's {@link Builder#createSchema(boolean)} runs: the table with its
   * expiry index} For the default table it is the statement of the {@code
   * META-INF/sessionstate/schema-mysql.sql} resource.
   */
  public String schemaSql() {
    return sql.createSchema;
  }

  /**
   * {@return the DDL that drops this store's table} For the default table it is the statement of
   * the {@code META-INF/sessionstate/drop-mysql.sql} resource.
   */
  public String dropSql() {
    return sql.dropSchema;
  }

  /** {@return the database of the sessions table, if one was set; else the connection's own} */
  public Optional<String> database() {
    return Optional.ofNullable(database);
  }

  /** {@return the name of the sessions table} */
  public String table() {
    return table;
  }

  /**
   * Stops the sweeper and closes what the store made (its pool, its scheduler), never a {@link
   * DataSource} or scheduler passed to the builder. Calling it again does nothing.
   */
  @Override
  public void close() {
    lifecycle.close();
  }

  @Override
  public String toString() {
    return "MySqlSessionStore{table="
        + sql.displayName
        + (db.ownsPool() ? ", ownPool" : ", callerDataSource")
        + "}";
  }

  /**
   * Builds a {@link MySqlSessionStore}. Each option may be set once: a second call throws {@link
   * IllegalStateException} ("sweepInterval was already set to PT1M"). Every setter validates its
   * argument at once, and {@link #build()} checks that the options fit together; messages name the
   * option and the bad value. An option never set takes its default. Not thread-safe.
   */
  public static final class Builder {
    private final StoreOptions options = new StoreOptions();

    private Builder() {}

    /**
     * The application's data source, used as it is: the store borrows a connection for each
     * operation and never closes the data source. Exclusive with {@link #jdbcUrl(String)} and the
     * pool options. Connections it hands out with autocommit off are switched to autocommit. Any
     * MySQL or MariaDB driver will do.
     *
     * @param dataSource the application's data source
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      options.jdbc.dataSource(dataSource);
      return this;
    }

    /**
     * The MariaDB Connector/J URL of the server, MySQL or MariaDB, such as {@code
     * jdbc:mariadb://db1:3306/app} (Connector/J 4 asks for TLS by default: add {@code
     * sslMode=disable} for a server without it); the store then owns a HikariCP pool, which {@link
     * MySqlSessionStore#close()} closes. Exclusive with {@link #dataSource(DataSource)}. The URL
     * must not set {@code connectTimeout}, {@code socketTimeout} or {@code tcpKeepAlive}: the
     * builder sets them.
     *
     * @param jdbcUrl the server's JDBC URL
     * @return this builder
     */
    public Builder jdbcUrl(String jdbcUrl) {
      options.jdbc.jdbcUrl(jdbcUrl);
      return this;
    }

    /**
     * The user for the store's own pool; default none (the URL's).
     *
     * @param username the user
     * @return this builder
     */
    public Builder username(String username) {
      options.jdbc.username(username);
      return this;
    }

    /**
     * The password for the store's own pool; default none. Never shown by {@code toString()}.
     *
     * @param password the password
     * @return this builder
     */
    public Builder password(String password) {
      options.jdbc.password(password);
      return this;
    }

    /**
     * The most connections the store's own pool holds, at least 1; default {@value
     * #DEFAULT_MAXIMUM_POOL_SIZE}.
     *
     * @param maximumPoolSize the most connections
     * @return this builder
     */
    public Builder maximumPoolSize(int maximumPoolSize) {
      options.jdbc.maximumPoolSize(maximumPoolSize);
      return this;
    }

    /**
     * The longest an operation waits for a connection from the store's own pool, at least 250 ms;
     * default 5 seconds. Past it the operation fails with a store error.
     *
     * @param connectionTimeout the longest wait for a pooled connection
     * @return this builder
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      options.jdbc.connectionTimeout(connectionTimeout);
      return this;
    }

    /**
     * The driver's timeout for opening one connection (the TCP connect and the handshake), a whole
     * number of milliseconds from 1 to 2147483647; default 10 seconds.
     *
     * @param connectTimeout the driver's connect timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      options.jdbc.connectTimeout(connectTimeout);
      return this;
    }

    /**
     * The driver's socket timeout, the longest one read from the server may block, a whole number
     * of milliseconds from 1 to 2147483647; default 30 seconds. It frees a thread that a silent
     * server holds; keep it above the longest statement the store runs (a sweep batch).
     *
     * @param socketTimeout the driver's socket timeout
     * @return this builder
     */
    public Builder socketTimeout(Duration socketTimeout) {
      options.jdbc.socketTimeout(socketTimeout);
      return this;
    }

    /**
     * Whether the store's own pool's connections use TCP keep-alive, so that a connection to a
     * server that vanished is noticed; default true.
     *
     * @param tcpKeepAlive whether connections use TCP keep-alive
     * @return this builder
     */
    public Builder tcpKeepAlive(boolean tcpKeepAlive) {
      options.jdbc.tcpKeepAlive(tcpKeepAlive);
      return this;
    }

    /**
     * The database (schema) of the sessions table: a lowercase identifier of at most 64 characters
     * matching {@code [a-z_][a-z0-9_]*}; default none, the connection's own database. It must
     * exist.
     *
     * @param database the database's name
     * @return this builder
     */
    public Builder database(String database) {
      options.database(database);
      return this;
    }

    /**
     * The name of the sessions table: a lowercase identifier of at most 49 characters matching
     * {@code [a-z_][a-z0-9_]*}; default {@value #DEFAULT_TABLE}. The expiry index is named after
     * it, with the suffix {@code _expires_at_idx}, and must fit the servers' 64 characters too.
     *
     * @param table the table's name
     * @return this builder
     */
    public Builder table(String table) {
      options.jdbc.table(table);
      return this;
    }

    /**
     * Whether the store creates its table and index, if missing, when it starts; default false (run
     * {@code schema-mysql.sql} or {@link MySqlSessionStore#schemaSql()} yourself).
     *
     * @param createSchema whether the store creates its table on start
     * @return this builder
     */
    public Builder createSchema(boolean createSchema) {
      options.jdbc.createSchema(createSchema);
      return this;
    }

    /**
     * The slide's margin: how much later than its idle timeout a session may expire, so that a load
     * soon after the last write of its expiry writes nothing (see {@link MySqlSessionStore}); from
     * zero to 1 hour, and never more than a tenth of the TTL; default a twentieth of each TTL (1
     * minute of 20). Zero writes the expiry on every load.
     *
     * @param slideThrottle the margin, from zero to 1 hour
     * @return this builder
     */
    public Builder slideThrottle(Duration slideThrottle) {
      options.slideThrottle(slideThrottle);
      return this;
    }

    /**
     * Whether the store runs the background sweeper once started; default true.
     *
     * @param sweeperEnabled whether the sweeper runs
     * @return this builder
     */
    public Builder sweeperEnabled(boolean sweeperEnabled) {
      options.jdbc.sweeperEnabled(sweeperEnabled);
      return this;
    }

    /**
     * The delay between the end of one sweep and the start of the next, positive and at most 365
     * days; default 1 minute.
     *
     * @param sweepInterval the delay between sweeps
     * @return this builder
     */
    public Builder sweepInterval(Duration sweepInterval) {
      options.jdbc.sweepInterval(sweepInterval);
      return this;
    }

    /**
     * The most expired rows one sweep batch deletes, from 1 to 10,000; default {@value
     * #DEFAULT_SWEEP_BATCH_SIZE}. Smaller batches hold their row locks for less time.
     *
     * @param sweepBatchSize the most rows one batch deletes
     * @return this builder
     */
    public Builder sweepBatchSize(int sweepBatchSize) {
      options.jdbc.sweepBatchSize(sweepBatchSize);
      return this;
    }

    /**
     * The scheduler the sweeper runs on; default a single daemon thread that the store makes when
     * it starts and shuts down on close. A scheduler given here is not shut down by the store.
     *
     * @param sweeper the scheduler, which the store does not shut down
     * @return this builder
     */
    public Builder sweeper(ScheduledExecutorService sweeper) {
      options.jdbc.sweeper(sweeper);
      return this;
    }

    /**
     * Builds the store. It opens no connection and starts no thread: see {@link MySqlSessionStore}
     * for when it starts. The builder may build again.
     *
     * @return the store, thread-safe
     * @throws IllegalStateException if neither or both of {@code dataSource} and {@code jdbcUrl}
     *     are set, or a pool option is set with {@code dataSource}
     */
    public MySqlSessionStore build() {
      return new MySqlSessionStore(options.resolve());
    }
  }
}
