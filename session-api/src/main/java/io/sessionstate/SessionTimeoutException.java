package io.sessionstate;

import java.time.Duration;

/** A load or a commit did not finish within the session manager's I/O timeout. */
public class SessionTimeoutException extends SessionException {
  private static final long serialVersionUID = 1L;

  public SessionTimeoutException(String operation, Duration timeout) {
    super("session " + operation + " did not finish within the I/O timeout of " + timeout);
  }
}
