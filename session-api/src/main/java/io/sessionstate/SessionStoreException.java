package io.sessionstate;

import org.jspecify.annotations.Nullable;

/**
 * A session store failed: it could not be reached, refused the operation or answered with an error.
 * The message names the store and the operation; the store's own error is the cause.
 */
public class SessionStoreException extends SessionException {
  private static final long serialVersionUID = 1L;

  private final String storeName;
  private final String operation;

  public SessionStoreException(String storeName, String operation, @Nullable Throwable cause) {
    this(storeName, operation, String.valueOf(cause), cause);
  }

  public SessionStoreException(
      String storeName, String operation, String detail, @Nullable Throwable cause) {
    super(storeName + " store failed to " + operation + ": " + detail, cause);
    this.storeName = storeName;
    this.operation = operation;
  }

  /** The name of the store that failed, such as {@code memory} or {@code redis}. */
  public String storeName() {
    return storeName;
  }

  /**
   * The operation that failed: {@code load}, {@code save}, {@code replace}, {@code touch} or {@code
   * delete}; or {@code commit} when the request changed a session that could not be loaded, whose
   * load's failure is then the cause.
   */
  public String operation() {
    return operation;
  }
}
