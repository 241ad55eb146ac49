package io.sessionstate;

import org.jspecify.annotations.Nullable;

/**
 * A session store failed: it could not be reached, refused the operation or answered with an error.
 * The message names the store and the operation; the store's own error is the cause.
 */
public class SessionStoreException extends SessionException {
  private static final long serialVersionUID = 1L;

  /** The store's name, such as {@code redis}. */
  private final String storeName;

  /** The operation that failed, such as {@code load}. */
  private final String operation;

  /**
   * A store failure whose message is the cause's own description.
   *
   * @param storeName the store's {@link io.sessionstate.spi.SessionStore#name()}
   * @param operation the operation that failed: {@code load}, {@code save}, {@code replace}, {@code
   *     touch} or {@code delete}
   * @param cause the store's own error, or null
   */
  public SessionStoreException(String storeName, String operation, @Nullable Throwable cause) {
    this(storeName, operation, String.valueOf(cause), cause);
  }

  /**
   * A store failure described by {@code detail}, which must not quote keys, values or credentials.
   *
   * @param storeName the store's {@link io.sessionstate.spi.SessionStore#name()}
   * @param operation the operation that failed: {@code load}, {@code save}, {@code replace}, {@code
   *     touch} or {@code delete}
   * @param detail what went wrong
   * @param cause the store's own error, or null
   */
  public SessionStoreException(
      String storeName, String operation, String detail, @Nullable Throwable cause) {
    super(storeName + " store failed to " + operation + ": " + detail, cause);
    this.storeName = storeName;
    this.operation = operation;
  }

  /** {@return the name of the store that failed, such as {@code memory} or {@code redis}} */
  public String storeName() {
    return storeName;
  }

  /**
   * {@return the operation that failed: {@code load}, {@code save}, {@code replace}, {@code touch}
   * or {@code delete}; or {@code commit} when the request changed a session that could not be
   * loaded, whose load's failure is then the cause}
   */
  public String operation() {
    return operation;
  }
}
