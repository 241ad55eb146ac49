package io.sessionstate.redis;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;

/**
 * The options of a {@link RedisSessionStore.Builder}: each is validated when set and may be set
 * once; an option never set holds its unset sentinel ({@code null} or {@link #UNSET_INT}), and its
 * accessor answers the default without writing it back. {@link #checkCombination()} rejects options
 * that contradict each other. Not thread-safe.
 */
final class RedisStoreOptions {
  static final int UNSET_INT = -1;

  private @Nullable UnifiedJedis client;
  private @Nullable String uri;
  private @Nullable String host;
  private int port = UNSET_INT;
  private boolean credentialsSet;
  private @Nullable String user;
  private @Nullable String password;
  private @Nullable Boolean ssl;
  private @Nullable SSLSocketFactory sslSocketFactory;
  private int database = UNSET_INT;
  private @Nullable String applicationName;
  private @Nullable Duration connectTimeout;
  private @Nullable Duration operationTimeout;
  private @Nullable Duration retryTimeout;
  private @Nullable Boolean throwOnError;
  private @Nullable Duration indexPruneInterval;
  private int maxConnections = UNSET_INT;
  private @Nullable String masterName;
  private @Nullable Set<HostAndPort> sentinels;
  private @Nullable String sentinelUser;
  private @Nullable String sentinelPassword;
  private @Nullable Set<HostAndPort> clusterNodes;
  // The options that uri(...) set, so that a clash names where the first value came from.
  private final Set<String> fromUri = new HashSet<>();

  void client(UnifiedJedis client) {
    requireNonNull(client, "client");
    requireUnset(this.client == null, "client", this.client == null ? null : describe(this.client));
    this.client = client;
  }

  void host(String host) {
    requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank: \"" + host + "\"");
    }
    requireUnset(this.host == null, "host", this.host);
    this.host = host;
  }

  void port(int port) {
    OptionChecks.checkPort("port", port);
    requireUnset(this.port == UNSET_INT, "port", this.port);
    this.port = port;
  }

  /** Sets every part the URI names, or none of them if one of those parts was set already. */
  void uri(String uri) {
    requireNonNull(uri, "uri");
    requireUnset(this.uri == null, "uri", this.uri);
    RedisUri parsed = RedisUri.parse(uri);
    requireUnset(host == null, "host", host);
    if (parsed.port != RedisUri.UNSET) {
      requireUnset(port == UNSET_INT, "port", port);
    }
    requireUnset(ssl == null, "ssl", ssl);
    if (parsed.database != RedisUri.UNSET) {
      requireUnset(database == UNSET_INT, "database", database);
    }
    if (parsed.password != null) {
      requireCredentialsUnset();
    }
    this.uri = parsed.redacted;
    host = parsed.host;
    fromUri.add("host");
    ssl = parsed.ssl;
    fromUri.add("ssl");
    if (parsed.port != RedisUri.UNSET) {
      port = parsed.port;
      fromUri.add("port");
    }
    if (parsed.database != RedisUri.UNSET) {
      database = parsed.database;
      fromUri.add("database");
    }
    if (parsed.password != null) {
      credentials(parsed.user, parsed.password);
      fromUri.add(parsed.user == null ? "password" : "user");
    }
  }

  void user(String user, String password) {
    requireNonNull(user, "user");
    requireNonNull(password, "password");
    if (user.isEmpty()) {
      throw new IllegalArgumentException("user must not be empty");
    }
    requireCredentialsUnset();
    credentials(user, password);
  }

  void accessKey(String accessKey) {
    requireNonNull(accessKey, "accessKey");
    if (accessKey.isEmpty()) {
      throw new IllegalArgumentException("accessKey must not be empty");
    }
    requireCredentialsUnset();
    credentials(null, accessKey);
  }

  void ssl(boolean ssl) {
    requireUnset(this.ssl == null, "ssl", this.ssl);
    this.ssl = ssl;
  }

  void sslSocketFactory(SSLSocketFactory sslSocketFactory) {
    requireNonNull(sslSocketFactory, "sslSocketFactory");
    requireUnset(
        this.sslSocketFactory == null,
        "sslSocketFactory",
        this.sslSocketFactory == null ? null : describe(this.sslSocketFactory));
    this.sslSocketFactory = sslSocketFactory;
  }

  void database(int database) {
    OptionChecks.checkDatabase(database);
    requireUnset(this.database == UNSET_INT, "database", this.database);
    this.database = database;
  }

  void applicationName(String applicationName) {
    requireNonNull(applicationName, "applicationName");
    if (applicationName.isEmpty()) {
      throw new IllegalArgumentException("applicationName must not be empty");
    }
    int max = RedisSessionStore.MAX_APPLICATION_NAME_LENGTH;
    if (applicationName.length() > max) {
      throw new IllegalArgumentException(
          "applicationName must be at most "
              + max
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
                + OptionChecks.escape(applicationName)
                + "\"");
      }
      i += Character.charCount(c);
    }
    requireUnset(this.applicationName == null, "applicationName", this.applicationName);
    this.applicationName = applicationName;
  }

  void connectTimeout(Duration connectTimeout) {
    OptionChecks.checkMillis("connectTimeout", connectTimeout);
    requireUnset(this.connectTimeout == null, "connectTimeout", this.connectTimeout);
    this.connectTimeout = connectTimeout;
  }

  void operationTimeout(Duration operationTimeout) {
    OptionChecks.checkMillis("operationTimeout", operationTimeout);
    requireUnset(this.operationTimeout == null, "operationTimeout", this.operationTimeout);
    this.operationTimeout = operationTimeout;
  }

  void retryTimeout(Duration retryTimeout) {
    requireNonNull(retryTimeout, "retryTimeout");
    if (retryTimeout.isNegative()) {
      throw new IllegalArgumentException("retryTimeout must not be negative: " + retryTimeout);
    }
    requireUnset(this.retryTimeout == null, "retryTimeout", this.retryTimeout);
    this.retryTimeout = retryTimeout;
  }

  void indexPruneInterval(Duration interval) {
    requireNonNull(interval, "indexPruneInterval");
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException(
          "indexPruneInterval must be at least 1 millisecond: " + interval);
    }
    requireUnset(this.indexPruneInterval == null, "indexPruneInterval", this.indexPruneInterval);
    this.indexPruneInterval = interval;
  }

  Duration indexPruneInterval() {
    return indexPruneInterval != null
        ? indexPruneInterval
        : RedisSessionStore.DEFAULT_INDEX_PRUNE_INTERVAL;
  }

  void throwOnError(boolean throwOnError) {
    requireUnset(this.throwOnError == null, "throwOnError", this.throwOnError);
    this.throwOnError = throwOnError;
  }

  void maxConnections(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
    }
    requireUnset(this.maxConnections == UNSET_INT, "maxConnections", this.maxConnections);
    this.maxConnections = maxConnections;
  }

  void sentinel(String masterName, Set<HostAndPort> sentinels) {
    requireNonNull(masterName, "masterName");
    requireNonNull(sentinels, "sentinels");
    if (masterName.isBlank()) {
      throw new IllegalArgumentException("masterName must not be blank: \"" + masterName + "\"");
    }
    Set<HostAndPort> nodes = OptionChecks.checkNodes("sentinels", sentinels);
    requireUnset(this.sentinels == null, "sentinel", this.masterName + "@" + this.sentinels);
    this.sentinels = nodes;
    this.masterName = masterName;
  }

  /** The sentinels' own credentials; {@code user} null for a password alone. */
  void sentinelCredentials(@Nullable String user, String password) {
    requireNonNull(password, "sentinel password");
    if (password.isEmpty() || (user != null && user.isEmpty())) {
      throw new IllegalArgumentException("the sentinels' user and password must not be empty");
    }
    // The value is a secret: the message names the option alone.
    if (sentinelPassword != null) {
      throw new IllegalStateException("the sentinels' credentials were already set");
    }
    sentinelUser = user;
    sentinelPassword = password;
  }

  void cluster(Set<HostAndPort> nodes) {
    requireNonNull(nodes, "nodes");
    Set<HostAndPort> checked = OptionChecks.checkNodes("cluster nodes", nodes);
    requireUnset(clusterNodes == null, "cluster", clusterNodes);
    this.clusterNodes = checked;
  }

  /**
   * Rejects options that contradict each other.
   *
   * @throws IllegalStateException naming the options
   */
  void checkCombination() {
    if (client != null) {
      if (connectionOptionsSet()) {
        throw new IllegalStateException(
            "client(...) excludes the connection options (host, port, uri, user, accessKey,"
                + " ssl, sslSocketFactory, database, connectTimeout, operationTimeout,"
                + " maxConnections, sentinel, sentinel credentials, cluster): the client's own"
                + " configuration applies");
      }
      return;
    }
    if (sentinelPassword != null && sentinels == null) {
      throw new IllegalStateException("sentinelCredentials(...) needs sentinel(...)");
    }
    if (sentinels != null && clusterNodes != null) {
      throw new IllegalStateException("sentinel(...) and cluster(...) exclude each other");
    }
    if (clusterNodes != null && database() != 0) {
      throw new IllegalStateException("database must be 0 on a Redis Cluster: " + database);
    }
    if (sslSocketFactory != null && !ssl()) {
      throw new IllegalStateException(
          "sslSocketFactory is set but ssl is false: call ssl(true) or rediss:// too");
    }
  }

  private boolean connectionOptionsSet() {
    return uri != null
        || host != null
        || port != UNSET_INT
        || credentialsSet
        || ssl != null
        || sslSocketFactory != null
        || database != UNSET_INT
        || connectTimeout != null
        || operationTimeout != null
        || maxConnections != UNSET_INT
        || sentinels != null
        || sentinelPassword != null
        || clusterNodes != null;
  }

  @Nullable UnifiedJedis client() {
    return client;
  }

  String host() {
    return host != null ? host : RedisSessionStore.DEFAULT_HOST;
  }

  int port() {
    return port != UNSET_INT ? port : RedisSessionStore.DEFAULT_PORT;
  }

  /** The ACL user, or {@code null} for none. */
  @Nullable String user() {
    return user;
  }

  /** The password or access key, or {@code null} for none. */
  @Nullable String password() {
    return password;
  }

  boolean ssl() {
    return ssl != null && ssl;
  }

  /** The caller's TLS socket factory, or {@code null} for the JDK's. */
  @Nullable SSLSocketFactory sslSocketFactory() {
    return sslSocketFactory;
  }

  int database() {
    return database != UNSET_INT ? database : 0;
  }

  String applicationName() {
    return applicationName != null ? applicationName : RedisSessionStore.DEFAULT_APPLICATION_NAME;
  }

  Duration connectTimeout() {
    return connectTimeout != null ? connectTimeout : RedisSessionStore.DEFAULT_CONNECT_TIMEOUT;
  }

  Duration operationTimeout() {
    return operationTimeout != null
        ? operationTimeout
        : RedisSessionStore.DEFAULT_OPERATION_TIMEOUT;
  }

  Duration retryTimeout() {
    return retryTimeout != null ? retryTimeout : Duration.ZERO;
  }

  boolean throwOnError() {
    return throwOnError == null || throwOnError;
  }

  int maxConnections() {
    return maxConnections != UNSET_INT ? maxConnections : RedisSessionStore.DEFAULT_MAX_CONNECTIONS;
  }

  /** The Sentinel master's name, or {@code null} when not behind Sentinel. */
  @Nullable String masterName() {
    return masterName;
  }

  /** The sentinels, or {@code null} when not behind Sentinel. */
  @Nullable Set<HostAndPort> sentinels() {
    return sentinels;
  }

  /** The sentinels' ACL user, or {@code null} for none. */
  @Nullable String sentinelUser() {
    return sentinelUser;
  }

  /** The sentinels' password, or {@code null}: they are asked without {@code AUTH}. */
  @Nullable String sentinelPassword() {
    return sentinelPassword;
  }

  /** The Cluster's seed nodes, or {@code null} when not on a Cluster. */
  @Nullable Set<HostAndPort> clusterNodes() {
    return clusterNodes;
  }

  private void credentials(@Nullable String user, @Nullable String password) {
    this.credentialsSet = true;
    this.user = user;
    this.password = password;
  }

  /** Credentials are one option, whichever of user, accessKey or uri set them. */
  private void requireCredentialsUnset() {
    if (!credentialsSet) {
      return;
    }
    if (user != null) {
      requireUnset(false, "user", user);
    }
    // The value is a secret: the message names the option alone.
    String option = fromUri.contains("password") ? "password" : "accessKey";
    throw new IllegalStateException(option + " was already set" + source(option));
  }

  private void requireUnset(boolean unset, String option, @Nullable Object current) {
    if (!unset) {
      throw new IllegalStateException(option + " was already set to " + current + source(option));
    }
  }

  private String source(String option) {
    return fromUri.contains(option) ? " by uri" : "";
  }

  private static String describe(Object o) {
    return "a " + o.getClass().getName();
  }
}
