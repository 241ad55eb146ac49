package io.sessionstate.spring.boot;

import io.sessionstate.CookieOptions;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The session cookie: the {@code sessionstate.cookie.*} properties, which {@link
 * SessionStateProperties} holds. Not thread-safe: Spring Boot binds them once at startup.
 */
public class CookieProperties {

  /** The cookie's name. Default: server.servlet.session.cookie.name, otherwise "session". */
  private @Nullable String name;

  /** The cookie's path. Default: server.servlet.session.cookie.path, otherwise "/". */
  private @Nullable String path;

  /** The cookie's domain. Default: server.servlet.session.cookie.domain, otherwise none. */
  private @Nullable String domain;

  /** Whether the cookie is HttpOnly. Default: server.servlet.session.cookie.http-only, or true. */
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
   * Whether the cookie is Partitioned (CHIPS). Default: server.servlet.session.cookie.partitioned,
   * otherwise false.
   */
  private @Nullable Boolean partitioned;

  /** Properties at their defaults, for Spring Boot to bind. */
  public CookieProperties() {}

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

  /** {@return the value of {@code sessionstate.cookie.partitioned}, or null when it is not set} */
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
