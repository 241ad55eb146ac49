package io.sessionstate.tck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.engine.JupiterTestEngine;

/**
 * This module runs the suite on the lowest JUnit Jupiter it supports (the module's {@code
 * tck.junit.version}); if a build ever put a newer one here, nothing would prove the lowest works.
 */
class LowestJUnitTest {

  @Test
  void theSuiteRunsOnJUnit510() {
    assertThat(new JupiterTestEngine().getVersion())
        .hasValueSatisfying(v -> assertThat(v).startsWith("5.10."));
    assertThat(Test.class.getPackage().getImplementationVersion()).startsWith("5.10.");
  }
}
