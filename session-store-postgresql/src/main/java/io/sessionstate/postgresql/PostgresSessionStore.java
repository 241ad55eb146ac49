package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * A session store in one PostgreSQL table: {@code (session_key text primary key, blob bytea,
 * expires_at timestamptz not null, version bigint not null default 0)} with an index on {@code
 * expires_at}. Expiry is computed by the database's clock, so app nodes with skewed clocks agree.
 *
 * <p><b>Versions and tombstones</b> ({@link VersionedSessionStore}). The version is a column beside
 * the blob, advanced by every write; a tombstone is a row whose blob is null. A versioned load is
 * one {@code UPDATE ... RETURNING blob, version} that slides a session but not a tombstone. A
 * conditional save is one statement: a conditional {@code UPDATE} for a session loaded as existing,
 * never an upsert that could write back a deleted or signed-out session, and an {@code INSERT ...
 * ON CONFLICT DO UPDATE ... WHERE} for a new one, whose update applies only to a row that has
 * expired (one the sweeper has not removed yet) or, last writer wins, to a live session; a
 * tombstone refuses both. Its reply carries, when it was refused, the row that refused it, so a
 * conflict needs no second load. A move to a new key ({@link #replaceIf}) is one statement too. An
 * invalidation is one upsert of the tombstone. Through {@link #loadAndTouch} and {@link #touch} a
 * tombstone reads as absent and keeps its expiry; the plain {@link #save} overwrites it.
 *
 * <p><b>A table of the first schema</b> (blob {@code NOT NULL}, no version column) must be brought
 * up to date before this version of the store uses it: {@link Builder#createSchema(boolean)} does
 * it when it starts (two changes of the catalog, each a brief exclusive lock, only when needed),
 * and the shipped {@code schema-postgresql.sql} does it when run again. Its sessions stay, at
 * version 0. Until then every statement that names the version fails with a store error (SQL state
 * {@code 42703}, undefined column).
 *
 * <p>Each operation is one statement in autocommit: a load is one {@code UPDATE ... RETURNING} that
 * slides the expiry and finds nothing for an expired row, a save one upsert, a touch one {@code
 * UPDATE}, a delete one {@code DELETE}, and a {@link #replace} (a regenerated key) one upsert that
 * deletes the old key in a common table expression: one statement, so one transaction, with no
 * {@code BEGIN} or {@code COMMIT} sent around it. A background sweeper deletes expired rows in
 * small batches with {@code FOR UPDATE SKIP LOCKED}, so it never waits on a row a request is
 * writing and several nodes can sweep the same table at once.
 *
 * <p>The store connects either through the application's {@link DataSource} ({@link
 * Builder#dataSource}) or through a HikariCP pool of its own built from a JDBC URL ({@link
 * Builder#jdbcUrl}) with bounded waits: a connection wait, a connect timeout and a socket timeout,
 * so a server that stops answering cannot hang a thread for ever.
 *
 * <p><b>Life cycle.</b> Building a store opens no connection and starts no thread. The store
 * <em>starts</em> on {@link #start()} or on its first operation, whichever comes first: it then
 * creates the table if {@link Builder#createSchema(boolean) asked to}, and schedules the sweeper.
 * Call {@link #start()} at application start-up to find a missing table or an unreachable server
 * then rather than on the first request. {@link #close()} stops the sweeper, shuts down the
 * sweeper's scheduler if the store made it, and closes the pool if the store made it; a {@link
 * DataSource} or a scheduler passed to the builder is left open. A closed store fails every
 * operation at once with {@link SessionStoreException}, saying it is closed.
 *
 * <p>Thread-safe. Every method throws {@link NullPointerException} for a null argument. Blobs are
 * copied on the way in and out (they travel through JDBC). Every failure of the database is a
 * {@link SessionStoreException} naming the store, the operation and the SQL state; messages never
 * contain a session key or a blob.
 */
public final class PostgresSessionStore
    implements ReplacingSessionStore, VersionedSessionStore, PrincipalIndex {

  /** The default schema: {@value}. */
  public static final String DEFAULT_SCHEMA = "public";

  /** The default table: {@value}. */
  public static final String DEFAULT_TABLE = "sessionstate_sessions";

  /** The default time between two sweeps: 1 minute. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);

  /** The default number of expired rows one sweep statement deletes: {@value}. */
  public static final int DEFAULT_SWEEP_BATCH_SIZE = 1000;

  /** The default size of the store's own pool: {@value} connections. */
  public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;

  /** The default longest wait for a connection from the store's own pool: 5 seconds. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  /** The default driver connect timeout for the store's own pool: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The default driver socket timeout for the store's own pool, the longest a read from the server
   * may block: 30 seconds.
   */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);

  static final String NAME = "postgresql";

  private final String schema;
  private final String table;
  private final boolean unlogged;
  private final Statements sql;
  private final Database db;
  private final SessionTable rows;
  private final Sweeper sweeper;
  private final StoreLifecycle lifecycle;
  private final PostgresPrincipalIndex principals;

  private PostgresSessionStore(StoreOptions.Settings s) {
    this.schema = s.schema();
    this.table = s.table();
    this.unlogged = s.unlogged();
    this.sql = new Statements(schema, table, unlogged);
    this.db =
        s.dataSource() != null
            ? Database.of(s.dataSource())
            : Database.owning(OwnedPool.open(s.pool()));
    this.rows = new SessionTable(db, sql);
    this.sweeper =
        new Sweeper(db, sql, schema, table, s.sweepInterval(), s.sweepBatchSize(), s.scheduler());
    this.lifecycle =
        new StoreLifecycle(
            db,
            s.createSchema() ? new SchemaInstaller(db, sql, schema, table) : null,
            sweeper,
            s.sweeperEnabled());
    this.principals = new PostgresPrincipalIndex(db, schema, table, unlogged, s.createSchema());
  }

  /** A new builder with every option unset, that is at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "postgresql"}. */
  @Override
  public String name() {
    return NAME;
  }

  /** False: every call is a round trip to the database. */
  @Override
  public boolean isNonBlocking() {
    return false;
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

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMillis = SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("load");
    return rows.load(key, ttlMillis);
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(blob, "blob");
    long ttlMillis = SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("save");
    rows.save(key, blob, ttlMillis);
  }

  @Override
  public void touch(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMillis = SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("touch");
    rows.touch(key, ttlMillis);
  }

  @Override
  public void delete(String key) {
    requireNonNull(key, "key");
    lifecycle.ensureStarted("delete");
    rows.delete(key);
  }

  /**
   * Stores the blob under {@code newKey} and deletes {@code oldKey} in one statement, which is one
   * transaction: no reader sees both keys or neither.
   */
  @Override
  public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    requireNonNull(oldKey, "oldKey");
    requireNonNull(newKey, "newKey");
    requireNonNull(blob, "blob");
    long ttlMillis = SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("replace");
    // For one key the statement's upsert would meet the row its own DELETE removes.
    if (oldKey.equals(newKey)) {
      rows.save(newKey, blob, ttlMillis);
    } else {
      rows.replace(oldKey, newKey, blob, ttlMillis);
    }
  }

  /** One {@code UPDATE ... RETURNING blob, version}. */
  @Override
  public Stored loadVersioned(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMillis = SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("load");
    return rows.loadVersioned(key, ttlMillis);
  }

  /** One statement: a conditional {@code UPDATE}, or an insert that takes only an expired row. */
  @Override
  public Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(condition, "condition");
    requireNonNull(blob, "blob");
    long ttlMillis = SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("save");
    return rows.saveIf("save", key, condition, null, blob, ttlMillis, 0);
  }

  /**
   * One statement on the principal index's side table, {@code <table>_principals}: see the README
   * for its layout; its rows go with their sessions' rows ({@code ON DELETE CASCADE}).
   */
  @Override
  public int index(String principal, String key, String replacedKey, Duration ttl) {
    requireNonNull(principal, "principal");
    requireNonNull(key, "key");
    SessionTable.ttlMillis(ttl);
    lifecycle.ensureStarted("index");
    return principals.index(principal, key, replacedKey, ttl);
  }

  /** One {@code DELETE} from the side table. */
  @Override
  public void unindex(String principal, String key) {
    requireNonNull(principal, "principal");
    requireNonNull(key, "key");
    lifecycle.ensureStarted("unindex");
    principals.unindex(principal, key);
  }

  /** One {@code SELECT} joining the side table to the live rows; it slides no expiry. */
  @Override
  public List<IndexedSession> sessionsOf(String principal) {
    requireNonNull(principal, "principal");
    lifecycle.ensureStarted("list");
    return principals.sessionsOf(principal);
  }

  /** One upsert of the tombstone. */
  @Override
  public void invalidate(String key, Duration tombstoneTtl) {
    requireNonNull(key, "key");
    long tombstoneMillis = SessionTable.ttlMillis(tombstoneTtl);
    lifecycle.ensureStarted("invalidate");
    rows.invalidate(key, tombstoneMillis);
  }

  /**
   * One statement, so one transaction: the old row becomes a tombstone and the new row is written
   * only if the old one met the condition.
   */
  @Override
  public Outcome replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl) {
    requireNonNull(oldKey, "oldKey");
    requireNonNull(condition, "condition");
    requireNonNull(newKey, "newKey");
    requireNonNull(blob, "blob");
    if (oldKey.equals(newKey)) {
      throw new IllegalArgumentException("replaceIf needs two different keys");
    }
    long ttlMillis = SessionTable.ttlMillis(ttl);
    long tombstoneMillis = SessionTable.ttlMillis(tombstoneTtl);
    lifecycle.ensureStarted("replace");
    return rows.saveIf("replace", oldKey, condition, newKey, blob, ttlMillis, tombstoneMillis);
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
   * The DDL this store's {@link Builder#createSchema(boolean)} runs: the table and its expiry
   * index, for this schema, table and logging mode. For the default names it is the text of the
   * {@code META-INF/sessionstate/schema-postgresql.sql} resource.
   */
  public String schemaSql() {
    return sql.createSchema + principals.createSql();
  }

  /**
   * The DDL that drops this store's principal index table, then its table (and with it the index).
   * For the default names it is the text of the {@code META-INF/sessionstate/drop-postgresql.sql}
   * resource.
   */
  public String dropSql() {
    return principals.dropSql() + sql.dropSchema;
  }

  /** The schema of the sessions table. */
  public String schema() {
    return schema;
  }

  /** The name of the sessions table. */
  public String table() {
    return table;
  }

  /** Whether the table is created {@code UNLOGGED} by {@link Builder#createSchema(boolean)}. */
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
     */
    public Builder dataSource(DataSource dataSource) {
      options.dataSource(dataSource);
      return this;
    }

    /**
     * The PostgreSQL JDBC URL of the server, such as {@code
     * jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary}; the store then owns a
     * HikariCP pool, which {@link PostgresSessionStore#close()} closes. Exclusive with {@link
     * #dataSource(DataSource)}. The URL must not set {@code connectTimeout}, {@code loginTimeout},
     * {@code socketTimeout} or {@code tcpKeepAlive}: the builder sets them.
     */
    public Builder jdbcUrl(String jdbcUrl) {
      options.jdbcUrl(jdbcUrl);
      return this;
    }

    /** The user for the store's own pool; default none (the driver's, or the URL's). */
    public Builder username(String username) {
      options.username(username);
      return this;
    }

    /** The password for the store's own pool; default none. Never shown by {@code toString()}. */
    public Builder password(String password) {
      options.password(password);
      return this;
    }

    /**
     * The most connections the store's own pool holds, at least 1; default {@value
     * #DEFAULT_MAXIMUM_POOL_SIZE}.
     */
    public Builder maximumPoolSize(int maximumPoolSize) {
      options.maximumPoolSize(maximumPoolSize);
      return this;
    }

    /**
     * The longest an operation waits for a connection from the store's own pool, at least 250 ms;
     * default 5 seconds. Past it the operation fails with a store error.
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      options.connectionTimeout(connectionTimeout);
      return this;
    }

    /**
     * The driver's timeout for opening one connection, a whole number of seconds from 1 to 2147483
     * (about 24 days); default 10 seconds.
     */
    public Builder connectTimeout(Duration connectTimeout) {
      options.connectTimeout(connectTimeout);
      return this;
    }

    /**
     * The driver's socket timeout, the longest one read from the server may block, a whole number
     * of seconds from 1 to 2147483 (about 24 days); default 30 seconds. It frees a thread that a
     * silent server holds; keep it above the longest statement the store runs (a sweep batch).
     */
    public Builder socketTimeout(Duration socketTimeout) {
      options.socketTimeout(socketTimeout);
      return this;
    }

    /**
     * Whether the store's own pool's connections use TCP keep-alive, so that a connection to a
     * server that vanished is noticed; default true.
     */
    public Builder tcpKeepAlive(boolean tcpKeepAlive) {
      options.tcpKeepAlive(tcpKeepAlive);
      return this;
    }

    /**
     * The schema of the sessions table: a lowercase identifier of at most 63 characters matching
     * {@code [a-z_][a-z0-9_]*}; default {@value #DEFAULT_SCHEMA}. The schema must exist.
     */
    public Builder schema(String schema) {
      options.schema(schema);
      return this;
    }

    /**
     * The name of the sessions table: a lowercase identifier of at most 48 characters matching
     * {@code [a-z_][a-z0-9_]*}; default {@value #DEFAULT_TABLE}. The expiry index is named after
     * it, with the suffix {@code _expires_at_idx}, and must fit PostgreSQL's 63 characters too.
     */
    public Builder table(String table) {
      options.table(table);
      return this;
    }

    /**
     * Whether the store creates its table and index, if missing, when it starts; default false (run
     * {@code schema-postgresql.sql} or {@link PostgresSessionStore#schemaSql()} yourself).
     */
    public Builder createSchema(boolean createSchema) {
      options.createSchema(createSchema);
      return this;
    }

    /**
     * Whether {@link #createSchema(boolean)} creates the table {@code UNLOGGED}: faster writes, but
     * every session is lost when the server crashes or stops with {@code -m immediate}, and none
     * reaches a standby; default false. It does not alter an existing table.
     */
    public Builder unlogged(boolean unlogged) {
      options.unlogged(unlogged);
      return this;
    }

    /** Whether the store runs the background sweeper once started; default true. */
    public Builder sweeperEnabled(boolean sweeperEnabled) {
      options.sweeperEnabled(sweeperEnabled);
      return this;
    }

    /**
     * The delay between the end of one sweep and the start of the next, positive and at most 365
     * days; default 1 minute.
     */
    public Builder sweepInterval(Duration sweepInterval) {
      options.sweepInterval(sweepInterval);
      return this;
    }

    /**
     * The most expired rows one sweep statement deletes, from 1 to 100,000; default {@value
     * #DEFAULT_SWEEP_BATCH_SIZE}. Smaller batches hold their row locks for less time.
     */
    public Builder sweepBatchSize(int sweepBatchSize) {
      options.sweepBatchSize(sweepBatchSize);
      return this;
    }

    /**
     * The scheduler the sweeper runs on; default a single daemon thread that the store makes when
     * it starts and shuts down on close. A scheduler given here is not shut down by the store.
     */
    public Builder sweeper(ScheduledExecutorService sweeper) {
      options.sweeper(sweeper);
      return this;
    }

    /**
     * Builds the store. It opens no connection and starts no thread: see {@link
     * PostgresSessionStore} for when it starts. The builder may build again.
     *
     * @throws IllegalStateException if neither or both of {@code dataSource} and {@code jdbcUrl}
     *     are set, or a pool option is set with {@code dataSource}
     */
    public PostgresSessionStore build() {
      return new PostgresSessionStore(options.resolve());
    }
  }
}
