package io.sessionstate.spring.boot;

import io.sessionstate.SessionManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.session.SessionRegistry;

/**
 * Spring Security's {@link SessionRegistry} over the principal index, where Spring Security is:
 * {@code sessionManagement().maximumSessions(n)} picks the bean up by its type.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
    name = {
      "org.springframework.security.core.session.SessionRegistry",
      "org.springframework.web.context.request.RequestContextHolder"
    })
final class SessionRegistryConfiguration {

  @Bean
  @ConditionalOnMissingBean(SessionRegistry.class)
  SessionRegistry sessionStateSessionRegistry(SessionManager manager) {
    // Over a store without a principal index the application still starts; the registry's
    // methods then fail with an IllegalStateException that names the missing capability.
    return new SessionStateSessionRegistry(manager);
  }
}
