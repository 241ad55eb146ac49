package io.sessionstate;

/**
 * A sign-in was refused: binding the session to its principal would have given that principal more
 * live sessions than {@link SessionManager.Builder
 * SessionManager.Builder.maxSessionsPerPrincipal(int, SessionLimitPolicy)} allows, under {@link
 * SessionLimitPolicy#REFUSE_NEW}. Nothing was bound and the principal's other sessions are
 * untouched. The message gives the limit, never the principal's name.
 */
public class SessionLimitException extends SessionException {
  private static final long serialVersionUID = 1L;

  /** The most live sessions a principal may hold. */
  private final int limit;

  /**
   * A refusal under a limit of {@code limit} live sessions per principal.
   *
   * @param limit the most live sessions a principal may hold
   */
  public SessionLimitException(int limit) {
    super(
        "sign-in refused: the principal already holds "
            + limit
            + (limit == 1 ? " live session" : " live sessions")
            + ", the most maxSessionsPerPrincipal allows; end one of them first");
    this.limit = limit;
  }

  /** {@return the most live sessions a principal may hold} */
  public int limit() {
    return limit;
  }
}
