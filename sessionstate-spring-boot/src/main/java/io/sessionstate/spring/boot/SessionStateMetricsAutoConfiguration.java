package io.sessionstate.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.micrometer.MemoryStoreMetrics;
import io.sessionstate.micrometer.SessionMetrics;
import io.sessionstate.spi.SessionStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Records the session manager's store calls and session events in the application's {@link
 * MeterRegistry}, when there is one and {@code session-micrometer} is on the class path: the
 * manager the auto-configuration builds gets {@link SessionMetrics} as its observer, and a memory
 * store its gauges. A manager the application builds itself is left alone; it can set the observer
 * itself.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass({SessionMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
public final class SessionStateMetricsAutoConfiguration {

  /** Made by Spring Boot when it applies the auto-configuration; applications do not call it. */
  public SessionStateMetricsAutoConfiguration() {}

  /** Sets {@link SessionMetrics} over the registry as the manager's observer. */
  @Bean
  @ConditionalOnMissingBean(name = "sessionStateMetricsCustomizer")
  SessionManagerBuilderCustomizer sessionStateMetricsCustomizer(MeterRegistry registry) {
    return builder -> builder.observer(SessionMetrics.of(registry));
  }

  /** The memory store's gauges, when the store is the memory store. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MemorySessionStore.class)
  static final class MemoryStoreGauges {

    @Bean
    @ConditionalOnMissingBean(name = "sessionStateMemoryStoreMetrics")
    MeterBinder sessionStateMemoryStoreMetrics(ObjectProvider<SessionStore> stores) {
      return registry -> {
        if (stores.getIfAvailable() instanceof MemorySessionStore memory) {
          new MemoryStoreMetrics(memory).bindTo(registry);
        }
      };
    }
  }
}
