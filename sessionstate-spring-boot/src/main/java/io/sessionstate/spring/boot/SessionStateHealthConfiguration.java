package io.sessionstate.spring.boot;

import io.sessionstate.SessionManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store's health indicator ({@code sessionstate}), where Spring Boot's health module is. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("sessionstate")
final class SessionStateHealthConfiguration {

  // No @ConditionalOnBean: this is imported before the manager is defined, and there is always
  // one (the application's or the auto-configuration's) when the auto-configuration applies.
  @Bean
  @ConditionalOnMissingBean(name = "sessionstateHealthIndicator")
  HealthIndicator sessionstateHealthIndicator(SessionManager manager) {
    return new SessionStoreHealthIndicator(manager.store());
  }
}
