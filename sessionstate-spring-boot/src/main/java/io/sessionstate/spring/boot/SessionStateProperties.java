package io.sessionstate.spring.boot;

import io.sessionstate.CommitMode;
import java.time.Duration;
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

  @NestedConfigurationProperty private final CookieProperties cookie = new CookieProperties();

  @NestedConfigurationProperty private final KeyRingProperties keyRing = new KeyRingProperties();

  @NestedConfigurationProperty private final CodecProperties codec = new CodecProperties();

  @NestedConfigurationProperty private final FilterProperties filter = new FilterProperties();

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
  public CookieProperties getCookie() {
    return cookie;
  }

  /** {@return the {@code sessionstate.key-ring.*} properties} */
  public KeyRingProperties getKeyRing() {
    return keyRing;
  }

  /** {@return the {@code sessionstate.codec.*} properties} */
  public CodecProperties getCodec() {
    return codec;
  }

  /** {@return the {@code sessionstate.filter.*} properties} */
  public FilterProperties getFilter() {
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
}
