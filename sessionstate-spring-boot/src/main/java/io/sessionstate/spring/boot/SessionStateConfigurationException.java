package io.sessionstate.spring.boot;

/**
 * A sessionstate configuration that cannot start, with what to change; {@link
 * SessionStateFailureAnalyzer} turns it into Spring Boot's startup failure report.
 */
final class SessionStateConfigurationException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String action;

  SessionStateConfigurationException(String description, String action) {
    super(description);
    this.action = action;
  }

  SessionStateConfigurationException(String description, String action, Throwable cause) {
    super(description, cause);
    this.action = action;
  }

  String action() {
    return action;
  }
}
