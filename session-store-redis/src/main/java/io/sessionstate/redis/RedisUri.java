package io.sessionstate.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a {@code redis[s]://[[user]:password@]host[:port][/database]} URI. A part the URI
 * leaves out is {@code null} or {@link #UNSET}. {@link #toString()} never shows the password, and
 * no message of a rejected URI quotes its user-info part.
 */
final class RedisUri {
  static final int UNSET = -1;

  final String redacted;
  final String host;
  final int port;
  final boolean ssl;
  final int database;
  final @Nullable String user;
  final @Nullable String password;

  private RedisUri(
      String redacted,
      String host,
      int port,
      boolean ssl,
      int database,
      @Nullable String user,
      @Nullable String password) {
    this.redacted = redacted;
    this.host = host;
    this.port = port;
    this.ssl = ssl;
    this.database = database;
    this.user = user;
    this.password = password;
  }

  /**
   * Parses {@code uri}; the port and database are checked as their own options would check them.
   *
   * @throws IllegalArgumentException naming what is wrong, with the URI redacted
   */
  static RedisUri parse(String uri) {
    String redacted = redact(uri);
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      // Not chained: the exception's message quotes the whole URI, password included.
      throw new IllegalArgumentException(
          "uri is not a valid URI (" + e.getReason() + "): " + redacted);
    }
    String scheme = parsed.getScheme();
    if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("uri must start with redis:// or rediss://: " + redacted);
    }
    if (parsed.getHost() == null) {
      throw new IllegalArgumentException("uri must name a host: " + redacted);
    }
    String path = parsed.getRawPath();
    int database = UNSET;
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("uri must end with a database number: " + redacted, e);
      }
      RedisStoreOptions.checkDatabase(database);
    }
    int port = parsed.getPort();
    if (port != -1) {
      RedisStoreOptions.checkPort("port", port);
    }
    String user = null;
    String password = null;
    String userInfo = parsed.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String u = colon < 0 ? userInfo : userInfo.substring(0, colon);
      user = u.isEmpty() ? null : URLDecoder.decode(u, StandardCharsets.UTF_8);
      if (colon < 0) {
        // redis://secret@host: a lone user-info part is the password, as Redis clients read it.
        password = user;
        user = null;
      } else {
        password = URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8);
      }
    }
    return new RedisUri(
        redacted,
        parsed.getHost(),
        port == -1 ? UNSET : port,
        "rediss".equalsIgnoreCase(scheme),
        database,
        user,
        password);
  }

  /**
   * The URI without anything before its last {@code @} but the scheme: that part may hold a
   * password, even in a URI too malformed to parse.
   */
  static String redact(String uri) {
    int at = uri.lastIndexOf('@');
    if (at < 0) {
      return uri;
    }
    int scheme = uri.indexOf("://");
    String prefix = scheme >= 0 && scheme < at ? uri.substring(0, scheme + 3) : "";
    return prefix + "***@" + uri.substring(at + 1);
  }

  @Override
  public String toString() {
    return redacted;
  }
}
