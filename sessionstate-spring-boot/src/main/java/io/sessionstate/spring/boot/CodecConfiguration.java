package io.sessionstate.spring.boot;

import io.sessionstate.JavaSerializationCodec;
import io.sessionstate.ValueCodec;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default codec: Java serialization, as the servlet containers' own sessions and Spring Session
 * use, so every {@code Serializable} attribute works as before; with an allow-list, so bytes from
 * the store can only instantiate the application's classes, Spring Security's, and the JDK's value
 * types.
 */
@Configuration(proxyBeanMethods = false)
final class CodecConfiguration {

  /** Spring Security's session objects: the security context, saved request, CSRF token. */
  static final List<String> FRAMEWORK_PACKAGES = List.of("org.springframework.security");

  /** Spring MVC's flash attributes, kept in the session across a redirect. */
  static final List<String> FRAMEWORK_CLASSES =
      List.of(
          "org.springframework.web.servlet.FlashMap",
          "org.springframework.util.LinkedMultiValueMap");

  @Bean
  @ConditionalOnMissingBean(ValueCodec.class)
  JavaSerializationCodec sessionStateValueCodec(
      SessionStateProperties properties,
      ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<JavaSerializationCodecCustomizer> customizers) {
    JavaSerializationCodec.Builder codec = JavaSerializationCodec.builder();
    ClassLoader loader = beanFactory.getBeanClassLoader();
    if (loader != null) {
      codec.classLoader(loader);
    }
    if (AutoConfigurationPackages.has(beanFactory)) {
      for (String name : AutoConfigurationPackages.get(beanFactory)) {
        // An application in the unnamed package has no package to allow; it lists its own.
        if (!name.isEmpty()) {
          allow("the application's package (@SpringBootApplication)", codec::allowPackage, name);
        }
      }
    }
    FRAMEWORK_PACKAGES.forEach(codec::allowPackage);
    FRAMEWORK_CLASSES.forEach(codec::allowClass);
    CodecProperties own = properties.getCodec();
    own.getAllowedPackages()
        .forEach(name -> allow("sessionstate.codec.allowed-packages", codec::allowPackage, name));
    own.getAllowedClasses()
        .forEach(name -> allow("sessionstate.codec.allowed-classes", codec::allowClass, name));
    customizers.orderedStream().forEach(customizer -> customizer.customize(codec));
    return codec.build();
  }

  private static void allow(String property, Consumer<String> allow, String name) {
    try {
      allow.accept(name);
    } catch (IllegalArgumentException e) {
      throw new SessionStateConfigurationException(
          property + " is invalid: " + e.getMessage(), "Change " + property + ".", e);
    }
  }
}
