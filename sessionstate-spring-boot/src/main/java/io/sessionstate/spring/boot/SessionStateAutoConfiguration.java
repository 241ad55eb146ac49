package io.sessionstate.spring.boot;

import io.sessionstate.SessionListener;
import io.sessionstate.SessionManager;
import io.sessionstate.ValueCodec;
import io.sessionstate.servlet.SessionFilter;
import io.sessionstate.spi.SessionStore;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.EnumSet;
import java.util.EventListener;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Serves {@code HttpServletRequest.getSession()} from sessionstate in a Spring Boot servlet web
 * application: a {@link SessionManager} over the store {@code sessionstate.store} names, and a
 * {@link SessionFilter} registered ahead of Spring Security. Every bean backs off when the
 * application defines its own; {@link SessionManagerBuilderCustomizer} beans adjust the manager.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
    },
    beforeName = "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SessionFilter.class)
@EnableConfigurationProperties(SessionStateProperties.class)
@Import({
  CodecConfiguration.class,
  MemoryStoreConfiguration.class,
  RedisStoreConfiguration.class,
  PostgresqlStoreConfiguration.class,
  SessionStateHealthConfiguration.class,
  SessionRegistryConfiguration.class
})
public final class SessionStateAutoConfiguration {

  static final String SPRING_SESSION_FILTER =
      "org.springframework.session.web.http.SessionRepositoryFilter";

  /** Made by Spring Boot when it applies the auto-configuration; applications do not call it. */
  public SessionStateAutoConfiguration() {}

  /** The manager, closed (with its store) when the context closes. */
  @Bean
  @ConditionalOnMissingBean
  SessionManager sessionStateManager(
      SessionStateProperties properties,
      Environment environment,
      ObjectProvider<SessionStore> stores,
      ObjectProvider<ValueCodec> codecs,
      ObjectProvider<SessionListener> listeners,
      ObjectProvider<SessionManagerBuilderCustomizer> customizers,
      ConfigurableListableBeanFactory beanFactory) {
    SessionStore store = stores.getIfAvailable();
    if (store == null) {
      throw Settings.missingStore(properties, environment, beanFactory.getBeanClassLoader());
    }
    Settings settings = new Settings(properties, environment);
    SessionManager.Builder builder = SessionManager.builder().store(store);
    settings.apply(builder, store);
    codecs.ifAvailable(builder::valueCodec);
    List<SessionListener> all = listeners.orderedStream().toList();
    if (!all.isEmpty()) {
      builder.listener(all.size() == 1 ? all.get(0) : new CompositeSessionListener(all));
    }
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    try {
      return builder.build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      throw new SessionStateConfigurationException(
          "The session manager cannot be built: " + message,
          message.startsWith("commitMode")
              ? "Set sessionstate.commit-mode=coherent, or use a store with versions (every"
                  + " sessionstate store has them)."
              : "Change the sessionstate.* properties, or the SessionManagerBuilderCustomizer"
                  + " beans, that set the options named.",
          e);
    }
  }

  /**
   * The filter, ordered ahead of Spring Security's so that sign-in, the saved request and the CSRF
   * token land in this session; with the Servlet session listener beans (such as Spring Security's
   * {@code HttpSessionEventPublisher}), which the container would call only for its own sessions.
   */
  @Bean
  @ConditionalOnMissingBean(name = "sessionStateFilter")
  FilterRegistrationBean<SessionFilter> sessionStateFilter(
      SessionManager manager,
      SessionStateProperties properties,
      Environment environment,
      ListableBeanFactory beanFactory,
      ObjectProvider<HttpSessionListener> sessionListeners,
      ObjectProvider<HttpSessionAttributeListener> attributeListeners,
      ObjectProvider<HttpSessionIdListener> idListeners) {
    rejectSpringSession(beanFactory);
    FilterProperties filter = properties.getFilter();
    SessionFilter.Builder builder =
        SessionFilter.builder(manager)
            .commitFailure(filter.getCommitFailure())
            .trustForwardedProto(new Settings(properties, environment).trustForwardedProto());
    // One object may be several kinds of listener; the filter must be told of it once.
    Map<EventListener, Boolean> seen = new IdentityHashMap<>();
    Stream.of(sessionListeners, attributeListeners, idListeners)
        .flatMap(ObjectProvider::orderedStream)
        .map(EventListener.class::cast)
        .filter(listener -> seen.put(listener, Boolean.TRUE) == null)
        .forEach(builder::listener);
    FilterRegistrationBean<SessionFilter> registration =
        new FilterRegistrationBean<>(builder.build());
    registration.setName("sessionStateFilter");
    registration.setOrder(filter.getOrder());
    if (filter.getDispatcherTypes().isEmpty()) {
      throw new SessionStateConfigurationException(
          "sessionstate.filter.dispatcher-types is empty: the filter would serve no request.",
          "Set sessionstate.filter.dispatcher-types to REQUEST, ASYNC, ERROR (the default).");
    }
    registration.setDispatcherTypes(EnumSet.copyOf(filter.getDispatcherTypes()));
    return registration;
  }

  private static void rejectSpringSession(ListableBeanFactory beanFactory) {
    ClassLoader loader = SessionStateAutoConfiguration.class.getClassLoader();
    if (!ClassUtils.isPresent(SPRING_SESSION_FILTER, loader)) {
      return;
    }
    String[] names =
        beanFactory.getBeanNamesForType(
            ClassUtils.resolveClassName(SPRING_SESSION_FILTER, loader), true, false);
    if (names.length > 0) {
      throw new SessionStateConfigurationException(
          "Spring Session's SessionRepositoryFilter (bean '"
              + names[0]
              + "') is configured as well as sessionstate: each would serve HttpSession from its"
              + " own store, and sign-in would land in whichever ran first.",
          "Use one of them: remove Spring Session (spring-boot-starter-session-* or"
              + " spring-session-*) or sessionstate-spring-boot-starter from the dependencies.");
    }
  }
}
