package io.sessionstate.spring.boot;

import io.sessionstate.CookieOptions;
import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The manager's settings: each {@code sessionstate.*} property, else Spring Boot's own property
 * where the user set one, else the library's default (left to the builder, never written back).
 */
final class Settings {

  private final SessionStateProperties properties;
  private final Binder binder;

  Settings(SessionStateProperties properties, Environment environment) {
    this.properties = properties;
    this.binder = Binder.get(environment);
  }

  void apply(SessionManager.Builder builder, SessionStore store) {
    idleTimeout()
        .ifPresent(value -> option("sessionstate.idle-timeout", builder::idleTimeout, value));
    Optional.ofNullable(properties.getIoTimeout())
        .ifPresent(value -> option("sessionstate.io-timeout", builder::ioTimeout, value));
    Optional.ofNullable(properties.getAbsoluteLifetime())
        .ifPresent(
            value -> option("sessionstate.absolute-lifetime", builder::absoluteLifetime, value));
    builder.cookie(cookie());
    builder.commitMode(properties.getCommitMode());
    KeyRing ring = keyRing();
    if (ring != null) {
      builder.keyRing(ring);
    } else if (store.isExternallyWritable()) {
      throw new SessionStateConfigurationException(
          "No session key ring is configured for the "
              + store.name()
              + " store, which other processes share: a key made up by each process would make"
              + " every node reject the cookies of the others, and every restart sign everyone"
              + " out.",
          "Set sessionstate.key-ring.keys.<id> to a Base64 secret of at least "
              + KeyRing.MIN_SECRET_BYTES
              + " random bytes, the same on every node (for example"
              + " sessionstate.key-ring.keys.k1=${SESSION_KEY}, with SESSION_KEY from"
              + " `openssl rand -base64 32`).");
    }
  }

  /** {@code sessionstate.idle-timeout}, else {@code server.servlet.session.timeout}. */
  Optional<Duration> idleTimeout() {
    if (properties.getIdleTimeout() != null) {
      return Optional.of(properties.getIdleTimeout());
    }
    // Boot reads a bare number there as seconds.
    return bootDuration("server.servlet.session.timeout");
  }

  boolean trustForwardedProto() {
    if (properties.getTrustForwardedProto() != null) {
      return properties.getTrustForwardedProto();
    }
    // native or framework: the user told Boot a proxy sets the X-Forwarded-* headers.
    return binder
        .bind("server.forward-headers-strategy", String.class)
        .map(value -> value.trim().toLowerCase(Locale.ROOT))
        .map(value -> value.equals("native") || value.equals("framework"))
        .orElse(false);
  }

  CookieOptions cookie() {
    CookieProperties own = properties.getCookie();
    String boot = "server.servlet.session.cookie.";
    CookieOptions.Builder cookie = CookieOptions.builder();
    first(own.getName(), boot + "name", String.class)
        .ifPresent(value -> option("sessionstate.cookie.name", cookie::name, value));
    first(own.getPath(), boot + "path", String.class)
        .ifPresent(value -> option("sessionstate.cookie.path", cookie::path, value));
    first(own.getDomain(), boot + "domain", String.class)
        .ifPresent(value -> option("sessionstate.cookie.domain", cookie::domain, value));
    first(own.getHttpOnly(), boot + "http-only", Boolean.class).ifPresent(cookie::httpOnly);
    Optional<CookieOptions.SecurePolicy> secure =
        own.getSecure() != null
            ? Optional.of(own.getSecure())
            : binder
                .bind(boot + "secure", Boolean.class)
                .map(
                    value ->
                        value
                            ? CookieOptions.SecurePolicy.ALWAYS
                            : CookieOptions.SecurePolicy.NEVER)
                .map(Optional::of)
                .orElse(Optional.empty());
    secure.ifPresent(cookie::securePolicy);
    first(own.getSameSite(), boot + "same-site", CookieOptions.SameSite.class)
        .ifPresent(cookie::sameSite);
    Optional<Duration> maxAge =
        own.getMaxAge() != null ? Optional.of(own.getMaxAge()) : bootDuration(boot + "max-age");
    maxAge.ifPresent(value -> option("sessionstate.cookie.max-age", cookie::maxAge, value));
    first(own.getPartitioned(), boot + "partitioned", Boolean.class).ifPresent(cookie::partitioned);
    try {
      return cookie.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new SessionStateConfigurationException(
          "sessionstate.cookie is invalid: " + e.getMessage(),
          "Change the sessionstate.cookie.* (or server.servlet.session.cookie.*) properties.",
          e);
    }
  }

  /** The key ring from {@code sessionstate.key-ring.*}, or null when no key is given. */
  @Nullable KeyRing keyRing() {
    KeyRingProperties own = properties.getKeyRing();
    if (own.getKeys().isEmpty()) {
      if (own.getPrimary() != null) {
        throw new SessionStateConfigurationException(
            "sessionstate.key-ring.primary names key '"
                + own.getPrimary()
                + "', but sessionstate.key-ring.keys is empty.",
            "Add the key as sessionstate.key-ring.keys." + own.getPrimary() + "=<Base64 secret>.");
      }
      return null;
    }
    if (own.getKeys().size() > 1 && own.getPrimary() == null) {
      throw new SessionStateConfigurationException(
          "sessionstate.key-ring.keys has "
              + own.getKeys().size()
              + " keys "
              + own.getKeys().keySet()
              + " and sessionstate.key-ring.primary does not say which one signs.",
          "Set sessionstate.key-ring.primary to the id of the newest key.");
    }
    KeyRing.Builder ring = KeyRing.builder();
    try {
      for (Map.Entry<String, String> key : own.getKeys().entrySet()) {
        ring.addKey(key.getKey(), secret(key.getKey(), key.getValue()));
      }
      if (own.getPrimary() != null) {
        ring.primary(own.getPrimary());
      }
      own.getRevoked().forEach(ring::revoke);
      return ring.build();
    } catch (IllegalArgumentException e) {
      throw new SessionStateConfigurationException(
          "sessionstate.key-ring is invalid: " + e.getMessage(),
          "Give each key an id of 1 to 32 characters of A-Z a-z 0-9 _ - and a Base64 secret of at"
              + " least "
              + KeyRing.MIN_SECRET_BYTES
              + " random bytes; name an added, unrevoked key as sessionstate.key-ring.primary.",
          e);
    }
  }

  private static byte[] secret(String id, String base64) {
    try {
      return Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
    } catch (IllegalArgumentException e) {
      // The secret itself never goes into the message.
      throw new SessionStateConfigurationException(
          "sessionstate.key-ring.keys." + id + " is not valid Base64.",
          "Set it to a Base64 secret of at least "
              + KeyRing.MIN_SECRET_BYTES
              + " random bytes, such as the output of `openssl rand -base64 32`.");
    }
  }

  private <T> Optional<T> first(@Nullable T own, String bootProperty, Class<T> type) {
    return own != null
        ? Optional.of(own)
        : binder.bind(bootProperty, type).map(Optional::of).orElse(Optional.empty());
  }

  private Optional<Duration> bootDuration(String name) {
    return binder
        .bind(name, String.class)
        .map(value -> DurationStyle.detectAndParse(value, ChronoUnit.SECONDS))
        .map(Optional::of)
        .orElse(Optional.empty());
  }

  /** Applies a value whose rule the library checks, naming the property if it refuses it. */
  private static <T> void option(String property, java.util.function.Consumer<T> setter, T value) {
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw new SessionStateConfigurationException(
          property + " is invalid: " + e.getMessage(), "Change " + property + ".", e);
    }
  }

  /** The failure for a manager without a store, naming what to set or add. */
  static SessionStateConfigurationException missingStore(
      SessionStateProperties properties, Environment environment, @Nullable ClassLoader loader) {
    StoreProperties.StoreType type = properties.getStore();
    if (type == null) {
      return new SessionStateConfigurationException(
          "No session store is configured: sessionstate.store is not set and there is no"
              + " SessionStore bean.",
          "Set sessionstate.store to memory (this process only), redis or postgresql, or define a"
              + " SessionStore bean.");
    }
    if (!ClassUtils.isPresent(type.storeClass(), loader)) {
      return new SessionStateConfigurationException(
          "sessionstate.store is "
              + type.value()
              + ", but "
              + type.storeClass()
              + " is not on the class path.",
          "Add the dependency io.sessionstate:"
              + type.artifactId()
              + " (sessionstate-spring-boot-starter brings every store).");
    }
    return new SessionStateConfigurationException(
        "sessionstate.store is " + type.value() + ", but no SessionStore bean was created.",
        "Check the conditions report (--debug) for the " + type.value() + " store.");
  }
}
