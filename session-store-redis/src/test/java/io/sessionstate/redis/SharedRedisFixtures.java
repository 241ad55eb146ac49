package io.sessionstate.redis;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands one Redis Cluster and one Sentinel deployment to every test class that asks for them (as a
 * parameter of a {@code @BeforeAll} method), started on first use and stopped when the whole test
 * run ends: forming a topology costs seconds, and the classes leave it whole.
 */
final class SharedRedisFixtures implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedRedisFixtures.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == RedisClusterFixture.class || type == RedisSentinelFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (!RedisServerProcess.available()) {
      throw new ParameterResolutionException(
          "redis-server is not on the PATH: install Redis 7 to run the Cluster and Sentinel"
              + " tests, which start their own servers");
    }
    Class<?> type = parameter.getParameter().getType();
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    if (type == RedisClusterFixture.class) {
      return store.computeIfAbsent(
          type, k -> RedisClusterFixture.start(), RedisClusterFixture.class);
    }
    return store.computeIfAbsent(
        type, k -> RedisSentinelFixture.start(), RedisSentinelFixture.class);
  }
}
