package io.sessionstate;

import org.jspecify.annotations.Nullable;

/**
 * Session data could not be written or read: a value that a {@link ValueCodec} cannot encode or
 * decode, or a stored session blob that is corrupt, truncated, of an unknown format revision, over
 * the size limit or not signed by the key ring.
 *
 * <p>A session whose stored blob is unreadable is not an error for the request: it loads as an
 * empty session and the problem is logged and reported to the {@link SessionListener}. A single
 * value that cannot be decoded costs that value only: {@link Session#getObject} throws this
 * exception naming the key and the class, and the other values read as before.
 */
public class SessionDataException extends SessionException {
  private static final long serialVersionUID = 1L;

  public SessionDataException(String message) {
    super(message);
  }

  public SessionDataException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
