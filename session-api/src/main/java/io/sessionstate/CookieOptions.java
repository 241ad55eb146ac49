package io.sessionstate;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How the session cookie is named and sent. Immutable and thread-safe; build one with {@link
 * #builder()}. The defaults follow OWASP and ASP.NET Core: name {@code session}, path {@code /}, no
 * domain, {@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} when the request is secure, no
 * {@code Partitioned}, and no {@code Max-Age}, so the cookie lives as long as the browser session.
 *
 * <p>With a {@code Max-Age} ({@link Builder#maxAge(Duration)} or {@link
 * Builder#maxAgeFollowsIdleTimeout()}) the cookie is persistent, and it is sent again, with its
 * {@code Max-Age} counted afresh, on every response to a request that carried a valid session
 * cookie, so it expires only after that long without a request.
 *
 * <p>No parameter or result is null except the builder's {@link Builder#domain(String)}, where null
 * means none; an absent domain or {@code Max-Age} reads as an empty {@code Optional}.
 */
public final class CookieOptions {

  /** The {@code SameSite} attribute of the cookie. */
  public enum SameSite {
    /** Sent only with same-site requests. */
    STRICT("Strict"),
    /** Sent with same-site requests and top-level navigations; the default. */
    LAX("Lax"),
    /** Sent with every request; browsers require {@code Secure} with it. */
    NONE("None");

    private final String attribute;

    SameSite(String attribute) {
      this.attribute = attribute;
    }

    String attribute() {
      return attribute;
    }
  }

  /** When the cookie carries the {@code Secure} attribute. */
  public enum SecurePolicy {
    /** {@code Secure} when the request came over HTTPS; the default. */
    SAME_AS_REQUEST,
    /** Always {@code Secure}. */
    ALWAYS,
    /** Never {@code Secure}; for plain-HTTP development only. */
    NEVER
  }

  /** The longest {@code Max-Age} browsers keep (RFC 6265bis caps cookie lifetimes at 400 days). */
  public static final Duration MAX_MAX_AGE = Duration.ofDays(400);

  private static final CookieOptions DEFAULTS = builder().build();

  private final String name;
  private final String path;
  private final @Nullable String domain;
  private final boolean httpOnly;
  private final SameSite sameSite;
  private final SecurePolicy securePolicy;
  private final @Nullable Duration maxAge;
  private final boolean maxAgeFollowsIdleTimeout;
  private final boolean partitioned;

  // The attributes of a session cookie that is neither persistent nor expired, with and without
  // Secure: the same for every such cookie, so made once. A race makes the same string twice.
  private @Nullable String plainAttributes;
  private @Nullable String secureAttributes;

  private CookieOptions(Builder builder) {
    this.name = builder.name;
    this.path = builder.path;
    this.domain = builder.domain;
    this.httpOnly = builder.httpOnly;
    this.sameSite = builder.sameSite;
    this.securePolicy = builder.securePolicy;
    this.maxAge = builder.maxAge;
    this.maxAgeFollowsIdleTimeout = builder.maxAgeFollowsIdleTimeout;
    this.partitioned = builder.partitioned;
  }

  /** {@return the default options} */
  public static CookieOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts options from the defaults: see the class description.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the cookie's name; default {@code session}} */
  public String name() {
    return name;
  }

  /** {@return the cookie's {@code Path}; default {@code /}} */
  public String path() {
    return path;
  }

  /**
   * {@return the cookie's {@code Domain}; default none, so the cookie goes to the exact host only}
   */
  public Optional<String> domain() {
    return Optional.ofNullable(domain);
  }

  /** {@return whether the cookie is {@code HttpOnly}, hidden from scripts; default true} */
  public boolean httpOnly() {
    return httpOnly;
  }

  /** {@return the cookie's {@code SameSite}; default {@link SameSite#LAX}} */
  public SameSite sameSite() {
    return sameSite;
  }

  /** {@return when the cookie is {@code Secure}; default {@link SecurePolicy#SAME_AS_REQUEST}} */
  public SecurePolicy securePolicy() {
    return securePolicy;
  }

  /**
   * {@return the fixed {@code Max-Age} set by {@link Builder#maxAge(Duration)}; empty by default (a
   * browser-session cookie) and when it follows the idle timeout}
   */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /**
   * {@return whether the cookie's {@code Max-Age} is the manager's idle timeout, set by {@link
   * Builder#maxAgeFollowsIdleTimeout()}; default false}
   */
  public boolean maxAgeFollowsIdleTimeout() {
    return maxAgeFollowsIdleTimeout;
  }

  /** {@return whether the cookie carries {@code Partitioned} (CHIPS); default false} */
  public boolean partitioned() {
    return partitioned;
  }

  /** Whether the cookie has a {@code Max-Age} and is re-issued on every request to slide it. */
  boolean persistent() {
    return maxAge != null || maxAgeFollowsIdleTimeout;
  }

  @Override
  public String toString() {
    return "CookieOptions{name="
        + name
        + ", path="
        + path
        + ", domain="
        + domain
        + ", httpOnly="
        + httpOnly
        + ", sameSite="
        + sameSite
        + ", securePolicy="
        + securePolicy
        + ", maxAge="
        + (maxAgeFollowsIdleTimeout ? "idleTimeout" : maxAge)
        + ", partitioned="
        + partitioned
        + "}";
  }

  /** Builds {@link CookieOptions}; every setter validates its argument at once. */
  public static final class Builder {
    private String name = "session";
    private String path = "/";
    private @Nullable String domain;
    private boolean httpOnly = true;
    private SameSite sameSite = SameSite.LAX;
    private SecurePolicy securePolicy = SecurePolicy.SAME_AS_REQUEST;
    private @Nullable Duration maxAge;
    private boolean maxAgeFollowsIdleTimeout;
    private boolean partitioned;

    private Builder() {}

    /**
     * The cookie's name: an RFC 6265 token such as {@code session}, or {@code __Host-session} with
     * {@link SecurePolicy#ALWAYS}.
     *
     * @param name the cookie's name
     * @return this builder
     */
    public Builder name(String name) {
      requireNonNull(name, "name");
      if (name.isEmpty() || !name.chars().allMatch(Builder::isTokenChar)) {
        throw new IllegalArgumentException(
            "cookie name must be a non-empty RFC 6265 token: \"" + name + "\"");
      }
      this.name = name;
      return this;
    }

    /**
     * The cookie's {@code Path}: starts with {@code /}, no {@code ;} or control characters.
     *
     * @param path the cookie's path
     * @return this builder
     */
    public Builder path(String path) {
      requireNonNull(path, "path");
      if (!path.startsWith("/") || !isAttributeValue(path)) {
        throw new IllegalArgumentException(
            "cookie path must start with / and hold no ';' or control characters: \""
                + path
                + "\"");
      }
      this.path = path;
      return this;
    }

    /**
     * The cookie's {@code Domain}, or null for none (the default: the exact host only).
     *
     * @param domain the cookie's domain, or null for none
     * @return this builder
     */
    public Builder domain(@Nullable String domain) {
      if (domain != null
          && (domain.isEmpty()
              || !domain.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-')
              || !domain.chars().allMatch(c -> c < 128))) {
        throw new IllegalArgumentException(
            "cookie domain must be a host name of letters, digits, '.' and '-': \""
                + domain
                + "\"");
      }
      this.domain = domain;
      return this;
    }

    /**
     * Whether the cookie is {@code HttpOnly}; default true.
     *
     * @param httpOnly whether the cookie is hidden from scripts
     * @return this builder
     */
    public Builder httpOnly(boolean httpOnly) {
      this.httpOnly = httpOnly;
      return this;
    }

    /**
     * The cookie's {@code SameSite}; default {@link SameSite#LAX}.
     *
     * @param sameSite the cookie's {@code SameSite} attribute
     * @return this builder
     */
    public Builder sameSite(SameSite sameSite) {
      this.sameSite = requireNonNull(sameSite, "sameSite");
      return this;
    }

    /**
     * When the cookie is {@code Secure}; default {@link SecurePolicy#SAME_AS_REQUEST}.
     *
     * @param securePolicy when the cookie is marked {@code Secure}
     * @return this builder
     */
    public Builder securePolicy(SecurePolicy securePolicy) {
      this.securePolicy = requireNonNull(securePolicy, "securePolicy");
      return this;
    }

    /**
     * Makes the cookie persistent with this fixed {@code Max-Age}: a whole number of seconds, from
     * 1 second to {@link #MAX_MAX_AGE}. Default: no {@code Max-Age}, a browser-session cookie. The
     * cookie is re-issued with the full span on every response to a request that carried it, so it
     * lapses after this long without a request. Excludes {@link #maxAgeFollowsIdleTimeout()}.
     *
     * @param maxAge the cookie's {@code Max-Age}
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      requireNonNull(maxAge, "maxAge");
      if (maxAgeFollowsIdleTimeout) {
        throw new IllegalArgumentException(
            "maxAge cannot be set: maxAgeFollowsIdleTimeout() was already called");
      }
      if (maxAge.compareTo(Duration.ofSeconds(1)) < 0 || maxAge.compareTo(MAX_MAX_AGE) > 0) {
        throw new IllegalArgumentException(
            "maxAge must be from 1 second to 400 days (browsers cap cookie lifetimes there): "
                + maxAge);
      }
      if (maxAge.getNano() != 0) {
        throw new IllegalArgumentException(
            "maxAge must be a whole number of seconds, as Max-Age counts: " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * Makes the cookie persistent with the manager's idle timeout as its {@code Max-Age}, so the
     * browser keeps it exactly as long as the store keeps an idle session (capped at {@link
     * #MAX_MAX_AGE}). The cookie is re-issued on every response to a request that carried it.
     * Excludes {@link #maxAge(Duration)}.
     *
     * @return this builder
     */
    public Builder maxAgeFollowsIdleTimeout() {
      if (maxAge != null) {
        throw new IllegalArgumentException(
            "maxAgeFollowsIdleTimeout() cannot be called: maxAge was already set to " + maxAge);
      }
      this.maxAgeFollowsIdleTimeout = true;
      return this;
    }

    /**
     * Whether the cookie carries {@code Partitioned} (CHIPS), so a site embedded in other sites
     * gets one cookie jar per top-level site; default false. Requires {@link SecurePolicy#ALWAYS}.
     *
     * @param partitioned whether the cookie carries {@code Partitioned}
     * @return this builder
     */
    public Builder partitioned(boolean partitioned) {
      this.partitioned = partitioned;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options, immutable
     * @throws IllegalArgumentException if {@code SameSite=None} or {@code Partitioned} is combined
     *     with a policy other than {@link SecurePolicy#ALWAYS}, since browsers drop such cookies
     */
    public CookieOptions build() {
      if (partitioned && securePolicy != SecurePolicy.ALWAYS) {
        throw new IllegalArgumentException(
            "partitioned requires securePolicy ALWAYS, since browsers reject Partitioned cookies"
                + " that are not Secure: securePolicy is "
                + securePolicy);
      }
      if (sameSite == SameSite.NONE && securePolicy != SecurePolicy.ALWAYS) {
        throw new IllegalArgumentException(
            "sameSite NONE requires securePolicy ALWAYS, since browsers reject SameSite=None"
                + " cookies that are not Secure: securePolicy is "
                + securePolicy);
      }
      if ((name.startsWith("__Host-") || name.startsWith("__Secure-"))
          && securePolicy != SecurePolicy.ALWAYS) {
        throw new IllegalArgumentException(
            "a cookie named "
                + name
                + " requires securePolicy ALWAYS, since browsers reject a __Host- or __Secure-"
                + " cookie that is not Secure: securePolicy is "
                + securePolicy);
      }
      if (name.startsWith("__Host-") && (domain != null || !path.equals("/"))) {
        throw new IllegalArgumentException(
            "a __Host- cookie must have path / and no domain: path=" + path + ", domain=" + domain);
      }
      return new CookieOptions(this);
    }

    private static boolean isTokenChar(int c) {
      return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static boolean isAttributeValue(String s) {
      return s.chars().allMatch(c -> c >= 32 && c < 127 && c != ';');
    }
  }

  /**
   * What follows the value of a session cookie that is neither persistent nor expired, from {@code
   * "; Path="} on, as {@link SessionRequest} writes it.
   */
  String sessionAttributes(boolean secure) {
    String made = secure ? secureAttributes : plainAttributes;
    if (made == null) {
      StringBuilder sb = new StringBuilder(64);
      sb.append("; Path=").append(path);
      if (domain != null) {
        sb.append("; Domain=").append(domain);
      }
      if (secure) {
        sb.append("; Secure");
      }
      if (httpOnly) {
        sb.append("; HttpOnly");
      }
      sb.append("; SameSite=").append(sameSite.attribute());
      if (partitioned) {
        sb.append("; Partitioned");
      }
      made = sb.toString();
      if (secure) {
        secureAttributes = made;
      } else {
        plainAttributes = made;
      }
    }
    return made;
  }
}
