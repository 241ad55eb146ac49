package io.sessionstate.redis;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;

/**
 * A session store in Redis, over Jedis. Each session is one string key, {@code
 * {<applicationName>_<sessionKey>}_Data}, holding the session's blob with a millisecond time to
 * live. The braces are a Redis Cluster hash tag: every key of one session hashes to one slot.
 *
 * <p>One round trip per operation: a load is one {@code GETEX key PX ttl}, which reads and slides
 * the expiry together; a save is one {@code SET key blob PX ttl}; a touch is one {@code PEXPIRE}; a
 * delete is one {@code DEL}; a {@linkplain #replace replace} (a regenerated session key) is one
 * transaction, or two commands on a Cluster, as {@link #replace} says.
 *
 * <p><b>Versions and tombstones</b> ({@link VersionedSessionStore}). The store keeps a session's
 * version in a 20-byte header of its own in front of the blob, in the same string value: {@code FF
 * 'S' 'S' 'V'} and the version as 16 digits. A tombstone is the value {@code FF 'S' 'S' 'T'} with a
 * token of at most 16 bytes. A value without the header (what the plain {@link #save} writes, and
 * what earlier versions of this store wrote) is a blob at version 0, so existing sessions stay
 * readable and the first conditional save gives them a header. Keeping the version in the value
 * rather than in a second key keeps every operation on one key, so on a Cluster each is on one slot
 * and needs no cross-slot script. A {@linkplain #loadVersioned versioned load} reads the value and
 * slides it, but not a tombstone, and a {@linkplain #saveIf conditional save} checks the header and
 * writes the new value atomically, each in one round trip as described there, with the blob kept
 * out of Lua on one node; an {@linkplain #invalidate invalidation} is one {@code SET}; a move to a
 * new key is described at {@link #replaceIf}. A script the server does not know yet (after a
 * restart or a failover) is sent once whole with {@code EVAL}. Through {@link #loadAndTouch} a
 * tombstone reads as absent; that {@code GETEX}, like {@link #touch}'s {@code PEXPIRE}, slides it,
 * which only keeps the signed-out key refused for longer.
 *
 * <p>Every failure is reported as a {@link SessionStoreException} naming the store ({@code redis}),
 * the operation and what Redis or the connection said; no Jedis exception escapes, other than as
 * the cause. With {@link Builder#retryTimeout(Duration)} set, failures that may pass (refused or
 * broken connections, timeouts, {@code CLUSTERDOWN}, {@code LOADING}, {@code READONLY}, {@code
 * TRYAGAIN}, {@code MASTERDOWN}) are retried first; with {@link Builder#throwOnError(boolean)}
 * false, a failure is logged and kept for {@link #lastError()} instead of thrown.
 *
 * <p>A connection whose command timed out, or whose socket failed, is marked broken by Jedis and
 * closed instead of returned to the pool, so a late reply can never be read as the answer to
 * another session's command. One that got an error reply from Redis has read that reply whole and
 * goes back to the pool.
 *
 * <p>Thread-safe. Every method throws {@link NullPointerException} for a null argument. Blobs are
 * copied on the way in (into the command) and the way out (a fresh array per reply). A store built
 * from options owns its client and closes it in {@link #close()}; a store built over a caller's
 * client ({@link Builder#client(UnifiedJedis)}) leaves it open.
 */
public final class RedisSessionStore extends RedisStoreOperations {

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

  /** How often the principal index is pruned of expired sessions' entries: 1 minute. */
  public static final Duration DEFAULT_INDEX_PRUNE_INTERVAL = Duration.ofMinutes(1);

  static final String NAME = "redis";

  private final boolean ownsClient;
  private final String applicationName;
  private final String description;

  private RedisSessionStore(
      RedisStoreOptions options, UnifiedJedis jedis, boolean ownsClient, String description) {
    super(jedis, options);
    this.ownsClient = ownsClient;
    this.applicationName = options.applicationName();
    this.description = description;
  }

  /** {@return a new builder with every option unset} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code redis}. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@return the last failure of an operation, when the store was built with {@code
   * throwOnError(false)}; empty if none has failed} With {@code throwOnError(true)} (the default)
   * failures are thrown and this stays empty.
   */
  public Optional<SessionStoreException> lastError() {
    return calls.lastError();
  }

  /** {@return the application name that prefixes every key} */
  public String applicationName() {
    return applicationName;
  }

  /**
   * Closes the Jedis client if this store built it; a client passed to {@link
   * Builder#client(UnifiedJedis)} stays open. Idempotent. Every operation after it fails at once,
   * without retrying, with a {@link SessionStoreException} that says the store is closed.
   */
  @Override
  public void close() {
    pruner.close();
    calls.close();
    if (ownsClient) {
      jedis.close();
    }
  }

  /** Names the deployment and options, never a password. */
  @Override
  public String toString() {
    return String.format(
        "RedisSessionStore{%s, applicationName=%s, operationTimeout=%s, retryTimeout=%s,"
            + " throwOnError=%s}",
        description,
        applicationName,
        calls.operationTimeout(),
        calls.retryTimeout(),
        calls.throwOnError());
  }

  /**
   * Builds a {@link RedisSessionStore}, either over a Jedis client the application already has
   * ({@link #client(UnifiedJedis)}) or from options. Every setter validates its argument at once
   * and names the option and the bad value in its message. Each option may be set once: a second
   * call, or a setter for a part that {@link #uri(String)} already set, throws {@link
   * IllegalStateException} saying what it was set to ({@code "port was already set to 6380 by
   * uri"}); credentials, whether from {@link #user}, {@link #accessKey} or the URI, are one option.
   * {@link #build()} checks how the options combine. Not thread-safe.
   */
  public static final class Builder {
    private final RedisStoreOptions options = new RedisStoreOptions();

    private Builder() {}

    /**
     * A Jedis client to use instead of building one: on Jedis 8 a {@code RedisClient}, {@code
     * RedisSentinelClient} or {@code RedisClusterClient}, on Jedis 7 a {@code JedisPooled} or
     * {@code JedisSentineled}, on either a {@code JedisCluster}, or any other {@link UnifiedJedis}.
     * The store does not close it. The connection options of this builder (host, port, uri,
     * credentials, ssl, database, timeouts, pool size, sentinel, cluster) must then be left unset:
     * the client's own configuration applies. {@code applicationName}, {@code retryTimeout} and
     * {@code throwOnError} still apply.
     *
     * @param client the caller's client, which the store does not close
     * @return this builder
     */
    public Builder client(UnifiedJedis client) {
      options.client(client);
      return this;
    }

    /**
     * The Redis host. Default {@value RedisSessionStore#DEFAULT_HOST}.
     *
     * @param host the host name or address
     * @return this builder
     */
    public Builder host(String host) {
      options.host(host);
      return this;
    }

    /**
     * The Redis port. Default {@value RedisSessionStore#DEFAULT_PORT}.
     *
     * @param port the port, from 1 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      options.port(port);
      return this;
    }

    /**
     * Host, port, credentials, TLS and database from one URI: {@code
     * redis[s]://[[user]:password@]host[:port][/database]}. {@code rediss} turns TLS on, {@code
     * redis} leaves it off. Parts that the URI leaves out (the port, the credentials, the database)
     * may be set by their own setters, before or after; a part it names must not be set by its
     * setter too.
     *
     * @param uri the server's URI
     * @return this builder
     */
    public Builder uri(String uri) {
      options.uri(uri);
      return this;
    }

    /**
     * An ACL user and its password ({@code AUTH user password}). Default none.
     *
     * @param user the ACL user
     * @param password the user's password
     * @return this builder
     */
    public Builder user(String user, String password) {
      options.user(user, password);
      return this;
    }

    /**
     * A password alone ({@code AUTH password}), as for a {@code requirepass} server or a cloud
     * access key. Default none. Excludes {@link #user(String, String)}.
     *
     * @param accessKey the password or access key, not empty
     * @return this builder
     */
    public Builder accessKey(String accessKey) {
      options.accessKey(accessKey);
      return this;
    }

    /**
     * Whether to connect over TLS. Default false. The server's certificate is checked against the
     * JDK's trust store, or the {@link #sslSocketFactory(SSLSocketFactory)}'s, and its name against
     * the host.
     *
     * @param ssl whether to use TLS
     * @return this builder
     */
    public Builder ssl(boolean ssl) {
      options.ssl(ssl);
      return this;
    }

    /**
     * The factory for TLS sockets, carrying the trust material (and a client certificate, if the
     * server asks for one); used only with {@code ssl(true)}. Default the JDK's.
     *
     * @param sslSocketFactory the factory for TLS sockets
     * @return this builder
     */
    public Builder sslSocketFactory(SSLSocketFactory sslSocketFactory) {
      options.sslSocketFactory(sslSocketFactory);
      return this;
    }

    /**
     * The database number ({@code SELECT}); must stay 0 on a Cluster. Default 0.
     *
     * @param database the database number, not negative
     * @return this builder
     */
    public Builder database(int database) {
      options.database(database);
      return this;
    }

    /**
     * The prefix that keeps this application's sessions apart from others in the same Redis: every
     * key is {@code {<applicationName>_<sessionKey>}_Data}. Default {@value
     * RedisSessionStore#DEFAULT_APPLICATION_NAME}. It must be 1 to {@value
     * RedisSessionStore#MAX_APPLICATION_NAME_LENGTH} characters, without braces (they would break
     * the Cluster hash tag), whitespace or control characters.
     *
     * @param applicationName the key prefix
     * @return this builder
     */
    public Builder applicationName(String applicationName) {
      options.applicationName(applicationName);
      return this;
    }

    /**
     * How long opening a connection may take. Default 5000 ms.
     *
     * @param connectTimeout the connect timeout, positive
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      options.connectTimeout(connectTimeout);
      return this;
    }

    /**
     * How long one command may wait for its reply, and how long an operation may wait for a free
     * pooled connection. On a standalone server the two share one budget: a command that waited for
     * its connection gets only what is left of this timeout for its reply. Behind Sentinel or on a
     * Cluster each has its own budget, so a command may take up to twice this. Default 1000 ms.
     * Keep it (twice it behind Sentinel or on a Cluster) below the session manager's I/O timeout.
     *
     * @param operationTimeout the operation timeout, positive
     * @return this builder
     */
    public Builder operationTimeout(Duration operationTimeout) {
      options.operationTimeout(operationTimeout);
      return this;
    }

    /**
     * How long to keep retrying an operation that failed in a way that may pass (a refused or
     * broken connection, a timeout, {@code CLUSTERDOWN}, {@code LOADING}, {@code READONLY}): the
     * first retry after 20 ms, then one every second until this much time has passed since the
     * first try, then one last try. Default zero: no retry. Keep it below the session manager's I/O
     * timeout, which otherwise fails the request first.
     *
     * @param retryTimeout how long to keep retrying, zero for no retry
     * @return this builder
     */
    public Builder retryTimeout(Duration retryTimeout) {
      options.retryTimeout(retryTimeout);
      return this;
    }

    /**
     * Whether a failed operation throws {@link SessionStoreException}. Default true. When false, a
     * failure is logged at WARN (without the session's key) and kept for {@link
     * RedisSessionStore#lastError()}; a failed load then reads as a missing session, so the request
     * starts an empty one, and a failed save, touch or delete is lost.
     *
     * @param throwOnError whether a failed operation throws
     * @return this builder
     */
    public Builder throwOnError(boolean throwOnError) {
      options.throwOnError(throwOnError);
      return this;
    }

    /**
     * How often this store removes the principal index entries of expired sessions, on a daemon
     * thread that starts with its first index call. Default 1 minute: no entry outlives its session
     * by more than this, plus one pass.
     *
     * @param indexPruneInterval the time between two pruning passes, positive
     * @return this builder
     */
    public Builder indexPruneInterval(Duration indexPruneInterval) {
      options.indexPruneInterval(indexPruneInterval);
      return this;
    }

    /**
     * The most connections the pool holds to one Redis node; an operation that finds none free
     * waits at most the operation timeout, then fails. Default {@value
     * RedisSessionStore#DEFAULT_MAX_CONNECTIONS}.
     *
     * @param maxConnections the most connections per node, positive
     * @return this builder
     */
    public Builder maxConnections(int maxConnections) {
      options.maxConnections(maxConnections);
      return this;
    }

    /**
     * Finds the master through Sentinel instead of connecting to {@code host}: the master's name
     * and at least one sentinel's address. The credentials set with {@code password} apply to the
     * master only; the sentinels' own are set with {@link #sentinelCredentials}. TLS and timeouts
     * apply to the master and to the sentinels.
     *
     * @param masterName the name Sentinel knows the master by
     * @param sentinels the Sentinel nodes, at least one
     * @return this builder
     */
    public Builder sentinel(String masterName, Set<HostAndPort> sentinels) {
      options.sentinel(masterName, sentinels);
      return this;
    }

    /**
     * The sentinels' own credentials (TLS and timeouts apply to them as to the master; its
     * credentials do not): an ACL user and its password, or a null user for a password alone
     * ({@code requirepass}). Default none: no {@code AUTH} to the sentinels.
     *
     * @param user the sentinels' ACL user, or null for a password alone
     * @param password the sentinels' password; it never appears in a message
     * @return this builder
     * @throws IllegalArgumentException if the user or the password is empty
     * @throws IllegalStateException if set twice
     */
    public Builder sentinelCredentials(@Nullable String user, String password) {
      options.sentinelCredentials(user, password);
      return this;
    }

    /**
     * Connects to a Redis Cluster through these seed nodes (at least one) instead of to {@code
     * host}; the client discovers the other nodes.
     *
     * @param nodes the seed nodes, at least one
     * @return this builder
     */
    public Builder cluster(Set<HostAndPort> nodes) {
      options.cluster(nodes);
      return this;
    }

    /**
     * Builds the store. Over a caller's client this opens nothing. From options it creates a Jedis
     * client with a pool that opens connections on first use, with one exception each: a Sentinel
     * client asks the sentinels for the master at once, and a Cluster client reads the slot map
     * from the seed nodes at once; if they cannot be reached this throws {@link
     * SessionStoreException} with the operation {@code connect}.
     *
     * @return the store, thread-safe
     * @throws IllegalStateException if the options contradict each other, or if the Jedis on the
     *     class path is older than 7.0.0 (the message names the version found and the fix)
     */
    public RedisSessionStore build() {
      JedisVersion.check();
      options.checkCombination();
      UnifiedJedis client = options.client();
      if (client != null) {
        return new RedisSessionStore(
            options, client, false, "client=" + client.getClass().getName());
      }
      RedisClients.Opened opened = RedisClients.open(options);
      return new RedisSessionStore(options, opened.jedis(), true, opened.description());
    }
  }
}
