package io.sessionstate.redis;

import static java.util.Objects.requireNonNull;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.ReplacingSessionStore;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A session store in Redis, over Jedis. Each session is one string key, {@code
 * {<applicationName>_<sessionKey>}_Data}, holding the session's blob with a millisecond time to
 * live. The braces are a Redis Cluster hash tag: every key of one session hashes to one slot.
 *
 * <p>One round trip per operation: a load is one {@code GETEX key PX ttl}, which reads and slides
 * the expiry together; a save is one {@code SET key blob PX ttl}; a touch is one {@code PEXPIRE}; a
 * delete is one {@code DEL}. A {@linkplain #replace replace} (a regenerated session key) is one
 * round trip too: on a standalone server or behind Sentinel it is a {@code MULTI}, {@code SET} of
 * the new key, {@code DEL} of the old one and {@code EXEC}, written together and answered together,
 * so no other client sees one without the other; on a Cluster the two keys live in different slots,
 * which neither a transaction nor a script may span, so it is a pipeline of the same {@code SET}
 * and {@code DEL}, sent to their nodes together (at most one round trip per node), the {@code SET}
 * first so that a failure between them leaves the session under both keys rather than under
 * neither.
 *
 * <p>Every failure is reported as a {@link SessionStoreException} naming the store ({@code redis}),
 * the operation and what Redis or the connection said; no Jedis exception escapes, other than as
 * the cause. With {@link Builder#retryTimeout(Duration)} set, failures that may pass (refused or
 * broken connections, timeouts, {@code CLUSTERDOWN}, {@code LOADING}, {@code READONLY}, {@code
 * TRYAGAIN}, {@code MASTERDOWN}) are retried first; with {@link Builder#throwOnError(boolean)}
 * false, a failure is logged and kept for {@link #lastError()} instead of thrown.
 *
 * <p>A connection on which an operation failed, timed out included, is marked broken by Jedis and
 * closed instead of returned to the pool, so a late reply can never be read as the answer to
 * another session's command.
 *
 * <p>Thread-safe. Every method throws {@link NullPointerException} for a null argument. Blobs are
 * copied on the way in (into the command) and the way out (a fresh array per reply). A store built
 * from options owns its client and closes it in {@link #close()}; a store built over a caller's
 * client ({@link Builder#client(UnifiedJedis)}) leaves it open.
 */
public final class RedisSessionStore implements ReplacingSessionStore {

  /** The default application name: {@value}. */
  public static final String DEFAULT_APPLICATION_NAME = "sessionstate";

  /** The default host: {@value}. */
  public static final String DEFAULT_HOST = "localhost";

  /** The default port: {@value}. */
  public static final int DEFAULT_PORT = 6379;

  /** The default connect timeout: 5 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(5000);

  /** The default operation timeout: 1 second. */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofMillis(1000);

  /** The default pool size per Redis node: {@value}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 16;

  /** The longest application name, in characters: {@value}. */
  public static final int MAX_APPLICATION_NAME_LENGTH = 128;

  private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);
  private static final String NAME = "redis";
  private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(20);
  private static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
  // Redis adds the time to live to its clock in milliseconds and rejects a sum that overflows.
  private static final long MAX_TTL_MILLIS = Long.MAX_VALUE / 4;
  private static final byte[] DATA_SUFFIX = "}_Data".getBytes(StandardCharsets.UTF_8);

  private final UnifiedJedis jedis;
  private final boolean ownsClient;
  private final boolean cluster;
  private final String applicationName;
  private final byte[] keyPrefix;
  private final Duration operationTimeout;
  private final Duration retryTimeout;
  private final boolean throwOnError;
  private final String description;
  private final AtomicReference<SessionStoreException> lastError = new AtomicReference<>();

  // JedisCluster is deprecated in favour of RedisClusterClient, yet callers may still pass one.
  @SuppressWarnings("deprecation")
  private RedisSessionStore(Builder b, UnifiedJedis jedis, boolean ownsClient, String description) {
    this.jedis = jedis;
    this.ownsClient = ownsClient;
    this.cluster = jedis instanceof RedisClusterClient || jedis instanceof JedisCluster;
    this.applicationName = b.applicationName;
    this.keyPrefix = ("{" + b.applicationName + "_").getBytes(StandardCharsets.UTF_8);
    this.operationTimeout = b.operationTimeout;
    this.retryTimeout = b.retryTimeout;
    this.throwOnError = b.throwOnError;
    this.description = description;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code redis}. */
  @Override
  public String name() {
    return NAME;
  }

  /** One {@code GETEX key PX ttl}. */
  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    byte[] redisKey = redisKey(key);
    GetExParams params = GetExParams.getExParams().px(ttlMillis(ttl));
    byte[] blob = run("load", () -> jedis.getEx(redisKey, params), null);
    return Optional.ofNullable(blob);
  }

  /** One {@code SET key blob PX ttl}. */
  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    byte[] redisKey = redisKey(key);
    requireNonNull(blob, "blob");
    SetParams params = SetParams.setParams().px(ttlMillis(ttl));
    byte[] copy = blob.clone();
    run("save", () -> jedis.set(redisKey, copy, params), null);
  }

  /** One {@code PEXPIRE key ttl}, which does nothing to a missing key. */
  @Override
  public void touch(String key, Duration ttl) {
    byte[] redisKey = redisKey(key);
    long millis = ttlMillis(ttl);
    run("touch", () -> jedis.pexpire(redisKey, millis), null);
  }

  /** One {@code DEL key}. */
  @Override
  public void delete(String key) {
    byte[] redisKey = redisKey(key);
    run("delete", () -> jedis.del(redisKey), null);
  }

  /**
   * One round trip: a {@code MULTI}/{@code EXEC} transaction of {@code SET newKey} and {@code DEL
   * oldKey} on a standalone server or behind Sentinel, where both are applied together; a pipeline
   * of the same two commands on a Cluster, where the keys sit in different slots and no transaction
   * can hold both, so for a moment both keys may be present.
   */
  @Override
  public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    byte[] oldRedisKey = redisKey(oldKey);
    byte[] newRedisKey = redisKey(newKey);
    requireNonNull(blob, "blob");
    long millis = ttlMillis(ttl);
    SetParams params = SetParams.setParams().px(millis);
    byte[] copy = blob.clone();
    boolean sameKey = oldKey.equals(newKey);
    run(
        "replace",
        () -> {
          if (sameKey) {
            return jedis.set(newRedisKey, copy, params);
          }
          if (cluster) {
            try (AbstractPipeline pipeline = jedis.pipelined()) {
              pipeline.set(newRedisKey, copy, params);
              pipeline.del(oldRedisKey);
              pipeline.sync();
            }
          } else {
            // Jedis' own multi() reads the replies to MULTI and to each queued command before it
            // sends EXEC: two round trips. Pipelined, the four commands go out in one write and
            // their replies come back together.
            try (AbstractPipeline pipeline = jedis.pipelined()) {
              pipeline.sendCommand(new CommandArguments(Protocol.Command.MULTI));
              pipeline.sendCommand(
                  new CommandArguments(Protocol.Command.SET)
                      .key(newRedisKey)
                      .add(copy)
                      .add(Protocol.Keyword.PX)
                      .add(millis));
              pipeline.sendCommand(new CommandArguments(Protocol.Command.DEL).key(oldRedisKey));
              Response<Object> exec =
                  pipeline.sendCommand(new CommandArguments(Protocol.Command.EXEC));
              pipeline.sync();
              // An error while queueing makes EXEC fail with EXECABORT, which get() throws; a
              // command that fails inside the transaction comes back as an element of the reply.
              if (exec.get() instanceof List<?> replies) {
                for (Object reply : replies) {
                  if (reply instanceof RuntimeException e) {
                    throw e;
                  }
                }
              } else {
                throw new JedisDataException(
                    "EXEC returned no reply list: the transaction did not run");
              }
            }
          }
          return null;
        },
        null);
  }

  /**
   * The last failure of an operation, when the store was built with {@code throwOnError(false)};
   * empty if none has failed. With {@code throwOnError(true)} (the default) failures are thrown and
   * this stays empty.
   */
  public Optional<SessionStoreException> lastError() {
    return Optional.ofNullable(lastError.get());
  }

  /** The application name that prefixes every key. */
  public String applicationName() {
    return applicationName;
  }

  /**
   * Closes the Jedis client if this store built it; a client passed to {@link
   * Builder#client(UnifiedJedis)} stays open.
   */
  @Override
  public void close() {
    if (ownsClient) {
      jedis.close();
    }
  }

  /** Names the deployment and options, never a password. */
  @Override
  public String toString() {
    return "RedisSessionStore{"
        + description
        + ", applicationName="
        + applicationName
        + ", operationTimeout="
        + operationTimeout
        + ", retryTimeout="
        + retryTimeout
        + ", throwOnError="
        + throwOnError
        + "}";
  }

  private byte[] redisKey(String key) {
    byte[] k = requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[keyPrefix.length + k.length + DATA_SUFFIX.length];
    System.arraycopy(keyPrefix, 0, out, 0, keyPrefix.length);
    System.arraycopy(k, 0, out, keyPrefix.length, k.length);
    System.arraycopy(DATA_SUFFIX, 0, out, keyPrefix.length + k.length, DATA_SUFFIX.length);
    return out;
  }

  private static long ttlMillis(Duration ttl) {
    requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    if (ttl.compareTo(Duration.ofMillis(MAX_TTL_MILLIS)) >= 0) {
      return MAX_TTL_MILLIS;
    }
    // Rounds up: PX 0 is an error, and a session must not expire before its time.
    long millis = ttl.toMillis();
    return ttl.equals(Duration.ofMillis(millis)) ? millis : millis + 1;
  }

  /**
   * Runs one operation with the retry policy; maps a failure to {@link SessionStoreException} and
   * either throws it or, without throwOnError, keeps it and returns {@code fallback}.
   */
  private <T> T run(String operation, Supplier<T> call, T fallback) {
    SessionStoreException failure;
    try {
      return withRetries(call);
    } catch (RuntimeException e) {
      failure = new SessionStoreException(NAME, operation, detail(e, operationTimeout), e);
    }
    if (throwOnError) {
      throw failure;
    }
    lastError.set(failure);
    log.warn("Redis session store: {} failed: {}", operation, failure.getMessage());
    return fallback;
  }

  /**
   * The retry policy of the Azure provider: with a retry timeout, a failure that may pass is tried
   * again after 20 ms, then every second until the retry timeout has passed since the first try,
   * then one last time.
   */
  private <T> T withRetries(Supplier<T> call) {
    if (retryTimeout.isZero()) {
      return call.get();
    }
    long start = System.nanoTime();
    long deadline = start + retryTimeout.toNanos();
    Duration delay = FIRST_RETRY_DELAY;
    boolean last = false;
    while (true) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (last || !retryable(e)) {
          throw e;
        }
        long now = System.nanoTime();
        long next = now + delay.toNanos();
        if (next - deadline >= 0) {
          next = deadline;
          last = true;
        }
        sleepUntil(next, e);
        delay = RETRY_INTERVAL;
      }
    }
  }

  private static void sleepUntil(long nanoTime, RuntimeException failure) {
    long wait = nanoTime - System.nanoTime();
    if (wait <= 0) {
      return;
    }
    try {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(ie);
      throw failure;
    }
  }

  static boolean retryable(Throwable e) {
    if (e instanceof JedisConnectionException || e instanceof JedisClusterOperationException) {
      return true;
    }
    String message = e.getMessage();
    if (message == null) {
      return false;
    }
    return message.startsWith("CLUSTERDOWN")
        || message.startsWith("LOADING")
        || message.startsWith("READONLY")
        || message.startsWith("TRYAGAIN")
        || message.startsWith("MASTERDOWN")
        || message.startsWith("Could not get a resource from the pool");
  }

  /** What went wrong, in words, with Redis' or the connection's own message. */
  static String detail(Throwable e, Duration operationTimeout) {
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("CLUSTERDOWN")) {
      return "the Redis Cluster is down (" + message + ")";
    }
    if (message.startsWith("LOADING")) {
      return "Redis is still loading its data set into memory (" + message + ")";
    }
    if (message.startsWith("READONLY")) {
      return "the Redis node is a read-only replica, as after a failover (" + message + ")";
    }
    if (message.startsWith("MASTERDOWN")) {
      return "the replica has lost its link to the master (" + message + ")";
    }
    if (message.startsWith("TRYAGAIN")) {
      return "the Redis Cluster is moving the slot (" + message + ")";
    }
    if (e instanceof JedisAccessControlException
        || message.startsWith("NOAUTH")
        || message.startsWith("WRONGPASS")
        || message.startsWith("NOPERM")) {
      return "Redis refused the credentials or the command (" + message + ")";
    }
    if (message.startsWith("Could not get a resource from the pool")) {
      Throwable cause = e.getCause();
      if (cause instanceof JedisConnectionException) {
        return detail(cause, operationTimeout);
      }
      return "no pooled connection to Redis became free within the operation timeout of "
          + operationTimeout
          + " ("
          + message
          + (cause == null ? "" : ": " + cause.getMessage())
          + ")";
    }
    if (hasCause(e, SocketTimeoutException.class)) {
      Throwable timeout = cause(e, SocketTimeoutException.class);
      return "Redis did not answer within the operation timeout of "
          + operationTimeout
          + " ("
          + timeout.getMessage()
          + ")";
    }
    if (hasCause(e, ConnectException.class)) {
      String refused = cause(e, ConnectException.class).getMessage();
      return "could not connect to Redis ("
          + (message.equals(refused) ? refused : message + " " + refused)
          + ")";
    }
    if (hasCause(e, UnknownHostException.class)) {
      return "the Redis host is unknown ("
          + cause(e, UnknownHostException.class).getMessage()
          + ")";
    }
    if (hasCause(e, SSLException.class)) {
      return "the TLS connection to Redis failed (" + cause(e, SSLException.class) + ")";
    }
    if (e instanceof JedisConnectionException) {
      return "the connection to Redis failed (" + message + ")";
    }
    if (e instanceof JedisClusterOperationException) {
      return "the Redis Cluster could not serve the command (" + message + ")";
    }
    return "Redis answered an error (" + message + ")";
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    return cause(e, type) != null;
  }

  private static Throwable cause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
      // Jedis reports a failed connect as "Failed to connect to host:port" and attaches the
      // socket's own exception, one per address tried, as suppressed rather than as the cause.
      for (Throwable suppressed : t.getSuppressed()) {
        if (type.isInstance(suppressed)) {
          return suppressed;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /**
   * Builds a {@link RedisSessionStore}, either over a Jedis client the application already has
   * ({@link #client(UnifiedJedis)}) or from options. Every setter validates its argument at once
   * and names the option and the bad value in its message; {@link #build()} checks how the options
   * combine. Not thread-safe.
   */
  public static final class Builder {
    private UnifiedJedis client;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String user;
    private String password;
    private boolean ssl;
    private SSLSocketFactory sslSocketFactory;
    private int database;
    private String applicationName = DEFAULT_APPLICATION_NAME;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
    private Duration retryTimeout = Duration.ZERO;
    private boolean throwOnError = true;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private String masterName;
    private Set<HostAndPort> sentinels;
    private Set<HostAndPort> clusterNodes;

    private Builder() {}

    /**
     * A Jedis client to use instead of building one: a {@code RedisClient}, {@code
     * RedisSentinelClient}, {@code RedisClusterClient} or {@code JedisCluster}, or any other {@link
     * UnifiedJedis}. The store does not close it. The connection options of this builder (host,
     * port, uri, credentials, ssl, database, timeouts, pool size, sentinel, cluster) must then be
     * left unset: the client's own configuration applies. {@code applicationName}, {@code
     * retryTimeout} and {@code throwOnError} still apply.
     */
    public Builder client(UnifiedJedis client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** The Redis host. Default {@value RedisSessionStore#DEFAULT_HOST}. */
    public Builder host(String host) {
      requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank: \"" + host + "\"");
      }
      this.host = host;
      return this;
    }

    /** The Redis port. Default {@value RedisSessionStore#DEFAULT_PORT}. */
    public Builder port(int port) {
      this.port = checkPort("port", port);
      return this;
    }

    /**
     * Host, port, credentials, TLS and database from one URI: {@code
     * redis[s]://[[user]:password@]host[:port][/database]}. {@code rediss} turns TLS on. Parts that
     * the URI leaves out keep their current values; a setter called later overrides the URI.
     */
    public Builder uri(String uri) {
      requireNonNull(uri, "uri");
      URI parsed;
      try {
        parsed = new URI(uri);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("uri is not a valid URI: " + redactUri(uri), e);
      }
      String scheme = parsed.getScheme();
      if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException(
            "uri must start with redis:// or rediss://: " + redactUri(uri));
      }
      if (parsed.getHost() == null) {
        throw new IllegalArgumentException("uri must name a host: " + redactUri(uri));
      }
      String path = parsed.getRawPath();
      int db = database;
      if (path != null && !path.isEmpty() && !path.equals("/")) {
        try {
          db = Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "uri must end with a database number: " + redactUri(uri), e);
        }
        checkDatabase(db);
      }
      String userInfo = parsed.getRawUserInfo();
      this.host = parsed.getHost();
      if (parsed.getPort() != -1) {
        this.port = checkPort("port", parsed.getPort());
      }
      this.ssl = "rediss".equalsIgnoreCase(scheme);
      this.database = db;
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        String u = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String p = colon < 0 ? null : userInfo.substring(colon + 1);
        this.user = u.isEmpty() ? null : URLDecoder.decode(u, StandardCharsets.UTF_8);
        this.password = p == null ? null : URLDecoder.decode(p, StandardCharsets.UTF_8);
        if (this.password == null) {
          // redis://secret@host: a lone user-info part is the password, as Redis clients read it.
          this.password = this.user;
          this.user = null;
        }
      }
      return this;
    }

    /** An ACL user and its password ({@code AUTH user password}). Default none. */
    public Builder user(String user, String password) {
      requireNonNull(user, "user");
      requireNonNull(password, "password");
      if (user.isEmpty()) {
        throw new IllegalArgumentException("user must not be empty");
      }
      this.user = user;
      this.password = password;
      return this;
    }

    /**
     * A password alone ({@code AUTH password}), as for a {@code requirepass} server or a cloud
     * access key. Default none. Clears a user set earlier.
     */
    public Builder accessKey(String accessKey) {
      requireNonNull(accessKey, "accessKey");
      if (accessKey.isEmpty()) {
        throw new IllegalArgumentException("accessKey must not be empty");
      }
      this.user = null;
      this.password = accessKey;
      return this;
    }

    /**
     * Whether to connect over TLS. Default false. The server's certificate is checked against the
     * JDK's trust store, or the {@link #sslSocketFactory(SSLSocketFactory)}'s, and its name against
     * the host.
     */
    public Builder ssl(boolean ssl) {
      this.ssl = ssl;
      return this;
    }

    /**
     * The factory for TLS sockets, carrying the trust material (and a client certificate, if the
     * server asks for one); used only with {@code ssl(true)}. Default the JDK's.
     */
    public Builder sslSocketFactory(SSLSocketFactory sslSocketFactory) {
      this.sslSocketFactory = requireNonNull(sslSocketFactory, "sslSocketFactory");
      return this;
    }

    /** The database number ({@code SELECT}); must stay 0 on a Cluster. Default 0. */
    public Builder database(int database) {
      this.database = checkDatabase(database);
      return this;
    }

    /**
     * The prefix that keeps this application's sessions apart from others in the same Redis: every
     * key is {@code {<applicationName>_<sessionKey>}_Data}. Default {@value
     * RedisSessionStore#DEFAULT_APPLICATION_NAME}. It must be 1 to {@value
     * RedisSessionStore#MAX_APPLICATION_NAME_LENGTH} characters, without braces (they would break
     * the Cluster hash tag), whitespace or control characters.
     */
    public Builder applicationName(String applicationName) {
      requireNonNull(applicationName, "applicationName");
      if (applicationName.isEmpty()) {
        throw new IllegalArgumentException("applicationName must not be empty");
      }
      if (applicationName.length() > MAX_APPLICATION_NAME_LENGTH) {
        throw new IllegalArgumentException(
            "applicationName must be at most "
                + MAX_APPLICATION_NAME_LENGTH
                + " characters: "
                + applicationName.length()
                + " characters");
      }
      for (int i = 0; i < applicationName.length(); ) {
        int c = applicationName.codePointAt(i);
        if (c == '{'
            || c == '}'
            || Character.isWhitespace(c)
            || Character.isISOControl(c)
            || Character.isSpaceChar(c)) {
          throw new IllegalArgumentException(
              "applicationName must not contain braces, whitespace or control characters: \""
                  + escape(applicationName)
                  + "\"");
        }
        i += Character.charCount(c);
      }
      this.applicationName = applicationName;
      return this;
    }

    /** How long opening a connection may take. Default 5000 ms. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = checkMillis("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * How long one command may wait for its reply, and how long an operation may wait for a free
     * pooled connection. On a standalone server the two share one budget: a command that waited for
     * its connection gets only what is left of this timeout for its reply. Default 1000 ms. Keep it
     * below the session manager's I/O timeout.
     */
    public Builder operationTimeout(Duration operationTimeout) {
      this.operationTimeout = checkMillis("operationTimeout", operationTimeout);
      return this;
    }

    /**
     * How long to keep retrying an operation that failed in a way that may pass (a refused or
     * broken connection, a timeout, {@code CLUSTERDOWN}, {@code LOADING}, {@code READONLY}): the
     * first retry after 20 ms, then one every second until this much time has passed since the
     * first try, then one last try. Default zero: no retry. Keep it below the session manager's I/O
     * timeout, which otherwise fails the request first.
     */
    public Builder retryTimeout(Duration retryTimeout) {
      requireNonNull(retryTimeout, "retryTimeout");
      if (retryTimeout.isNegative()) {
        throw new IllegalArgumentException("retryTimeout must not be negative: " + retryTimeout);
      }
      this.retryTimeout = retryTimeout;
      return this;
    }

    /**
     * Whether a failed operation throws {@link SessionStoreException}. Default true. When false, a
     * failure is logged at WARN (without the session's key) and kept for {@link
     * RedisSessionStore#lastError()}; a failed load then reads as a missing session, so the request
     * starts an empty one, and a failed save, touch or delete is lost.
     */
    public Builder throwOnError(boolean throwOnError) {
      this.throwOnError = throwOnError;
      return this;
    }

    /**
     * The most connections the pool holds to one Redis node; an operation that finds none free
     * waits at most the operation timeout, then fails. Default {@value
     * RedisSessionStore#DEFAULT_MAX_CONNECTIONS}.
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Finds the master through Sentinel instead of connecting to {@code host}: the master's name
     * and at least one sentinel's address. The credentials, TLS and timeouts apply to the master
     * and to the sentinels.
     */
    public Builder sentinel(String masterName, Set<HostAndPort> sentinels) {
      requireNonNull(masterName, "masterName");
      requireNonNull(sentinels, "sentinels");
      if (masterName.isBlank()) {
        throw new IllegalArgumentException("masterName must not be blank: \"" + masterName + "\"");
      }
      this.sentinels = checkNodes("sentinels", sentinels);
      this.masterName = masterName;
      return this;
    }

    /**
     * Connects to a Redis Cluster through these seed nodes (at least one) instead of to {@code
     * host}; the client discovers the other nodes.
     */
    public Builder cluster(Set<HostAndPort> nodes) {
      requireNonNull(nodes, "nodes");
      this.clusterNodes = checkNodes("cluster nodes", nodes);
      return this;
    }

    /**
     * Builds the store. Over a caller's client this opens nothing. From options it creates a Jedis
     * client with a pool that opens connections on first use, with one exception each: a Sentinel
     * client asks the sentinels for the master at once, and a Cluster client reads the slot map
     * from the seed nodes at once; if they cannot be reached this throws {@link
     * SessionStoreException} with the operation {@code connect}.
     *
     * @throws IllegalStateException if the options contradict each other
     */
    public RedisSessionStore build() {
      if (client != null) {
        if (connectionOptionsSet()) {
          throw new IllegalStateException(
              "client(...) excludes the connection options (host, port, uri, user, accessKey,"
                  + " ssl, sslSocketFactory, database, connectTimeout, operationTimeout,"
                  + " maxConnections, sentinel, cluster): the client's own configuration applies");
        }
        return new RedisSessionStore(this, client, false, "client=" + client.getClass().getName());
      }
      if (sentinels != null && clusterNodes != null) {
        throw new IllegalStateException("sentinel(...) and cluster(...) exclude each other");
      }
      if (clusterNodes != null && database != 0) {
        throw new IllegalStateException("database must be 0 on a Redis Cluster: " + database);
      }
      if (sslSocketFactory != null && !ssl) {
        throw new IllegalStateException(
            "sslSocketFactory is set but ssl is false: call ssl(true) or rediss:// too");
      }
      JedisClientConfig config = clientConfig(database);
      ConnectionPoolConfig pool = new ConnectionPoolConfig();
      pool.setMaxTotal(maxConnections);
      pool.setMaxIdle(maxConnections);
      pool.setMinIdle(0);
      pool.setBlockWhenExhausted(true);
      // A request must never wait forever for a connection.
      pool.setMaxWait(operationTimeout);
      pool.setTestOnBorrow(false);
      UnifiedJedis jedis;
      String described;
      try {
        if (clusterNodes != null) {
          jedis =
              RedisClusterClient.builder()
                  .nodes(clusterNodes)
                  .clientConfig(config)
                  .poolConfig(pool)
                  // Redirections and reconnections must fit in about one operation timeout.
                  .maxTotalRetriesDuration(operationTimeout)
                  .build();
          described = "cluster=" + clusterNodes;
        } else if (sentinels != null) {
          jedis =
              RedisSentinelClient.builder()
                  .masterName(masterName)
                  .sentinels(sentinels)
                  .clientConfig(config)
                  .sentinelClientConfig(clientConfig(0))
                  .poolConfig(pool)
                  .build();
          described = "sentinel=" + masterName + "@" + sentinels;
        } else {
          HostAndPort address = new HostAndPort(host, port);
          jedis =
              RedisClient.builder()
                  .hostAndPort(address)
                  .clientConfig(config)
                  .connectionProvider(
                      new DeadlineConnectionProvider(
                          new PooledConnectionProvider(address, config, pool), operationTimeout))
                  .build();
          described = "host=" + host + ":" + port + (database == 0 ? "" : "/" + database);
        }
      } catch (RuntimeException e) {
        throw new SessionStoreException(NAME, "connect", detail(e, operationTimeout), e);
      }
      return new RedisSessionStore(this, jedis, true, described + (ssl ? ", ssl" : ""));
    }

    private boolean connectionOptionsSet() {
      return !host.equals(DEFAULT_HOST)
          || port != DEFAULT_PORT
          || user != null
          || password != null
          || ssl
          || sslSocketFactory != null
          || database != 0
          || !connectTimeout.equals(DEFAULT_CONNECT_TIMEOUT)
          || !operationTimeout.equals(DEFAULT_OPERATION_TIMEOUT)
          || maxConnections != DEFAULT_MAX_CONNECTIONS
          || sentinels != null
          || clusterNodes != null;
    }

    // Jedis 8 deprecates ssl(boolean) and sslSocketFactory(...) in favour of SslOptions, which
    // takes only key and trust store files; a caller's SSLSocketFactory needs the older route.
    @SuppressWarnings("deprecation")
    private JedisClientConfig clientConfig(int db) {
      DefaultJedisClientConfig.Builder config =
          DefaultJedisClientConfig.builder()
              .connectionTimeoutMillis((int) connectTimeout.toMillis())
              .socketTimeoutMillis((int) operationTimeout.toMillis())
              // A new connection sends nothing before its first command (only AUTH, when there
              // are credentials): no HELLO to negotiate RESP3 and no CLIENT SETINFO, which would
              // each cost a round trip, and on a frozen server hold up for a whole timeout the
              // thread that opens the connection, often one that just failed its own command.
              .autoNegotiateProtocol(false)
              .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
              .database(db)
              .ssl(ssl);
      if (password != null) {
        config.password(password);
        if (user != null) {
          config.user(user);
        }
      }
      if (ssl) {
        if (sslSocketFactory != null) {
          config.sslSocketFactory(sslSocketFactory);
        }
        // Checks the certificate's name against the host, which the JDK skips for raw sockets.
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        config.sslParameters(parameters);
      }
      return config.build();
    }

    private static int checkPort(String option, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(option + " must be between 1 and 65535: " + port);
      }
      return port;
    }

    private static int checkDatabase(int database) {
      if (database < 0) {
        throw new IllegalArgumentException("database must not be negative: " + database);
      }
      return database;
    }

    private static Duration checkMillis(String option, Duration value) {
      requireNonNull(value, option);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(option + " must be positive: " + value);
      }
      if (value.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(option + " must be at least 1 millisecond: " + value);
      }
      if (value.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
        throw new IllegalArgumentException(
            option + " must be at most " + Duration.ofMillis(Integer.MAX_VALUE) + ": " + value);
      }
      return value;
    }

    private static Set<HostAndPort> checkNodes(String option, Set<HostAndPort> nodes) {
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException(option + " must name at least one node");
      }
      for (HostAndPort node : nodes) {
        if (node == null) {
          throw new NullPointerException(option + " must not contain null");
        }
      }
      return Set.copyOf(new LinkedHashSet<>(nodes));
    }

    /** The URI without its user-info part, which may hold a password. */
    private static String redactUri(String uri) {
      int at = uri.lastIndexOf('@');
      int scheme = uri.indexOf("://");
      if (at >= 0 && scheme >= 0 && at > scheme) {
        return uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1);
      }
      return uri;
    }

    private static String escape(String s) {
      StringBuilder out = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isISOControl(c) || (Character.isWhitespace(c) && c != ' ')) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }
}
