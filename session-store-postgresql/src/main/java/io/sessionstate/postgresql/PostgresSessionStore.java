package io.sessionstate.postgresql;

import io.sessionstate.SessionStoreException;
import io.sessionstate.jdbc.JdbcOptions;
import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * A session store in one PostgreSQL table: {@code (session_key text primary key, blob bytea,
 * expires_at timestamptz not null, version bigint not null default 0)} with a B-tree index on
 * {@code expires_at} for the sweeper. Expiry is computed by the database's clock, so app nodes with
 * skewed clocks agree. The {@linkplain io.sessionstate.postgresql package} describes the
 * statements, the versions and tombstones, and how a table of an earlier schema is brought up to
 * date.
 *
 * <p><b>Each operation is one statement</b> in autocommit, so one round trip with no {@code BEGIN}
 * or {@code COMMIT}. A load reads the blob and, in the same statement, slides the expiry only if it
 * must: every write of a session sets its expiry to now + TTL + a twentieth of the TTL, and a load
 * or a touch writes it again only when it lies outside [now + TTL, now + TTL + TTL/20]. Most loads
 * of a busy session therefore read without writing: no new row version, no index entries, no wait
 * for the commit's flush. <b>A session never expires earlier than its idle timeout after its last
 * request, and at most a twentieth of it later</b> (1 minute of the default 20). A background
 * sweeper deletes expired rows in small batches with {@code FOR UPDATE SKIP LOCKED}, so it never
 * waits on a row a request is writing and several nodes can sweep the same table at once.
 *
 * <p>The store connects through the application's {@link DataSource} ({@link Builder#dataSource})
 * or a HikariCP pool of its own ({@link Builder#jdbcUrl}) whose waits are all bounded. Building it
 * opens no connection and starts no thread: it <em>starts</em> on {@link #start()} (call it at
 * start-up to find a missing table or an unreachable server then) or on its first operation, and
 * then creates the table if {@link Builder#createSchema(boolean) asked to} and schedules the
 * sweeper. {@link #close()} stops the sweeper and closes what the store made (its pool, its
 * scheduler), never a {@link DataSource} or scheduler passed to the builder; a closed store fails
 * every operation at once with {@link SessionStoreException}, saying it is closed.
 *
 * <p>Thread-safe. Every method throws {@link NullPointerException} for a null argument. Blobs are
 * copied on the way in and out (they travel through JDBC). Every failure of the database is a
 * {@link SessionStoreException} naming the store, the operation and the SQL state; messages never
 * contain a session key or a blob.
 */
public final class PostgresSessionStore extends StoreCore
    implements ReplacingSessionStore, VersionedSessionStore, PrincipalIndex {

  /** The default schema: {@value}. */
  public static final String DEFAULT_SCHEMA = "public";

  /** The default table: {@value}. */
  public static final String DEFAULT_TABLE = JdbcOptions.DEFAULT_TABLE;

  /** The default time between two sweeps: 1 minute. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = JdbcOptions.DEFAULT_SWEEP_INTERVAL;

  /** The default number of expired rows one sweep statement deletes: {@value}. */
  public static final int DEFAULT_SWEEP_BATCH_SIZE = 1000;

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

  static final String NAME = "postgresql";

  private final String schema;
  private final String table;
  private final boolean unlogged;

  private PostgresSessionStore(StoreOptions.Settings s) {
    super(s);
    this.schema = s.schema();
    this.table = s.jdbc().table();
    this.unlogged = s.unlogged();
  }

  /** {@return a new builder with every option unset, that is at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "postgresql"}. */
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
  public PostgresSessionStore start() {
    lifecycle.ensureStarted("start");
    return this;
  }

  /**
   * Deletes every row that has expired, in batches of {@link Builder#sweepBatchSize(int)} rows, one
   * short statement each, until a batch finds fewer rows than its size. Rows another transaction
   * holds are skipped, not waited for. This is what the background sweeper runs; call it to sweep
   * at a time of your choosing (with {@link Builder#sweeperEnabled(boolean) the sweeper disabled},
   * for example). Like every operation, it starts the store if it has not started.
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
   * {@return the DDL this store's {@link Builder#createSchema(boolean)} runs: the table and its
   * expiry index, for this schema, table and logging mode} For the default names it is the text of
   * the {@code META-INF/sessionstate/schema-postgresql.sql} resource.
   */
  public String schemaSql() {
    return sql.createSchema + principals.createSql();
  }

  /**
   * {@return the DDL that drops this store's principal index table, then its table (and with it the
   * index)} For the default names it is the text of the {@code
   * META-INF/sessionstate/drop-postgresql.sql} resource.
   */
  public String dropSql() {
    return principals.dropSql() + sql.dropSchema;
  }

  /** {@return the schema of the sessions table} */
  public String schema() {
    return schema;
  }

  /** {@return the name of the sessions table} */
  public String table() {
    return table;
  }

  /**
   * {@return whether the table is created {@code UNLOGGED} by {@link
   * Builder#createSchema(boolean)}}
   */
  public boolean unlogged() {
    return unlogged;
  }

  /**
   * Stops the sweeper, shuts down its scheduler if the store made it, and closes the pool if the
   * store made it. A {@link DataSource} or scheduler passed to the builder stays open. Calling it
   * again does nothing.
   */
  @Override
  public void close() {
    lifecycle.close();
  }

  @Override
  public String toString() {
    return "PostgresSessionStore{table="
        + schema
        + "."
        + table
        + (unlogged ? ", unlogged" : "")
        + (db.ownsPool() ? ", ownPool" : ", callerDataSource")
        + "}";
  }

  /**
   * Builds a {@link PostgresSessionStore}. Each option may be set once: a second call throws {@link
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
     * pool options. Connections it hands out with autocommit off are switched to autocommit for
     * single statements.
     *
     * @param dataSource the application's data source
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      options.jdbc.dataSource(dataSource);
      return this;
    }

    /**
     * The PostgreSQL JDBC URL of the server, such as {@code
     * jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary}; the store then owns a
     * HikariCP pool, which {@link PostgresSessionStore#close()} closes. Exclusive with {@link
     * #dataSource(DataSource)}. The URL must not set {@code connectTimeout}, {@code loginTimeout},
     * {@code socketTimeout} or {@code tcpKeepAlive}: the builder sets them.
     *
     * @param jdbcUrl the server's JDBC URL
     * @return this builder
     */
    public Builder jdbcUrl(String jdbcUrl) {
      options.jdbc.jdbcUrl(jdbcUrl);
      return this;
    }

    /**
     * The user for the store's own pool; default none (the driver's, or the URL's).
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
     * The driver's timeout for opening one connection, a whole number of seconds from 1 to 2147483
     * (about 24 days); default 10 seconds.
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
     * of seconds from 1 to 2147483 (about 24 days); default 30 seconds. It frees a thread that a
     * silent server holds; keep it above the longest statement the store runs (a sweep batch).
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
     * The schema of the sessions table: a lowercase identifier of at most 63 characters matching
     * {@code [a-z_][a-z0-9_]*}; default {@value #DEFAULT_SCHEMA}. The schema must exist.
     *
     * @param schema the schema's name
     * @return this builder
     */
    public Builder schema(String schema) {
      options.schema(schema);
      return this;
    }

    /**
     * The name of the sessions table: a lowercase identifier of at most 48 characters matching
     * {@code [a-z_][a-z0-9_]*}; default {@value #DEFAULT_TABLE}. The expiry index is named after
     * it, with the suffix {@code _expires_at_idx}, and must fit PostgreSQL's 63 characters too.
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
     * {@code schema-postgresql.sql} or {@link PostgresSessionStore#schemaSql()} yourself).
     *
     * @param createSchema whether the store creates its table on start
     * @return this builder
     */
    public Builder createSchema(boolean createSchema) {
      options.jdbc.createSchema(createSchema);
      return this;
    }

    /**
     * Whether {@link #createSchema(boolean)} creates the table {@code UNLOGGED}: faster writes, but
     * every session is lost when the server crashes or stops with {@code -m immediate}, and none
     * reaches a standby; default false. It does not alter an existing table.
     *
     * @param unlogged whether the table is created {@code UNLOGGED}
     * @return this builder
     */
    public Builder unlogged(boolean unlogged) {
      options.unlogged(unlogged);
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
     * The most expired rows one sweep statement deletes, from 1 to 100,000; default {@value
     * #DEFAULT_SWEEP_BATCH_SIZE}. Smaller batches hold their row locks for less time.
     *
     * @param sweepBatchSize the most rows one sweep statement deletes
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
     * Builds the store. It opens no connection and starts no thread: see {@link
     * PostgresSessionStore} for when it starts. The builder may build again.
     *
     * @return the store, thread-safe
     * @throws IllegalStateException if neither or both of {@code dataSource} and {@code jdbcUrl}
     *     are set, or a pool option is set with {@code dataSource}
     */
    public PostgresSessionStore build() {
      return new PostgresSessionStore(options.resolve());
    }
  }
}
