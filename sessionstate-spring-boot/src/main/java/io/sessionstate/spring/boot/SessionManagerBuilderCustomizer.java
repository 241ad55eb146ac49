package io.sessionstate.spring.boot;

import io.sessionstate.SessionManager;

/**
 * Customizes the {@link SessionManager.Builder} after the {@code sessionstate.*} properties are
 * applied and before the manager is built; declare one as a bean. Customizers run in {@link
 * org.springframework.core.Ordered order}, on the startup thread.
 */
@FunctionalInterface
public interface SessionManagerBuilderCustomizer {

  /**
   * Customizes {@code builder}, which is never null.
   *
   * @param builder the manager's builder, with the configured options already on it
   */
  void customize(SessionManager.Builder builder);
}
