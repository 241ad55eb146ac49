package io.sessionstate.spring.boot;

import io.sessionstate.SessionManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
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

  @Bean
  @ConditionalOnBean(SessionManager.class)
  @ConditionalOnMissingBean(name = "sessionstateHealthIndicator")
  HealthIndicator sessionstateHealthIndicator(SessionManager manager) {
    return new SessionStoreHealthIndicator(manager.store());
  }
}
