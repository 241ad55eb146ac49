package io.sessionstate.spring.boot;

import io.sessionstate.JavaSerializationCodec;

/**
 * Customizes the default codec's {@link JavaSerializationCodec.Builder} after the allow-list is
 * derived (the application's packages, Spring Security's, {@code sessionstate.codec.*}) and before
 * it is built; declare one as a bean, for example to allow a library's package. Not called when the
 * application defines its own {@link io.sessionstate.ValueCodec} bean. Customizers run in {@link
 * org.springframework.core.Ordered order}, on the startup thread.
 */
@FunctionalInterface
public interface JavaSerializationCodecCustomizer {

  /**
   * Customizes {@code builder}, which is never null.
   *
   * @param builder the codec's builder, with the configured allow-list already on it
   */
  void customize(JavaSerializationCodec.Builder builder);
}
