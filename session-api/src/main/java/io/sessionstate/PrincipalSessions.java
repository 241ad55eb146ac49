package io.sessionstate;

import java.util.List;

/**
 * A principal's sessions across every node that shares the store: list them, end one, end them all,
 * as a "your sessions" page, a password change or "sign out everywhere" needs. Ending a session
 * replaces it with a tombstone (over a store with versions), so a request that loaded it earlier
 * and commits later writes nothing, and the next request with its cookie starts anonymous. Obtained
 * from {@link SessionManager#principalSessions()}; thread-safe.
 *
 * <p>Each method blocks for its store calls, under the manager's I/O timeout, and fails with {@link
 * SessionStoreException} or {@link SessionTimeoutException}. Listing reads each session without
 * sliding its expiry. Principal names are never logged.
 */
public final class PrincipalSessions {
  private final Principals principals;

  PrincipalSessions(Principals principals) {
    this.principals = principals;
  }

  /**
   * The live sessions bound to {@code principal}, most recently used first; never their keys.
   *
   * @param principal the user's name, as bound
   * @return the sessions, most recently used first; empty when there are none
   * @throws IllegalArgumentException if {@code principal} is blank or too long
   */
  public List<SessionInfo> list(String principal) {
    return principals.list(principal);
  }

  /**
   * Ends the session of {@code principal} whose {@link Session#id()} is {@code sessionId}.
   *
   * @param principal the user's name, as bound
   * @param sessionId the session's {@link SessionInfo#id()}
   * @return whether such a live session was found and ended
   */
  public boolean end(String principal, String sessionId) {
    return principals.end(principal, sessionId);
  }

  /**
   * Ends every live session of {@code principal}, the one of the calling request included (which
   * should then {@link Session#invalidate()} too, so its own commit clears its cookie at once).
   *
   * @param principal the user's name, as bound
   * @return how many sessions were ended
   */
  public int endAll(String principal) {
    return principals.endAll(principal);
  }
}
