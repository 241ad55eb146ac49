package io.sessionstate.spring.boot;

import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.spi.SessionStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The memory store, when {@code sessionstate.store=memory}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.sessionstate.memory.MemorySessionStore")
@ConditionalOnProperty(prefix = "sessionstate", name = "store", havingValue = "memory")
final class MemoryStoreConfiguration {

  // The manager closes its store; the context must not close it a second time.
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean(SessionStore.class)
  MemorySessionStore sessionStateStore(SessionStateProperties properties) {
    long bytes = properties.getMemory().getMaximumSize().toBytes();
    try {
      return MemorySessionStore.builder().maximumBytes(bytes).build();
    } catch (IllegalArgumentException e) {
      throw new SessionStateConfigurationException(
          "sessionstate.memory.maximum-size is invalid: " + e.getMessage(),
          "Change sessionstate.memory.maximum-size.",
          e);
    }
  }
}
