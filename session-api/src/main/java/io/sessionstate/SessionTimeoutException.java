package io.sessionstate;

import java.time.Duration;

/** A load or a commit did not finish within the session manager's I/O timeout. */
public class SessionTimeoutException extends SessionException {
  private static final long serialVersionUID = 1L;

  /**
   * A load or commit that did not finish within {@code timeout}.
   *
   * @param operation the operation that timed out: {@code load} or {@code commit}
   * @param timeout the manager's I/O timeout
   */
  public SessionTimeoutException(String operation, Duration timeout) {
    super("session " + operation + " did not finish within the I/O timeout of " + timeout);
  }
}
