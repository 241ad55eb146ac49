package io.sessionstate.redis;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * What a Jedis failure means for the store: whether it may pass, so that a retry can help, and what
 * went wrong in words, quoting Redis' or the connection's own message.
 */
final class RedisErrors {
  private RedisErrors() {}

  /**
   * Whether the failure may pass: a refused or broken connection, a timeout, no free pooled
   * connection, or a Redis error that a failover, a load or a slot move ends.
   */
  static boolean retryable(Throwable e) {
    if (e instanceof JedisConnectionException || e instanceof JedisClusterOperationException) {
      return true;
    }
    String message = e.getMessage();
    if (message == null) {
      return false;
    }
    return message.startsWith("CLUSTERDOWN")
        || message.startsWith("LOADING")
        || message.startsWith("READONLY")
        || message.startsWith("TRYAGAIN")
        || message.startsWith("MASTERDOWN")
        || message.startsWith("Could not get a resource from the pool");
  }

  /** What went wrong, in words, with Redis' or the connection's own message. */
  static String detail(Throwable e, Duration operationTimeout) {
    String message = withoutScriptSuffix(String.valueOf(e.getMessage()));
    if (message.startsWith("CLUSTERDOWN")) {
      return "the Redis Cluster is down (" + message + ")";
    }
    if (message.startsWith("LOADING")) {
      return "Redis is still loading its data set into memory (" + message + ")";
    }
    if (message.startsWith("READONLY")) {
      return "the Redis node is a read-only replica, as after a failover (" + message + ")";
    }
    if (message.startsWith("MASTERDOWN")) {
      return "the replica has lost its link to the master (" + message + ")";
    }
    if (message.startsWith("TRYAGAIN")) {
      return "the Redis Cluster is moving the slot (" + message + ")";
    }
    if (e instanceof JedisAccessControlException
        || message.startsWith("NOAUTH")
        || message.startsWith("WRONGPASS")
        || message.startsWith("NOPERM")) {
      return "Redis refused the credentials or the command (" + message + ")";
    }
    if (message.startsWith("Could not get a resource from the pool")) {
      Throwable cause = e.getCause();
      if (cause instanceof JedisConnectionException) {
        return detail(cause, operationTimeout);
      }
      return "no pooled connection to Redis became free within the operation timeout of "
          + operationTimeout
          + " ("
          + message
          + (cause == null ? "" : ": " + cause.getMessage())
          + ")";
    }
    Throwable timeout = cause(e, SocketTimeoutException.class);
    if (timeout != null) {
      return "Redis did not answer within the operation timeout of "
          + operationTimeout
          + " ("
          + timeout.getMessage()
          + ")";
    }
    Throwable connect = cause(e, ConnectException.class);
    if (connect != null) {
      String refused = connect.getMessage();
      return "could not connect to Redis ("
          + (message.equals(refused) ? refused : message + " " + refused)
          + ")";
    }
    Throwable unknownHost = cause(e, UnknownHostException.class);
    if (unknownHost != null) {
      return "the Redis host is unknown (" + unknownHost.getMessage() + ")";
    }
    if (hasCause(e, SSLException.class)) {
      return "the TLS connection to Redis failed (" + cause(e, SSLException.class) + ")";
    }
    if (e instanceof JedisConnectionException) {
      return "the connection to Redis failed (" + message + ")";
    }
    if (e instanceof JedisClusterOperationException) {
      return "the Redis Cluster could not serve the command (" + message + ")";
    }
    return "Redis answered an error (" + message + ")";
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    return cause(e, type) != null;
  }

  private static @Nullable Throwable cause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
      // Jedis reports a failed connect as "Failed to connect to host:port" and attaches the
      // socket's own exception, one per address tried, as suppressed rather than as the cause.
      for (Throwable suppressed : t.getSuppressed()) {
        if (type.isInstance(suppressed)) {
          return suppressed;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /**
   * Redis' message without the suffix it adds to an error raised inside a script ({@code " script:
   * <sha1>, on @user_script:<line>."}): the error is the command's, and the script's line is the
   * store's business, not the reader's.
   */
  static String withoutScriptSuffix(String message) {
    int at = message.lastIndexOf(" script: ");
    return at > 0 && message.indexOf("@user_script:", at) > 0 ? message.substring(0, at) : message;
  }
}
