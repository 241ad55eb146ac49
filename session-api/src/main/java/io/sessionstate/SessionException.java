package io.sessionstate;

import org.jspecify.annotations.Nullable;

/**
 * The root of every runtime failure that sessionstate reports: a store that cannot be reached, an
 * operation that timed out, or data that cannot be read. Misuse of the API is reported with the
 * JDK's own exceptions ({@link NullPointerException}, {@link IllegalArgumentException}, {@link
 * IllegalStateException}) instead.
 *
 * <p>Messages never contain session keys, cookie values or session contents.
 */
public class SessionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SessionException(String message) {
    super(message);
  }

  public SessionException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
