package io.sessionstate;

/**
 * A commit in {@link CommitMode#STRICT} found that another request changed or ended the session
 * since this request loaded it, and wrote nothing; in {@link CommitMode#MERGE}, the session kept
 * changing through every retry. The session in the store is the other request's. The message says
 * which, never the session's key or contents.
 */
public class SessionConflictException extends SessionException {
  private static final long serialVersionUID = 1L;

  /**
   * A conflict described by {@code message}, which names the session by its id, never its key.
   *
   * @param message what conflicted
   */
  public SessionConflictException(String message) {
    super(message);
  }
}
