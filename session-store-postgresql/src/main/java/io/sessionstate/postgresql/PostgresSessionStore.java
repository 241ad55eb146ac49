package io.sessionstate.postgresql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.ReplacingSessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session store in one PostgreSQL table: {@code (session_key text primary key, blob bytea not
 * null, expires_at timestamptz not null)} with an index on {@code expires_at}. Expiry is computed
 * by the database's clock, so app nodes with skewed clocks agree.
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
public final class PostgresSessionStore implements ReplacingSessionStore {

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

  private static final Logger log = LoggerFactory.getLogger(PostgresSessionStore.class);
  private static final String NAME = "postgresql";
  private static final AtomicInteger POOLS = new AtomicInteger();
  // HikariCP refuses shorter connection waits.
  private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
  private static final Duration MAX_VALIDATION_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration MAX_SWEEP_INTERVAL = Duration.ofDays(365);
  // The driver holds connectTimeout and socketTimeout as an int of seconds and sets the socket
  // timeout as an int of milliseconds; past this it overflows and no connection opens.
  private static final long MAX_DRIVER_TIMEOUT_SECONDS = Integer.MAX_VALUE / 1000;

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final String schema;
  private final String table;
  private final boolean createSchema;
  private final boolean unlogged;
  private final boolean sweeperEnabled;
  private final Duration sweepInterval;
  private final int sweepBatchSize;
  private final ScheduledExecutorService callerSweeper;
  private final Statements sql;

  private final Object lifecycle = new Object();
  // Written under lifecycle; read without it on every operation.
  private volatile boolean started;
  private volatile boolean closed;
  private ScheduledExecutorService ownedSweeper;
  private ScheduledFuture<?> sweeps;

  private PostgresSessionStore(Builder b) {
    this.schema = b.schema;
    this.table = b.table;
    this.createSchema = b.createSchema;
    this.unlogged = b.unlogged;
    this.sweeperEnabled = b.sweeperEnabled;
    this.sweepInterval = b.sweepInterval;
    this.sweepBatchSize = b.sweepBatchSize;
    this.callerSweeper = b.sweeper;
    this.sql = new Statements(schema, table, unlogged);
    if (b.dataSource != null) {
      this.dataSource = b.dataSource;
      this.ownedPool = null;
    } else {
      this.ownedPool = newPool(b);
      this.dataSource = ownedPool;
    }
  }

  /**
   * The store's own pool. HikariCP's no-argument constructor opens nothing: the pool starts on the
   * first {@code getConnection()}.
   */
  private static HikariDataSource newPool(Builder b) {
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName("sessionstate-postgresql-" + POOLS.incrementAndGet());
    pool.setDriverClassName("org.postgresql.Driver");
    pool.setJdbcUrl(b.jdbcUrl);
    pool.setUsername(b.username);
    pool.setPassword(b.password);
    pool.setMaximumPoolSize(b.maximumPoolSize);
    pool.setConnectionTimeout(b.connectionTimeout.toMillis());
    pool.setValidationTimeout(
        (b.connectionTimeout.compareTo(MAX_VALIDATION_TIMEOUT) < 0
                ? b.connectionTimeout
                : MAX_VALIDATION_TIMEOUT)
            .toMillis());
    pool.setAutoCommit(true);
    // A pool that cannot connect at start-up still starts, and connects when the server returns,
    // instead of failing every request until the application restarts.
    pool.setInitializationFailTimeout(-1);
    // Opening a connection is bounded twice: the TCP connect, and the start-up exchange after it,
    // which a server that accepts but never answers would otherwise hold for ever.
    pool.addDataSourceProperty("connectTimeout", Long.toString(b.connectTimeout.toSeconds()));
    pool.addDataSourceProperty("loginTimeout", Long.toString(b.connectTimeout.toSeconds()));
    pool.addDataSourceProperty("socketTimeout", Long.toString(b.socketTimeout.toSeconds()));
    pool.addDataSourceProperty("tcpKeepAlive", Boolean.toString(b.tcpKeepAlive));
    pool.addDataSourceProperty("ApplicationName", "sessionstate");
    // A server error's detail can quote a row's values, a session key among them.
    pool.addDataSourceProperty("logServerErrorDetail", "false");
    return pool;
  }

  /** A new builder with every option at its default. */
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
    ensureStarted("start");
    return this;
  }

  private void startNow(String operation) {
    synchronized (lifecycle) {
      if (closed) {
        throw closedStore(operation);
      }
      if (started) {
        return;
      }
      if (createSchema) {
        createTable(operation);
      }
      if (sweeperEnabled) {
        ScheduledExecutorService scheduler = callerSweeper;
        if (scheduler == null) {
          ScheduledThreadPoolExecutor own =
              new ScheduledThreadPoolExecutor(
                  1,
                  runnable -> {
                    Thread t = new Thread(runnable, "sessionstate-postgresql-sweeper");
                    t.setDaemon(true);
                    return t;
                  });
          own.setRemoveOnCancelPolicy(true);
          ownedSweeper = own;
          scheduler = own;
        }
        long nanos = sweepInterval.toNanos();
        sweeps =
            scheduler.scheduleWithFixedDelay(
                this::sweepQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
      }
      started = true;
    }
  }

  private void createTable(String operation) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (Statement s = c.createStatement();
          PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)");
          PreparedStatement indexExists = c.prepareStatement("SELECT to_regclass(?)")) {
        // Nodes starting together would race on the catalog ("duplicate key ... pg_type") with
        // CREATE TABLE IF NOT EXISTS alone; the lock makes them take turns.
        lock.setLong(1, ((long) schema.hashCode() << 32) | (table.hashCode() & 0xFFFF_FFFFL));
        lock.execute();
        s.execute(sql.createTable);
        // CREATE INDEX IF NOT EXISTS takes a SHARE lock on the table before it finds the index:
        // on a live table it would wait for every write in flight and queue every request behind
        // it, on every node, each time a node starts. So it runs only when the index is missing.
        indexExists.setString(1, sql.index);
        try (ResultSet rs = indexExists.executeQuery()) {
          if (!rs.next() || rs.getString(1) == null) {
            s.execute(sql.createIndex);
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        try {
          c.setAutoCommit(autoCommit);
        } catch (SQLException restoring) {
          e.addSuppressed(restoring);
        }
        throw e;
      }
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      throw failure(operation, "could not create the sessions table", e);
    }
  }

  private void ensureStarted(String operation) {
    // Checked on every call, not only before the start: a started store over a caller's data
    // source would otherwise go on working after close().
    if (closed) {
      throw closedStore(operation);
    }
    if (!started) {
      startNow(operation);
    }
  }

  private static SessionStoreException closedStore(String operation) {
    return new SessionStoreException(NAME, operation, "the store is closed", null);
  }

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMillis = ttlMillis(ttl);
    ensureStarted("load");
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql.load)) {
      s.setLong(1, ttlMillis);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("load", e);
    }
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    requireNonNull(key, "key");
    requireNonNull(blob, "blob");
    long ttlMillis = ttlMillis(ttl);
    ensureStarted("save");
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql.save)) {
      bindSave(s, key, blob, ttlMillis);
      s.executeUpdate();
    } catch (SQLException e) {
      throw failure("save", e);
    }
  }

  @Override
  public void touch(String key, Duration ttl) {
    requireNonNull(key, "key");
    long ttlMillis = ttlMillis(ttl);
    ensureStarted("touch");
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql.touch)) {
      s.setLong(1, ttlMillis);
      s.setString(2, key);
      s.executeUpdate();
    } catch (SQLException e) {
      throw failure("touch", e);
    }
  }

  @Override
  public void delete(String key) {
    requireNonNull(key, "key");
    ensureStarted("delete");
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql.delete)) {
      s.setString(1, key);
      s.executeUpdate();
    } catch (SQLException e) {
      throw failure("delete", e);
    }
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
    long ttlMillis = ttlMillis(ttl);
    ensureStarted("replace");
    if (oldKey.equals(newKey)) {
      save(newKey, blob, ttl);
      return;
    }
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql.replace)) {
      s.setString(1, oldKey);
      s.setString(2, newKey);
      s.setBytes(3, blob);
      s.setLong(4, ttlMillis);
      s.executeUpdate();
    } catch (SQLException e) {
      throw failure("replace", e);
    }
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
    ensureStarted("sweep");
    long deleted = 0;
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql.sweep)) {
      s.setInt(1, sweepBatchSize);
      int batch;
      do {
        batch = s.executeUpdate();
        deleted += batch;
      } while (batch >= sweepBatchSize && !closed);
      return deleted;
    } catch (SQLException e) {
      throw failure("sweep", e);
    }
  }

  /** The scheduled sweep: a failure is logged, never thrown, since that would end the schedule. */
  private void sweepQuietly() {
    try {
      sweepExpired();
    } catch (RuntimeException e) {
      if (!closed) {
        log.warn(
            "Sweeping expired sessions from {}.{} failed; the next sweep is in {}: {}",
            schema,
            table,
            sweepInterval,
            e.getMessage());
      }
    }
  }

  /**
   * The DDL this store's {@link Builder#createSchema(boolean)} runs: the table and its expiry
   * index, for this schema, table and logging mode. For the default names it is the text of the
   * {@code META-INF/sessionstate/schema-postgresql.sql} resource.
   */
  public String schemaSql() {
    return sql.createSchema;
  }

  /**
   * The DDL that drops this store's table (and with it the index). For the default names it is the
   * text of the {@code META-INF/sessionstate/drop-postgresql.sql} resource.
   */
  public String dropSql() {
    return sql.dropSchema;
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
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (sweeps != null) {
        sweeps.cancel(false);
      }
      if (ownedSweeper != null) {
        ownedSweeper.shutdownNow();
      }
    }
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  @Override
  public String toString() {
    return "PostgresSessionStore{table="
        + schema
        + "."
        + table
        + (unlogged ? ", unlogged" : "")
        + (ownedPool != null ? ", ownPool" : ", callerDataSource")
        + "}";
  }

  // ---- helpers

  /**
   * A connection in autocommit, so that each single statement is its own transaction with no BEGIN
   * or COMMIT sent around it. A caller's pool may hand out connections with autocommit off.
   */
  private Connection connection() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static void bindSave(PreparedStatement s, String key, byte[] blob, long ttlMillis)
      throws SQLException {
    s.setString(1, key);
    s.setBytes(2, blob);
    s.setLong(3, ttlMillis);
  }

  private static void rollbackQuietly(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static long ttlMillis(Duration ttl) {
    requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    // Whole milliseconds, rounded up so that a positive TTL never becomes zero; at most about 292
    // million years, which the database rejects as a timestamp out of range, a store error.
    try {
      long millis = ttl.toMillis();
      return ttl.minusMillis(millis).isZero() ? millis : Math.addExact(millis, 1);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private SessionStoreException failure(String operation, SQLException e) {
    return failure(operation, null, e);
  }

  private SessionStoreException failure(String operation, String what, SQLException e) {
    String state = e.getSQLState() == null ? "unknown" : e.getSQLState();
    String message = String.valueOf(e.getMessage());
    // The driver puts a server error's detail and hint on lines of their own; they may quote
    // values, so only the first line is kept.
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    String detail = (what == null ? "" : what + ": ") + "SQL state " + state + ": " + message;
    return new SessionStoreException(NAME, operation, detail, e);
  }

  /**
   * Builds a {@link PostgresSessionStore}. Every setter validates its argument at once, and {@link
   * #build()} checks that the options fit together; messages name the option and the bad value. Not
   * thread-safe.
   */
  public static final class Builder {
    private DataSource dataSource;
    private String jdbcUrl;
    private String username;
    private String password;
    private Integer maximumPoolSize;
    private Duration connectionTimeout;
    private Duration connectTimeout;
    private Duration socketTimeout;
    private Boolean tcpKeepAlive;
    private String schema = DEFAULT_SCHEMA;
    private String table = DEFAULT_TABLE;
    private boolean createSchema;
    private boolean unlogged;
    private boolean sweeperEnabled = true;
    private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
    private int sweepBatchSize = DEFAULT_SWEEP_BATCH_SIZE;
    private ScheduledExecutorService sweeper;

    private Builder() {}

    /**
     * The application's data source, used as it is: the store borrows a connection for each
     * operation and never closes the data source. Exclusive with {@link #jdbcUrl(String)} and the
     * pool options. Connections it hands out with autocommit off are switched to autocommit for
     * single statements.
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
      return this;
    }

    private static final List<String> URL_OPTIONS_OF_THE_BUILDER =
        List.of("connectTimeout", "loginTimeout", "socketTimeout", "tcpKeepAlive");

    /**
     * The PostgreSQL JDBC URL of the server, such as {@code
     * jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary}; the store then owns a
     * HikariCP pool, which {@link PostgresSessionStore#close()} closes. Exclusive with {@link
     * #dataSource(DataSource)}.
     */
    public Builder jdbcUrl(String jdbcUrl) {
      requireNonNull(jdbcUrl, "jdbcUrl");
      // The URL is not quoted back: it may carry a password.
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("jdbcUrl must start with \"jdbc:postgresql:\"");
      }
      // Checked now: a URL the driver refuses (a bad port, a bad escape) would otherwise fail
      // every operation later with HikariCP's unchecked exception, which quotes the URL.
      Properties parsed = org.postgresql.Driver.parseURL(jdbcUrl, null);
      if (parsed == null) {
        throw new IllegalArgumentException(
            "jdbcUrl is not a URL the PostgreSQL driver accepts, such as"
                + " jdbc:postgresql://host:5432/database");
      }
      // The driver lets a URL parameter win over the pool's properties, so a timeout in the URL
      // (socketTimeout=0, say) would silently undo the bound the builder promises.
      for (String option : URL_OPTIONS_OF_THE_BUILDER) {
        if (parsed.containsKey(option)) {
          throw new IllegalArgumentException(
              "jdbcUrl must not set "
                  + option
                  + ": the builder sets it (connectTimeout, socketTimeout, tcpKeepAlive)");
        }
      }
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    /** The user for the store's own pool; default none (the driver's, or the URL's). */
    public Builder username(String username) {
      this.username = requireNonNull(username, "username");
      return this;
    }

    /** The password for the store's own pool; default none. Never shown by {@code toString()}. */
    public Builder password(String password) {
      this.password = requireNonNull(password, "password");
      return this;
    }

    /**
     * The most connections the store's own pool holds, at least 1; default {@value
     * #DEFAULT_MAXIMUM_POOL_SIZE}.
     */
    public Builder maximumPoolSize(int maximumPoolSize) {
      if (maximumPoolSize < 1) {
        throw new IllegalArgumentException(
            "maximumPoolSize must be at least 1: " + maximumPoolSize);
      }
      this.maximumPoolSize = maximumPoolSize;
      return this;
    }

    /**
     * The longest an operation waits for a connection from the store's own pool, at least 250 ms;
     * default 5 seconds. Past it the operation fails with a store error.
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      requireNonNull(connectionTimeout, "connectionTimeout");
      if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
        throw new IllegalArgumentException(
            "connectionTimeout must be at least 250 ms: " + connectionTimeout);
      }
      this.connectionTimeout = connectionTimeout;
      return this;
    }

    /**
     * The driver's timeout for opening one connection, a whole number of seconds from 1 to 2147483
     * (about 24 days); default 10 seconds.
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = wholeSeconds("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * The driver's socket timeout, the longest one read from the server may block, a whole number
     * of seconds from 1 to 2147483 (about 24 days); default 30 seconds. It frees a thread that a
     * silent server holds; keep it above the longest statement the store runs (a sweep batch).
     */
    public Builder socketTimeout(Duration socketTimeout) {
      this.socketTimeout = wholeSeconds("socketTimeout", socketTimeout);
      return this;
    }

    /**
     * Whether the store's own pool's connections use TCP keep-alive, so that a connection to a
     * server that vanished is noticed; default true.
     */
    public Builder tcpKeepAlive(boolean tcpKeepAlive) {
      this.tcpKeepAlive = tcpKeepAlive;
      return this;
    }

    /**
     * The schema of the sessions table: a lowercase identifier of at most 63 characters matching
     * {@code [a-z_][a-z0-9_]*}; default {@value #DEFAULT_SCHEMA}. The schema must exist.
     */
    public Builder schema(String schema) {
      this.schema = Identifiers.require("schema", schema, Identifiers.MAX_LENGTH);
      return this;
    }

    /**
     * The name of the sessions table: a lowercase identifier of at most 48 characters matching
     * {@code [a-z_][a-z0-9_]*}; default {@value #DEFAULT_TABLE}. The expiry index is named after
     * it, with the suffix {@code _expires_at_idx}, and must fit PostgreSQL's 63 characters too.
     */
    public Builder table(String table) {
      this.table = Identifiers.require("table", table, Identifiers.MAX_TABLE_LENGTH);
      return this;
    }

    /**
     * Whether the store creates its table and index, if missing, when it starts; default false (run
     * {@code schema-postgresql.sql} or {@link PostgresSessionStore#schemaSql()} yourself).
     */
    public Builder createSchema(boolean createSchema) {
      this.createSchema = createSchema;
      return this;
    }

    /**
     * Whether {@link #createSchema(boolean)} creates the table {@code UNLOGGED}: faster writes, but
     * every session is lost when the server crashes or stops with {@code -m immediate}, and none
     * reaches a standby; default false. It does not alter an existing table.
     */
    public Builder unlogged(boolean unlogged) {
      this.unlogged = unlogged;
      return this;
    }

    /** Whether the store runs the background sweeper once started; default true. */
    public Builder sweeperEnabled(boolean sweeperEnabled) {
      this.sweeperEnabled = sweeperEnabled;
      return this;
    }

    /**
     * The delay between the end of one sweep and the start of the next, positive and at most 365
     * days; default 1 minute.
     */
    public Builder sweepInterval(Duration sweepInterval) {
      requireNonNull(sweepInterval, "sweepInterval");
      // Bounded so that start() can hand it to the scheduler in nanoseconds without overflow.
      if (sweepInterval.isNegative()
          || sweepInterval.isZero()
          || sweepInterval.compareTo(MAX_SWEEP_INTERVAL) > 0) {
        throw new IllegalArgumentException(
            "sweepInterval must be positive and at most 365 days: " + sweepInterval);
      }
      this.sweepInterval = sweepInterval;
      return this;
    }

    /**
     * The most expired rows one sweep statement deletes, from 1 to 100,000; default {@value
     * #DEFAULT_SWEEP_BATCH_SIZE}. Smaller batches hold their row locks for less time.
     */
    public Builder sweepBatchSize(int sweepBatchSize) {
      if (sweepBatchSize < 1 || sweepBatchSize > 100_000) {
        throw new IllegalArgumentException(
            "sweepBatchSize must be between 1 and 100000: " + sweepBatchSize);
      }
      this.sweepBatchSize = sweepBatchSize;
      return this;
    }

    /**
     * The scheduler the sweeper runs on; default a single daemon thread that the store makes when
     * it starts and shuts down on close. A scheduler given here is not shut down by the store.
     */
    public Builder sweeper(ScheduledExecutorService sweeper) {
      this.sweeper = requireNonNull(sweeper, "sweeper");
      return this;
    }

    /**
     * Builds the store. It opens no connection and starts no thread: see {@link
     * PostgresSessionStore} for when it starts.
     *
     * @throws IllegalStateException if neither or both of {@code dataSource} and {@code jdbcUrl}
     *     are set, or a pool option is set with {@code dataSource}
     */
    public PostgresSessionStore build() {
      if (dataSource == null && jdbcUrl == null) {
        throw new IllegalStateException("either dataSource or jdbcUrl must be set");
      }
      if (dataSource != null) {
        if (jdbcUrl != null) {
          throw new IllegalStateException("dataSource and jdbcUrl exclude each other: set one");
        }
        String poolOption =
            username != null
                ? "username"
                : password != null
                    ? "password"
                    : maximumPoolSize != null
                        ? "maximumPoolSize"
                        : connectionTimeout != null
                            ? "connectionTimeout"
                            : connectTimeout != null
                                ? "connectTimeout"
                                : socketTimeout != null
                                    ? "socketTimeout"
                                    : tcpKeepAlive != null ? "tcpKeepAlive" : null;
        if (poolOption != null) {
          throw new IllegalStateException(
              poolOption
                  + " applies only to the store's own pool (jdbcUrl), not to a dataSource:"
                  + " configure the data source itself");
        }
      } else {
        maximumPoolSize = maximumPoolSize != null ? maximumPoolSize : DEFAULT_MAXIMUM_POOL_SIZE;
        connectionTimeout =
            connectionTimeout != null ? connectionTimeout : DEFAULT_CONNECTION_TIMEOUT;
        connectTimeout = connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT;
        socketTimeout = socketTimeout != null ? socketTimeout : DEFAULT_SOCKET_TIMEOUT;
        tcpKeepAlive = tcpKeepAlive != null ? tcpKeepAlive : Boolean.TRUE;
      }
      return new PostgresSessionStore(this);
    }

    private static Duration wholeSeconds(String option, Duration value) {
      requireNonNull(value, option);
      if (value.isNegative()
          || value.isZero()
          || value.getNano() != 0
          || value.getSeconds() > MAX_DRIVER_TIMEOUT_SECONDS) {
        throw new IllegalArgumentException(
            option
                + " must be a whole number of seconds from 1 to "
                + MAX_DRIVER_TIMEOUT_SECONDS
                + ": "
                + value);
      }
      return value;
    }
  }
}
