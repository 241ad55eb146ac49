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
import org.springframework.boot.context.properties.NestedConfigurationProperty;

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
  private StoreProperties.@Nullable StoreType store;

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

  @NestedConfigurationProperty
  private final StoreProperties.Memory memory = new StoreProperties.Memory();

  @NestedConfigurationProperty
  private final StoreProperties.Redis redis = new StoreProperties.Redis();

  @NestedConfigurationProperty
  private final StoreProperties.Postgresql postgresql = new StoreProperties.Postgresql();

  /** Properties at their defaults, for Spring Boot to bind. */
  public SessionStateProperties() {}

  /** {@return the value of {@code sessionstate.store}, or null when it is not set} */
  public StoreProperties.@Nullable StoreType getStore() {
    return store;
  }

  /**
   * Sets {@code sessionstate.store}.
   *
   * @param store the value, or null for the default
   */
  public void setStore(StoreProperties.@Nullable StoreType store) {
    this.store = store;
  }

  /** {@return the value of {@code sessionstate.idle-timeout}, or null when it is not set} */
  public @Nullable Duration getIdleTimeout() {
    return idleTimeout;
  }

  /**
   * Sets {@code sessionstate.idle-timeout}.
   *
   * @param idleTimeout the value, or null for the default
   */
  public void setIdleTimeout(@Nullable Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  /** {@return the value of {@code sessionstate.absolute-lifetime}, or null when it is not set} */
  public @Nullable Duration getAbsoluteLifetime() {
    return absoluteLifetime;
  }

  /**
   * Sets {@code sessionstate.absolute-lifetime}.
   *
   * @param absoluteLifetime the value, or null for the default
   */
  public void setAbsoluteLifetime(@Nullable Duration absoluteLifetime) {
    this.absoluteLifetime = absoluteLifetime;
  }

  /** {@return the value of {@code sessionstate.io-timeout}, or null when it is not set} */
  public @Nullable Duration getIoTimeout() {
    return ioTimeout;
  }

  /**
   * Sets {@code sessionstate.io-timeout}.
   *
   * @param ioTimeout the value, or null for the default
   */
  public void setIoTimeout(@Nullable Duration ioTimeout) {
    this.ioTimeout = ioTimeout;
  }

  /** {@return the value of {@code sessionstate.commit-mode}} */
  public CommitMode getCommitMode() {
    return commitMode;
  }

  /**
   * Sets {@code sessionstate.commit-mode}.
   *
   * @param commitMode the value
   */
  public void setCommitMode(CommitMode commitMode) {
    this.commitMode = commitMode;
  }

  /**
   * {@return the value of {@code sessionstate.trust-forwarded-proto}, or null when it is not set}
   */
  public @Nullable Boolean getTrustForwardedProto() {
    return trustForwardedProto;
  }

  /**
   * Sets {@code sessionstate.trust-forwarded-proto}.
   *
   * @param trustForwardedProto the value, or null for the default
   */
  public void setTrustForwardedProto(@Nullable Boolean trustForwardedProto) {
    this.trustForwardedProto = trustForwardedProto;
  }

  /** {@return the {@code sessionstate.cookie.*} properties} */
  public Cookie getCookie() {
    return cookie;
  }

  /** {@return the {@code sessionstate.key-ring.*} properties} */
  public KeyRing getKeyRing() {
    return keyRing;
  }

  /** {@return the {@code sessionstate.codec.*} properties} */
  public Codec getCodec() {
    return codec;
  }

  /** {@return the {@code sessionstate.filter.*} properties} */
  public Filter getFilter() {
    return filter;
  }

  /** {@return the {@code sessionstate.memory.*} properties} */
  public StoreProperties.Memory getMemory() {
    return memory;
  }

  /** {@return the {@code sessionstate.redis.*} properties} */
  public StoreProperties.Redis getRedis() {
    return redis;
  }

  /** {@return the {@code sessionstate.postgresql.*} properties} */
  public StoreProperties.Postgresql getPostgresql() {
    return postgresql;
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

    /** Properties at their defaults, for Spring Boot to bind. */
    public Cookie() {}

    /** {@return the value of {@code sessionstate.cookie.name}, or null when it is not set} */
    public @Nullable String getName() {
      return name;
    }

    /**
     * Sets {@code sessionstate.cookie.name}.
     *
     * @param name the value, or null for the default
     */
    public void setName(@Nullable String name) {
      this.name = name;
    }

    /** {@return the value of {@code sessionstate.cookie.path}, or null when it is not set} */
    public @Nullable String getPath() {
      return path;
    }

    /**
     * Sets {@code sessionstate.cookie.path}.
     *
     * @param path the value, or null for the default
     */
    public void setPath(@Nullable String path) {
      this.path = path;
    }

    /** {@return the value of {@code sessionstate.cookie.domain}, or null when it is not set} */
    public @Nullable String getDomain() {
      return domain;
    }

    /**
     * Sets {@code sessionstate.cookie.domain}.
     *
     * @param domain the value, or null for the default
     */
    public void setDomain(@Nullable String domain) {
      this.domain = domain;
    }

    /** {@return the value of {@code sessionstate.cookie.http-only}, or null when it is not set} */
    public @Nullable Boolean getHttpOnly() {
      return httpOnly;
    }

    /**
     * Sets {@code sessionstate.cookie.http-only}.
     *
     * @param httpOnly the value, or null for the default
     */
    public void setHttpOnly(@Nullable Boolean httpOnly) {
      this.httpOnly = httpOnly;
    }

    /** {@return the value of {@code sessionstate.cookie.secure}, or null when it is not set} */
    public CookieOptions.@Nullable SecurePolicy getSecure() {
      return secure;
    }

    /**
     * Sets {@code sessionstate.cookie.secure}.
     *
     * @param secure the value, or null for the default
     */
    public void setSecure(CookieOptions.@Nullable SecurePolicy secure) {
      this.secure = secure;
    }

    /** {@return the value of {@code sessionstate.cookie.same-site}, or null when it is not set} */
    public CookieOptions.@Nullable SameSite getSameSite() {
      return sameSite;
    }

    /**
     * Sets {@code sessionstate.cookie.same-site}.
     *
     * @param sameSite the value, or null for the default
     */
    public void setSameSite(CookieOptions.@Nullable SameSite sameSite) {
      this.sameSite = sameSite;
    }

    /** {@return the value of {@code sessionstate.cookie.max-age}, or null when it is not set} */
    public @Nullable Duration getMaxAge() {
      return maxAge;
    }

    /**
     * Sets {@code sessionstate.cookie.max-age}.
     *
     * @param maxAge the value, or null for the default
     */
    public void setMaxAge(@Nullable Duration maxAge) {
      this.maxAge = maxAge;
    }

    /**
     * {@return the value of {@code sessionstate.cookie.partitioned}, or null when it is not set}
     */
    public @Nullable Boolean getPartitioned() {
      return partitioned;
    }

    /**
     * Sets {@code sessionstate.cookie.partitioned}.
     *
     * @param partitioned the value, or null for the default
     */
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

    /** Properties at their defaults, for Spring Boot to bind. */
    public KeyRing() {}

    /** {@return the value of {@code sessionstate.key-ring.keys}} */
    public Map<String, String> getKeys() {
      return keys;
    }

    /**
     * Sets {@code sessionstate.key-ring.keys}.
     *
     * @param keys the value
     */
    public void setKeys(Map<String, String> keys) {
      this.keys = keys;
    }

    /** {@return the value of {@code sessionstate.key-ring.primary}, or null when it is not set} */
    public @Nullable String getPrimary() {
      return primary;
    }

    /**
     * Sets {@code sessionstate.key-ring.primary}.
     *
     * @param primary the value, or null for the default
     */
    public void setPrimary(@Nullable String primary) {
      this.primary = primary;
    }

    /** {@return the value of {@code sessionstate.key-ring.revoked}} */
    public List<String> getRevoked() {
      return revoked;
    }

    /**
     * Sets {@code sessionstate.key-ring.revoked}.
     *
     * @param revoked the value
     */
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

    /** Properties at their defaults, for Spring Boot to bind. */
    public Codec() {}

    /** {@return the value of {@code sessionstate.codec.allowed-packages}} */
    public List<String> getAllowedPackages() {
      return allowedPackages;
    }

    /**
     * Sets {@code sessionstate.codec.allowed-packages}.
     *
     * @param allowedPackages the value
     */
    public void setAllowedPackages(List<String> allowedPackages) {
      this.allowedPackages = allowedPackages;
    }

    /** {@return the value of {@code sessionstate.codec.allowed-classes}} */
    public List<String> getAllowedClasses() {
      return allowedClasses;
    }

    /**
     * Sets {@code sessionstate.codec.allowed-classes}.
     *
     * @param allowedClasses the value
     */
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

    /** Properties at their defaults, for Spring Boot to bind. */
    public Filter() {}

    /** {@return the value of {@code sessionstate.filter.order}} */
    public int getOrder() {
      return order;
    }

    /**
     * Sets {@code sessionstate.filter.order}.
     *
     * @param order the value
     */
    public void setOrder(int order) {
      this.order = order;
    }

    /** {@return the value of {@code sessionstate.filter.dispatcher-types}} */
    public Set<DispatcherType> getDispatcherTypes() {
      return dispatcherTypes;
    }

    /**
     * Sets {@code sessionstate.filter.dispatcher-types}.
     *
     * @param dispatcherTypes the value
     */
    public void setDispatcherTypes(Set<DispatcherType> dispatcherTypes) {
      this.dispatcherTypes = dispatcherTypes;
    }

    /** {@return the value of {@code sessionstate.filter.commit-failure}} */
    public SessionFilter.CommitFailure getCommitFailure() {
      return commitFailure;
    }

    /**
     * Sets {@code sessionstate.filter.commit-failure}.
     *
     * @param commitFailure the value
     */
    public void setCommitFailure(SessionFilter.CommitFailure commitFailure) {
      this.commitFailure = commitFailure;
    }
  }
}
