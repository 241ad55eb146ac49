package io.sessionstate.spring.boot;

import io.sessionstate.CommitMode;
import io.sessionstate.CookieOptions;
import io.sessionstate.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code sessionstate.*} properties. A property left unset takes Spring Boot's own setting
 * where a Boot user already made one (named in each property's description), then the library's
 * default. Not thread-safe: Spring Boot binds it once at startup.
 */
@ConfigurationProperties("sessionstate")
public class SessionStateProperties {

  /**
   * Where sessions are kept: memory (this process only), redis or postgresql. Required, unless the
   * application defines its own SessionStore bean.
   */
  private @Nullable StoreType store;

  /**
   * How long a session lives without a request. Default: server.servlet.session.timeout when it is
   * set, otherwise 20 minutes.
   */
  private @Nullable Duration idleTimeout;

  /** How long a session may live whatever its activity. Default: no limit. */
  private @Nullable Duration absoluteLifetime;

  /** How long one asynchronous load or commit may take. Default: 1 minute. */
  private @Nullable Duration ioTimeout;

  /**
   * How a commit treats a session another request of the same visitor committed meanwhile: merge
   * (only the values this request wrote; a Spring app's several concurrent requests, such as a page
   * and its Ajax calls, lose no update), coherent (the whole session, last writer wins) or strict
   * (a conflict fails the request).
   */
  private CommitMode commitMode = CommitMode.MERGE;

  /**
   * Whether "X-Forwarded-Proto: https" makes a request count as secure for the cookie. Default:
   * true when server.forward-headers-strategy is native or framework, otherwise false.
   */
  private @Nullable Boolean trustForwardedProto;

  private final Cookie cookie = new Cookie();

  private final KeyRing keyRing = new KeyRing();

  private final Codec codec = new Codec();

  private final Filter filter = new Filter();

  private final Memory memory = new Memory();

  private final Redis redis = new Redis();

  private final Postgresql postgresql = new Postgresql();

  public @Nullable StoreType getStore() {
    return store;
  }

  public void setStore(@Nullable StoreType store) {
    this.store = store;
  }

  public @Nullable Duration getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(@Nullable Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public @Nullable Duration getAbsoluteLifetime() {
    return absoluteLifetime;
  }

  public void setAbsoluteLifetime(@Nullable Duration absoluteLifetime) {
    this.absoluteLifetime = absoluteLifetime;
  }

  public @Nullable Duration getIoTimeout() {
    return ioTimeout;
  }

  public void setIoTimeout(@Nullable Duration ioTimeout) {
    this.ioTimeout = ioTimeout;
  }

  public CommitMode getCommitMode() {
    return commitMode;
  }

  public void setCommitMode(CommitMode commitMode) {
    this.commitMode = commitMode;
  }

  public @Nullable Boolean getTrustForwardedProto() {
    return trustForwardedProto;
  }

  public void setTrustForwardedProto(@Nullable Boolean trustForwardedProto) {
    this.trustForwardedProto = trustForwardedProto;
  }

  public Cookie getCookie() {
    return cookie;
  }

  public KeyRing getKeyRing() {
    return keyRing;
  }

  public Codec getCodec() {
    return codec;
  }

  public Filter getFilter() {
    return filter;
  }

  public Memory getMemory() {
    return memory;
  }

  public Redis getRedis() {
    return redis;
  }

  public Postgresql getPostgresql() {
    return postgresql;
  }

  /** The stores {@code sessionstate.store} can name. */
  public enum StoreType {
    /** The in-process memory store (session-store-memory). */
    MEMORY("memory", "session-store-memory", "io.sessionstate.memory.MemorySessionStore"),
    /** The Redis store (session-store-redis). */
    REDIS("redis", "session-store-redis", "io.sessionstate.redis.RedisSessionStore"),
    /** The PostgreSQL store (session-store-postgresql). */
    POSTGRESQL(
        "postgresql",
        "session-store-postgresql",
        "io.sessionstate.postgresql.PostgresSessionStore");

    private final String value;
    private final String artifactId;
    private final String storeClass;

    StoreType(String value, String artifactId, String storeClass) {
      this.value = value;
      this.artifactId = artifactId;
      this.storeClass = storeClass;
    }

    String value() {
      return value;
    }

    String artifactId() {
      return artifactId;
    }

    String storeClass() {
      return storeClass;
    }
  }

  /** The session cookie. */
  public static class Cookie {

    /** The cookie's name. Default: server.servlet.session.cookie.name, otherwise "session". */
    private @Nullable String name;

    /** The cookie's path. Default: server.servlet.session.cookie.path, otherwise "/". */
    private @Nullable String path;

    /** The cookie's domain. Default: server.servlet.session.cookie.domain, otherwise none. */
    private @Nullable String domain;

    /**
     * Whether the cookie is HttpOnly. Default: server.servlet.session.cookie.http-only, or true.
     */
    private @Nullable Boolean httpOnly;

    /**
     * When the cookie is Secure: same-as-request, always or never. Default:
     * server.servlet.session.cookie.secure (true is always, false is never), otherwise
     * same-as-request.
     */
    private CookieOptions.@Nullable SecurePolicy secure;

    /**
     * The cookie's SameSite attribute: strict, lax or none. Default:
     * server.servlet.session.cookie.same-site, otherwise lax.
     */
    private CookieOptions.@Nullable SameSite sameSite;

    /**
     * The cookie's Max-Age. Default: server.servlet.session.cookie.max-age, otherwise none (a
     * browser-session cookie).
     */
    private @Nullable Duration maxAge;

    /**
     * Whether the cookie is Partitioned (CHIPS). Default:
     * server.servlet.session.cookie.partitioned, otherwise false.
     */
    private @Nullable Boolean partitioned;

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }

    public @Nullable String getPath() {
      return path;
    }

    public void setPath(@Nullable String path) {
      this.path = path;
    }

    public @Nullable String getDomain() {
      return domain;
    }

    public void setDomain(@Nullable String domain) {
      this.domain = domain;
    }

    public @Nullable Boolean getHttpOnly() {
      return httpOnly;
    }

    public void setHttpOnly(@Nullable Boolean httpOnly) {
      this.httpOnly = httpOnly;
    }

    public CookieOptions.@Nullable SecurePolicy getSecure() {
      return secure;
    }

    public void setSecure(CookieOptions.@Nullable SecurePolicy secure) {
      this.secure = secure;
    }

    public CookieOptions.@Nullable SameSite getSameSite() {
      return sameSite;
    }

    public void setSameSite(CookieOptions.@Nullable SameSite sameSite) {
      this.sameSite = sameSite;
    }

    public @Nullable Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(@Nullable Duration maxAge) {
      this.maxAge = maxAge;
    }

    public @Nullable Boolean getPartitioned() {
      return partitioned;
    }

    public void setPartitioned(@Nullable Boolean partitioned) {
      this.partitioned = partitioned;
    }
  }

  /** The secrets that sign cookies and stored blobs. */
  public static class KeyRing {

    /**
     * Keys by id (1 to 32 characters of A-Z a-z 0-9 _ -), each a Base64 secret of at least 32
     * bytes. Required for a store other processes share (redis, postgresql); with the memory store
     * and no key, a key is generated for this process.
     */
    private Map<String, String> keys = new LinkedHashMap<>();

    /** The id of the key that signs. Required when more than one key is given. */
    private @Nullable String primary;

    /** Ids of keys that never verify again (a leaked secret). */
    private List<String> revoked = new ArrayList<>();

    public Map<String, String> getKeys() {
      return keys;
    }

    public void setKeys(Map<String, String> keys) {
      this.keys = keys;
    }

    public @Nullable String getPrimary() {
      return primary;
    }

    public void setPrimary(@Nullable String primary) {
      this.primary = primary;
    }

    public List<String> getRevoked() {
      return revoked;
    }

    public void setRevoked(List<String> revoked) {
      this.revoked = revoked;
    }
  }

  /** The codec of session attribute values. */
  public static class Codec {

    /**
     * Packages whose classes may be stored, besides the application's own packages, Spring
     * Security's and the JDK's value types.
     */
    private List<String> allowedPackages = new ArrayList<>();

    /** Single classes that may be stored, by fully qualified name. */
    private List<String> allowedClasses = new ArrayList<>();

    public List<String> getAllowedPackages() {
      return allowedPackages;
    }

    public void setAllowedPackages(List<String> allowedPackages) {
      this.allowedPackages = allowedPackages;
    }

    public List<String> getAllowedClasses() {
      return allowedClasses;
    }

    public void setAllowedClasses(List<String> allowedClasses) {
      this.allowedClasses = allowedClasses;
    }
  }

  /** The Servlet filter's registration. */
  public static class Filter {

    /**
     * The filter's order: ahead of Spring Security (-100), so that sign-in lands in this session.
     */
    private int order = Integer.MIN_VALUE + 50;

    /** The dispatcher types the filter serves. */
    private Set<DispatcherType> dispatcherTypes =
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);

    /** What a request does when its session cannot be committed. */
    private SessionFilter.CommitFailure commitFailure = SessionFilter.CommitFailure.RESPOND_503;

    public int getOrder() {
      return order;
    }

    public void setOrder(int order) {
      this.order = order;
    }

    public Set<DispatcherType> getDispatcherTypes() {
      return dispatcherTypes;
    }

    public void setDispatcherTypes(Set<DispatcherType> dispatcherTypes) {
      this.dispatcherTypes = dispatcherTypes;
    }

    public SessionFilter.CommitFailure getCommitFailure() {
      return commitFailure;
    }

    public void setCommitFailure(SessionFilter.CommitFailure commitFailure) {
      this.commitFailure = commitFailure;
    }
  }

  /** The memory store. */
  public static class Memory {

    /** The most session data the store keeps before evicting. */
    private DataSize maximumSize = DataSize.ofMegabytes(128);

    public DataSize getMaximumSize() {
      return maximumSize;
    }

    public void setMaximumSize(DataSize maximumSize) {
      this.maximumSize = maximumSize;
    }
  }

  /**
   * The Redis store. The connection comes from Spring Boot's Redis connection details
   * (spring.data.redis.*, or a service connection).
   */
  public static class Redis {

    /**
     * The prefix that keeps this application's sessions apart from others in the same Redis.
     * Default: spring.application.name, otherwise "sessionstate".
     */
    private @Nullable String applicationName;

    /** How long to keep retrying an operation that failed in a way that may pass. Default: 0. */
    private @Nullable Duration retryTimeout;

    public @Nullable String getApplicationName() {
      return applicationName;
    }

    public void setApplicationName(@Nullable String applicationName) {
      this.applicationName = applicationName;
    }

    public @Nullable Duration getRetryTimeout() {
      return retryTimeout;
    }

    public void setRetryTimeout(@Nullable Duration retryTimeout) {
      this.retryTimeout = retryTimeout;
    }
  }

  /** The PostgreSQL store, over the application's DataSource. */
  public static class Postgresql {

    /** The schema of the sessions table. */
    private String schema = "public";

    /** The sessions table. */
    private String table = "sessionstate_sessions";

    /**
     * When the table is created at startup: embedded (only in an embedded database, which
     * PostgreSQL never is), always (if it does not exist), or never.
     */
    private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

    /** Whether a created table is UNLOGGED (faster, emptied by a crash). */
    private boolean unlogged;

    public String getSchema() {
      return schema;
    }

    public void setSchema(String schema) {
      this.schema = schema;
    }

    public String getTable() {
      return table;
    }

    public void setTable(String table) {
      this.table = table;
    }

    public SchemaInitialization getInitializeSchema() {
      return initializeSchema;
    }

    public void setInitializeSchema(SchemaInitialization initializeSchema) {
      this.initializeSchema = initializeSchema;
    }

    public boolean isUnlogged() {
      return unlogged;
    }

    public void setUnlogged(boolean unlogged) {
      this.unlogged = unlogged;
    }
  }

  /** When a store's schema is created at startup, as Spring Boot's own initializers do. */
  public enum SchemaInitialization {
    /** Only in an embedded database. */
    EMBEDDED,
    /** Always (a table that exists is kept). */
    ALWAYS,
    /** Never: the schema comes from the application's migrations. */
    NEVER
  }
}
