package io.sessionstate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * What a Boot application finds on the class path: the auto-configuration, the analyzer, the
 * metadata.
 */
class RegistrationTest {

  @Test
  void autoConfigurationImports_listTheAutoConfiguration() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
        .contains(SessionStateAutoConfiguration.class.getName());
  }

  @Test
  void springFactories_registerTheFailureAnalyzer() {
    // Boot's own analyzers need constructor arguments this test does not give; only ours matters.
    SpringFactoriesLoader.FailureHandler skipOthers = (type, name, failure) -> {};
    assertThat(
            SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, null, skipOthers))
        .hasAtLeastOneElementOfType(SessionStateFailureAnalyzer.class);
  }

  @Test
  void configurationMetadata_generatedWithDescriptionsDefaultsAndHints() throws Exception {
    String metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata").isNotNull();
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(metadata)
        .contains(
            "\"name\": \"sessionstate.store\"",
            "\"name\": \"sessionstate.idle-timeout\"",
            "\"name\": \"sessionstate.key-ring.keys\"",
            "\"defaultValue\": -2147483598",
            "\"name\": \"management.health.sessionstate.enabled\"",
            "\"value\": \"postgresql\"");
  }
}
