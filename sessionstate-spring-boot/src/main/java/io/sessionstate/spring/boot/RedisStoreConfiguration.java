package io.sessionstate.spring.boot;

import io.sessionstate.SessionStoreException;
import io.sessionstate.redis.RedisSessionStore;
import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import redis.clients.jedis.HostAndPort;

/**
 * The Redis store, when {@code sessionstate.store=redis}. The connection comes from Spring Boot's
 * {@link DataRedisConnectionDetails} when there is one (spring-boot-data-redis, or a Testcontainers
 * service connection); otherwise from the same {@code spring.data.redis.*} properties, read here,
 * so an application needs no Spring Data Redis for its sessions.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.sessionstate.redis.RedisSessionStore")
@ConditionalOnProperty(prefix = "sessionstate", name = "store", havingValue = "redis")
final class RedisStoreConfiguration {

  private static final String DETAILS =
      "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

  // The manager closes its store; the context must not close it a second time.
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean(SessionStore.class)
  RedisSessionStore sessionStateStore(
      SessionStateProperties properties,
      Environment environment,
      org.springframework.beans.factory.ListableBeanFactory beanFactory,
      ObjectProvider<SslBundles> sslBundles) {
    Binder binder = Binder.get(environment);
    RedisSessionStore.Builder builder = RedisSessionStore.builder();
    try {
      Object details = null;
      if (org.springframework.util.ClassUtils.isPresent(DETAILS, getClass().getClassLoader())) {
        details = FromDetails.find(beanFactory);
      }
      if (details != null) {
        FromDetails.apply((DataRedisConnectionDetails) details, builder);
      } else {
        fromProperties(binder, builder, sslBundles);
      }
      duration(binder, "spring.data.redis.timeout").ifPresent(builder::operationTimeout);
      duration(binder, "spring.data.redis.connect-timeout").ifPresent(builder::connectTimeout);
      String application =
          properties.getRedis().getApplicationName() != null
              ? properties.getRedis().getApplicationName()
              : binder.bind("spring.application.name", String.class).orElse(null);
      if (application != null) {
        builder.applicationName(application);
      }
      if (properties.getRedis().getRetryTimeout() != null) {
        builder.retryTimeout(properties.getRedis().getRetryTimeout());
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new SessionStateConfigurationException(
          "The Redis session store's settings are invalid: " + e.getMessage(),
          "Change the spring.data.redis.* or sessionstate.redis.* properties.",
          e);
    }
    try {
      return builder.build();
    } catch (SessionStoreException e) {
      // Sentinel and Cluster clients connect as they are built.
      throw new SessionStateConfigurationException(
          "The Redis session store could not connect: " + e.getMessage(),
          "Check the spring.data.redis.* properties (or the Redis connection details) and that"
              + " Redis is reachable.",
          e);
    }
  }

  private static void fromProperties(
      Binder binder, RedisSessionStore.Builder builder, ObjectProvider<SslBundles> sslBundles) {
    String p = "spring.data.redis.";
    Optional<String> url =
        binder.bind(p + "url", String.class).map(Optional::of).orElse(Optional.empty());
    url.ifPresent(builder::uri);
    String username = binder.bind(p + "username", String.class).orElse(null);
    String password = binder.bind(p + "password", String.class).orElse(null);
    credentials(builder, username, password);
    List<String> cluster =
        binder.bind(p + "cluster.nodes", Bindable.listOf(String.class)).orElse(List.of());
    String master = binder.bind(p + "sentinel.master", String.class).orElse(null);
    if (!cluster.isEmpty()) {
      builder.cluster(nodes(cluster));
    } else if (master != null) {
      builder.sentinel(
          master,
          nodes(
              binder.bind(p + "sentinel.nodes", Bindable.listOf(String.class)).orElse(List.of())));
    } else if (url.isEmpty()) {
      binder.bind(p + "host", String.class).ifBound(builder::host);
      binder.bind(p + "port", Integer.class).ifBound(builder::port);
    }
    if (url.isEmpty()) {
      binder.bind(p + "database", Integer.class).ifBound(builder::database);
    }
    String bundle = binder.bind(p + "ssl.bundle", String.class).orElse(null);
    boolean ssl = binder.bind(p + "ssl.enabled", Boolean.class).orElse(bundle != null);
    if (ssl) {
      builder.ssl(true);
    }
    if (bundle != null) {
      SslBundles bundles = sslBundles.getIfAvailable();
      if (bundles == null) {
        throw new IllegalStateException(
            "spring.data.redis.ssl.bundle names '" + bundle + "', but there are no SSL bundles");
      }
      ssl(builder, bundles.getBundle(bundle));
    }
  }

  static void credentials(
      RedisSessionStore.Builder builder, @Nullable String username, @Nullable String password) {
    if (username != null && password != null) {
      builder.user(username, password);
    } else if (password != null) {
      builder.accessKey(password);
    }
  }

  static void ssl(RedisSessionStore.Builder builder, SslBundle bundle) {
    builder.ssl(true).sslSocketFactory(bundle.createSslContext().getSocketFactory());
  }

  private static Set<HostAndPort> nodes(List<String> nodes) {
    Set<HostAndPort> parsed = new LinkedHashSet<>();
    for (String node : nodes) {
      int colon = node.lastIndexOf(':');
      if (colon <= 0 || colon == node.length() - 1) {
        throw new IllegalArgumentException("a Redis node must be host:port: " + node);
      }
      parsed.add(
          new HostAndPort(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1))));
    }
    return parsed;
  }

  private static Optional<Duration> duration(Binder binder, String name) {
    return binder
        .bind(name, String.class)
        .map(value -> DurationStyle.detectAndParse(value, ChronoUnit.MILLIS))
        .map(Optional::of)
        .orElse(Optional.empty());
  }

  /** Loaded only when spring-boot-data-redis is on the class path. */
  static final class FromDetails {
    private FromDetails() {}

    static @Nullable Object find(
        org.springframework.beans.factory.ListableBeanFactory beanFactory) {
      return beanFactory.getBeanProvider(DataRedisConnectionDetails.class).getIfUnique();
    }

    static void apply(DataRedisConnectionDetails details, RedisSessionStore.Builder builder) {
      credentials(builder, details.getUsername(), details.getPassword());
      if (details.getCluster() != null) {
        builder.cluster(
            nodes(
                details.getCluster().getNodes().stream()
                    .map(node -> node.host() + ":" + node.port())
                    .toList()));
      } else if (details.getSentinel() != null) {
        DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
        builder.sentinel(
            sentinel.getMaster(),
            nodes(
                sentinel.getNodes().stream()
                    .map(node -> node.host() + ":" + node.port())
                    .toList()));
        builder.database(sentinel.getDatabase());
      } else if (details.getStandalone() != null) {
        builder.host(details.getStandalone().getHost()).port(details.getStandalone().getPort());
        builder.database(details.getStandalone().getDatabase());
      }
      if (details.getSslBundle() != null) {
        ssl(builder, details.getSslBundle());
      }
    }
  }
}
