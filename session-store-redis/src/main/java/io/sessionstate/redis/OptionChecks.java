package io.sessionstate.redis;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.HostAndPort;

/**
 * The rules an option's value must meet, shared by {@link RedisStoreOptions} and {@link RedisUri}:
 * each throws an exception whose message names the option and the value (never a secret).
 */
final class OptionChecks {
  private OptionChecks() {}

  static int checkPort(String option, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(option + " must be between 1 and 65535: " + port);
    }
    return port;
  }

  static int checkDatabase(int database) {
    if (database < 0) {
      throw new IllegalArgumentException("database must not be negative: " + database);
    }
    return database;
  }

  static void checkMillis(String option, Duration value) {
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
  }

  static Set<HostAndPort> checkNodes(String option, Set<HostAndPort> nodes) {
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

  static String escape(String s) {
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
