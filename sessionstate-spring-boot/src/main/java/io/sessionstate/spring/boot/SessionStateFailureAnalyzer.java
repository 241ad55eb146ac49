package io.sessionstate.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a sessionstate configuration that cannot start: what is wrong and what to set. */
final class SessionStateFailureAnalyzer
    extends AbstractFailureAnalyzer<SessionStateConfigurationException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, SessionStateConfigurationException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
