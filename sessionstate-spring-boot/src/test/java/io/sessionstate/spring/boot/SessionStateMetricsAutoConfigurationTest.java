package io.sessionstate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.micrometer.MemoryStoreMetrics;
import io.sessionstate.micrometer.SessionMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The meters in a Boot application: bound when Boot's metrics give the application a {@link
 * MeterRegistry}, absent without one or without {@code session-micrometer}.
 */
class SessionStateMetricsAutoConfigurationTest {

  private final WebApplicationContextRunner withoutMetrics =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SessionStateAutoConfiguration.class, SessionStateMetricsAutoConfiguration.class))
          .withPropertyValues("sessionstate.store=memory");

  private final WebApplicationContextRunner withMetrics =
      withoutMetrics.withConfiguration(
          AutoConfigurations.of(
              MetricsAutoConfiguration.class,
              CompositeMeterRegistryAutoConfiguration.class,
              SimpleMetricsExportAutoConfiguration.class));

  @Test
  void withARegistry_requestsAreMetered_andTheMemoryStoreHasItsGauges() {
    withMetrics.run(
        context -> {
          assertThat(context).hasNotFailed();
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          SessionManager manager = context.getBean(SessionManager.class);

          SessionRequest request = manager.begin(null, false, () -> false);
          request.session().setString("user", "ada");
          request.finish();

          assertThat(
                  registry
                      .get(SessionMetrics.OPERATION_DURATION)
                      .tag("db.system.name", "memory")
                      .tag("db.operation.name", "conditional_save")
                      .tag("outcome", "ok")
                      .timer()
                      .count())
              .isEqualTo(1);
          assertThat(registry.get(SessionMetrics.CREATED).counter().count()).isEqualTo(1);
          assertThat(registry.get(MemoryStoreMetrics.ENTRIES).gauge().value()).isEqualTo(1);
        });
  }

  @Test
  void theHealthProbe_isNotCountedAsARequestsLoad() {
    withMetrics.run(
        context -> {
          HealthIndicator health =
              context.getBean("sessionstateHealthIndicator", HealthIndicator.class);
          assertThat(health.health().getStatus()).isEqualTo(Status.UP);
          assertThat(
                  context
                      .getBean(MeterRegistry.class)
                      .find(SessionMetrics.OPERATION_DURATION)
                      .timers())
              .isEmpty();
        });
  }

  @Test
  void withoutARegistry_nothingIsBound() {
    withoutMetrics.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean("sessionStateMetricsCustomizer");
          assertThat(context).doesNotHaveBean("sessionStateMemoryStoreMetrics");
        });
  }

  @Test
  void withoutTheMetricsModule_nothingIsBound() {
    withMetrics
        .withClassLoader(new FilteredClassLoader(SessionMetrics.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(MeterRegistry.class);
              assertThat(context).doesNotHaveBean("sessionStateMetricsCustomizer");
            });
  }
}
