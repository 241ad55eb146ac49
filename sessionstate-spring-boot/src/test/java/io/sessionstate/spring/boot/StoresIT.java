package io.sessionstate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.SessionManager;
import io.sessionstate.postgresql.PostgresSessionStore;
import io.sessionstate.redis.RedisSessionStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import redis.clients.jedis.RedisClient;

/** The Redis and PostgreSQL stores as the auto-configuration builds them, on the real servers. */
class StoresIT {

  static final String REDIS_HOST = "127.0.0.1";
  static final int REDIS_PORT = 6379;
  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SessionStateAutoConfiguration.class));

  private final String app = "boot-it-" + UUID.randomUUID();

  // ---- Redis

  @Test
  void redis_withoutKeyRing_failsStartupNamingTheProperty() {
    runner
        .withPropertyValues("sessionstate.store=redis")
        .run(
            SessionStateAutoConfigurationTest.failsWith(
                "No session key ring is configured for the redis store, which other processes"
                    + " share: a key made up by each process would make every node reject the"
                    + " cookies of the others, and every restart sign everyone out.",
                "Set sessionstate.key-ring.keys.<id> to a Base64 secret of at least 32 random"
                    + " bytes, the same on every node (for example"
                    + " sessionstate.key-ring.keys.k1=${SESSION_KEY}, with SESSION_KEY from"
                    + " `openssl rand -base64 32`)."));
  }

  @Test
  void redis_fromSpringDataRedisProperties_keysUnderTheApplicationName() {
    runner
        .withPropertyValues(
            "sessionstate.store=redis",
            SessionStateAutoConfigurationTest.KEY,
            "spring.application.name=" + app,
            "spring.data.redis.host=" + REDIS_HOST,
            "spring.data.redis.port=" + REDIS_PORT)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              RedisSessionStore store =
                  (RedisSessionStore) context.getBean(SessionManager.class).store();
              assertThat(store.applicationName()).isEqualTo(app);
              assertSavesUnder(store, app);
            });
  }

  @Test
  void redis_ownApplicationNameWinsOverSpringsAndUrlIsRead() {
    runner
        .withPropertyValues(
            "sessionstate.store=redis",
            SessionStateAutoConfigurationTest.KEY,
            "spring.application.name=ignored",
            "sessionstate.redis.application-name=" + app,
            "spring.data.redis.url=redis://" + REDIS_HOST + ":" + REDIS_PORT + "/0")
        .run(
            context -> {
              RedisSessionStore store =
                  (RedisSessionStore) context.getBean(SessionManager.class).store();
              assertThat(store.applicationName()).isEqualTo(app);
              assertSavesUnder(store, app);
            });
  }

  @Test
  void redis_connectionDetailsBeanWinsOverProperties() {
    runner
        .withPropertyValues(
            "sessionstate.store=redis",
            SessionStateAutoConfigurationTest.KEY,
            "sessionstate.redis.application-name=" + app,
            // Nothing listens on port 1: only the connection details can make this work.
            "spring.data.redis.host=" + REDIS_HOST,
            "spring.data.redis.port=1")
        .withBean(
            DataRedisConnectionDetails.class,
            () ->
                new DataRedisConnectionDetails() {
                  @Override
                  public Standalone getStandalone() {
                    return Standalone.of(REDIS_HOST, REDIS_PORT);
                  }
                })
        .run(
            context ->
                assertSavesUnder(
                    (RedisSessionStore) context.getBean(SessionManager.class).store(), app));
  }

  @Test
  void redis_healthDownWhenNothingListens() {
    runner
        .withPropertyValues(
            "sessionstate.store=redis",
            SessionStateAutoConfigurationTest.KEY,
            "spring.data.redis.host=" + REDIS_HOST,
            "spring.data.redis.port=1",
            "spring.data.redis.connect-timeout=200ms")
        .run(
            context -> {
              HealthIndicator health =
                  context.getBean("sessionstateHealthIndicator", HealthIndicator.class);
              assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            });
  }

  @Test
  void redis_badNode_failsNamingTheProperties() {
    runner
        .withPropertyValues(
            "sessionstate.store=redis",
            SessionStateAutoConfigurationTest.KEY,
            "spring.data.redis.cluster.nodes=no-port-here")
        .run(
            SessionStateAutoConfigurationTest.failsWith(
                "The Redis session store's settings are invalid: a Redis node must be host:port:"
                    + " no-port-here",
                "Change the spring.data.redis.* or sessionstate.redis.* properties."));
  }

  @Test
  void redis_clusterNodesThatDoNotAnswer_failStartupNamingTheProperties() {
    runner
        .withPropertyValues(
            "sessionstate.store=redis",
            SessionStateAutoConfigurationTest.KEY,
            "spring.data.redis.cluster.nodes=127.0.0.1:1",
            "spring.data.redis.connect-timeout=200ms")
        .run(
            context -> {
              SessionStateConfigurationException failure =
                  SessionStateAutoConfigurationTest.configurationFailure(context);
              assertThat(failure.getMessage())
                  .startsWith("The Redis session store could not connect: ");
              assertThat(failure.action())
                  .isEqualTo(
                      "Check the spring.data.redis.* properties (or the Redis connection details)"
                          + " and that Redis is reachable.");
            });
  }

  @Test
  void redis_sentinelsThatDoNotAnswer_failStartupNamingTheProperties() {
    runner
        .withPropertyValues(
            "sessionstate.store=redis",
            SessionStateAutoConfigurationTest.KEY,
            "spring.data.redis.sentinel.master=mymaster",
            "spring.data.redis.sentinel.nodes=127.0.0.1:1",
            "spring.data.redis.connect-timeout=200ms")
        .run(
            context ->
                assertThat(
                        SessionStateAutoConfigurationTest.configurationFailure(context)
                            .getMessage())
                    .startsWith("The Redis session store could not connect: "));
  }

  private static void assertSavesUnder(RedisSessionStore store, String app) {
    store.save("k1", "blob".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
    try (RedisClient redis = RedisClient.builder().hostAndPort(REDIS_HOST, REDIS_PORT).build()) {
      String key = "{" + app + "_k1}_Data";
      assertThat(redis.exists(key)).isTrue();
      redis.del(key);
    }
  }

  // ---- PostgreSQL

  @Test
  void postgresql_withoutDataSource_failsStartup() {
    runner
        .withPropertyValues("sessionstate.store=postgresql", SessionStateAutoConfigurationTest.KEY)
        .run(
            SessionStateAutoConfigurationTest.failsWith(
                "sessionstate.store is postgresql, but the application has no single DataSource"
                    + " bean to keep the sessions in.",
                "Configure the application's DataSource (spring-boot-starter-jdbc and"
                    + " spring.datasource.url=jdbc:postgresql://...), or mark one of several"
                    + " @Primary."));
  }

  @Test
  void postgresql_initializeSchemaAlways_createsTheTableInTheApplicationsDatabase()
      throws Exception {
    String table = table();
    DataSource dataSource = dataSource();
    try {
      runner
          .withBean(DataSource.class, () -> dataSource)
          .withPropertyValues(
              "sessionstate.store=postgresql",
              SessionStateAutoConfigurationTest.KEY,
              "sessionstate.postgresql.table=" + table,
              "sessionstate.postgresql.initialize-schema=always")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                PostgresSessionStore store =
                    (PostgresSessionStore) context.getBean(SessionManager.class).store();
                assertThat(store.table()).isEqualTo(table);
                assertThat(tableExists(dataSource, table)).isTrue();
                store.save("k1", new byte[] {1}, Duration.ofMinutes(1));
                assertThat(store.loadAndTouch("k1", Duration.ofMinutes(1))).isPresent();
              });
    } finally {
      drop(dataSource, table);
    }
  }

  @Test
  void postgresql_initializeSchemaEmbeddedByDefault_createsNothing() throws Exception {
    String table = table();
    DataSource dataSource = dataSource();
    runner
        .withBean(DataSource.class, () -> dataSource)
        .withPropertyValues(
            "sessionstate.store=postgresql",
            SessionStateAutoConfigurationTest.KEY,
            "sessionstate.postgresql.table=" + table)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(tableExists(dataSource, table)).isFalse();
            });
  }

  @Test
  void postgresql_badTableName_failsNamingTheProperties() {
    runner
        .withBean(DataSource.class, StoresIT::dataSource)
        .withPropertyValues(
            "sessionstate.store=postgresql",
            SessionStateAutoConfigurationTest.KEY,
            "sessionstate.postgresql.table=drop table x")
        .run(
            context -> {
              SessionStateConfigurationException failure =
                  SessionStateAutoConfigurationTest.configurationFailure(context);
              assertThat(failure.getMessage()).startsWith("sessionstate.postgresql is invalid: ");
              assertThat(failure.getMessage()).contains("drop table x");
              assertThat(failure.action())
                  .isEqualTo("Change the sessionstate.postgresql.* properties.");
            });
  }

  @Test
  void postgresql_unreachableWithInitializeSchemaAlways_failsStartup() {
    runner
        .withBean(
            DataSource.class,
            () ->
                new SimpleDriverDataSource(
                    new org.postgresql.Driver(),
                    "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=1",
                    "postgres",
                    ""))
        .withPropertyValues(
            "sessionstate.store=postgresql",
            SessionStateAutoConfigurationTest.KEY,
            "sessionstate.postgresql.table=" + table(),
            "sessionstate.postgresql.initialize-schema=always")
        .run(
            context -> {
              SessionStateConfigurationException failure =
                  SessionStateAutoConfigurationTest.configurationFailure(context);
              assertThat(failure.getMessage())
                  .startsWith("The PostgreSQL session store could not start: ");
              assertThat(failure.action())
                  .isEqualTo(
                      "Check the application's DataSource, and that the sessions table exists (or"
                          + " set sessionstate.postgresql.initialize-schema=always).");
            });
  }

  private static String table() {
    return "boot_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  static DataSource dataSource() {
    return new SimpleDriverDataSource(new org.postgresql.Driver(), POSTGRES_URL, "postgres", "");
  }

  private static boolean tableExists(DataSource dataSource, String table) throws Exception {
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, "public", table, null)) {
      return rs.next();
    }
  }

  private static void drop(DataSource dataSource, String table) throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      // The principal index's side table references the sessions table: it goes first.
      s.execute("DROP TABLE IF EXISTS public." + table + "_principals");
      s.execute("DROP TABLE IF EXISTS public." + table);
    }
  }
}
