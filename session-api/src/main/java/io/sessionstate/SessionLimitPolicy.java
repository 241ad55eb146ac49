package io.sessionstate;

/**
 * What binding a session to a principal does when the principal already holds as many live sessions
 * as {@link SessionManager.Builder SessionManager.Builder.maxSessionsPerPrincipal(int,
 * SessionLimitPolicy)} allows.
 */
public enum SessionLimitPolicy {
  /**
   * {@link Session#bindPrincipal} throws {@link SessionLimitException}: the new sign-in fails and
   * the sessions already signed in stay. Checking costs one read of the principal's index at
   * sign-in.
   */
  REFUSE_NEW,

  /**
   * The new sign-in goes ahead and, once it is committed, the principal's least recently used
   * sessions are ended (each leaving a tombstone) until the limit holds again. Costs nothing beyond
   * the binding's own index write unless the limit is exceeded.
   */
  END_LEAST_RECENTLY_USED
}
