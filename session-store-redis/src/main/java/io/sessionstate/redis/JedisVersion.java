package io.sessionstate.redis;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;

/**
 * The version of the Jedis on the class path, and the check that the store supports it: Jedis 7.0.0
 * and later (Spring Boot 4.0 manages 7.0.0; the build tests 7.0.0 and the project's 8.x).
 */
final class JedisVersion {
  /** The oldest Jedis major version the store runs on. */
  static final int MIN_MAJOR = 7;

  private static final @Nullable String FOUND = read();

  private JedisVersion() {}

  /**
   * The version Jedis' jar names for itself, or null where its jar does not say (a shaded copy).
   */
  static @Nullable String found() {
    return FOUND;
  }

  /**
   * Throws if the Jedis on the class path is older than {@link #MIN_MAJOR}; an unknown version
   * passes, since a repackaged Jedis may still be a supported one.
   *
   * @throws IllegalStateException naming the version found and the fix
   */
  static void check() {
    check(FOUND);
  }

  static void check(@Nullable String version) {
    if (version == null) {
      return;
    }
    int dot = version.indexOf('.');
    int major;
    try {
      major = Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    } catch (NumberFormatException e) {
      return;
    }
    if (major < MIN_MAJOR) {
      throw new IllegalStateException(
          "Jedis "
              + version
              + " is on the class path, and the Redis store needs Jedis "
              + MIN_MAJOR
              + ".0.0 or later: depend on redis.clients:jedis 7.x or 8.x (where Spring Boot's"
              + " dependency management picks the version, set the jedis.version property)");
    }
  }

  private static @Nullable String read() {
    // Jedis ships this file in its own package; both lines read it themselves for CLIENT SETINFO.
    try (InputStream in = UnifiedJedis.class.getResourceAsStream("pom.properties")) {
      if (in == null) {
        return null;
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      return null;
    }
  }
}
