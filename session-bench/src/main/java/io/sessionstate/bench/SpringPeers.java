package io.sessionstate.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import redis.clients.jedis.RedisClient;

/**
 * The peers of {@link Impl}: Spring Session 4's repositories, each set up as Spring Boot 4 sets it
 * up, over the same servers and the same pool settings as the sessionstate stores and the raw
 * baselines.
 */
final class SpringPeers {
  private SpringPeers() {}

  static Cycle springMap(Env env) {
    ConcurrentHashMap<String, Session> map = new ConcurrentHashMap<>();
    MapSessionRepository repository = new MapSessionRepository(map);
    repository.setDefaultMaxInactiveInterval(Workload.IDLE_TIMEOUT);
    return new SpringCycle<MapSession>(repository, map::clear, () -> {});
  }

  /**
   * Spring Session 4's {@code RedisSessionRepository} as Spring Boot 4 configures it with {@code
   * spring.session.redis.repository-type=default} and its default client, Lettuce: one shared
   * native connection, string keys and hash keys, JDK serialization of attribute values.
   */
  static Cycle springRedisLettuce(Env env) {
    LettuceConnectionFactory factory =
        new LettuceConnectionFactory(
            new RedisStandaloneConfiguration(env.redisHost(), env.redisPort()),
            LettuceClientConfiguration.defaultConfiguration());
    factory.afterPropertiesSet();
    factory.start();
    return springRedis(env, factory, "-spring-lettuce", factory::destroy);
  }

  /**
   * The same repository over Spring Data Redis' Jedis support, pooled as Spring Boot 4 configures
   * it when commons-pool2 is present (8 connections, as Boot's defaults). Spring Data Redis 4.0 is
   * built and tested against Jedis 7; here it runs on this project's Jedis 8, which serves every
   * command the cycle sends (Jedis logs that it leaves RESP3 negotiation off).
   */
  static Cycle springRedisJedis(Env env) {
    JedisConnectionFactory factory =
        new JedisConnectionFactory(
            new RedisStandaloneConfiguration(env.redisHost(), env.redisPort()),
            JedisClientConfiguration.builder().usePooling().build());
    factory.afterPropertiesSet();
    factory.start();
    return springRedis(env, factory, "-spring-jedis", factory::destroy);
  }

  private static Cycle springRedis(
      Env env, RedisConnectionFactory factory, String suffix, Runnable destroy) {
    RedisTemplate<String, Object> template = new RedisTemplate<>();
    template.setKeySerializer(RedisSerializer.string());
    template.setHashKeySerializer(RedisSerializer.string());
    template.setConnectionFactory(factory);
    template.afterPropertiesSet();
    RedisSessionRepository repository = new RedisSessionRepository(template);
    String namespace = env.namespace() + suffix;
    repository.setRedisKeyNamespace(namespace);
    repository.setDefaultMaxInactiveInterval(Workload.IDLE_TIMEOUT);
    RedisClient admin = env.newJedis();
    return new SpringCycle<>(
        repository,
        () -> RedisKeys.deleteMatching(admin, namespace + ":*"),
        () -> {
          try {
            destroy.run();
          } finally {
            admin.close();
          }
        });
  }

  /**
   * Spring Session 4's {@code JdbcIndexedSessionRepository} as Spring Boot 4 configures it: a
   * {@code JdbcTemplate} and a {@code REQUIRES_NEW} transaction template over the pool, the schema
   * Spring Session ships for PostgreSQL (renamed into this run's namespace). Its expired-session
   * cleanup job is off: nothing expires within a run.
   */
  static Cycle springJdbc(Env env) {
    HikariDataSource pool = env.newPool("spring-jdbc");
    String table = env.namespace() + "_spring";
    String qualified = Env.SCHEMA + "." + table;
    List<String> schema = new ArrayList<>();
    schema.add("CREATE SCHEMA IF NOT EXISTS " + Env.SCHEMA);
    schema.add("SET search_path TO " + Env.SCHEMA);
    for (String statement : springSchema().split(";")) {
      if (!statement.isBlank()) {
        schema.add(statement.replace("SPRING_SESSION", table));
      }
    }
    schema.add("RESET search_path");
    Env.execute(pool, schema.toArray(new String[0]));
    DataSource dataSource = env.counted(pool);
    TransactionTemplate transactions =
        new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    transactions.afterPropertiesSet();
    JdbcIndexedSessionRepository repository =
        new JdbcIndexedSessionRepository(new JdbcTemplate(dataSource), transactions);
    repository.setTableName(qualified);
    repository.setDefaultMaxInactiveInterval(Workload.IDLE_TIMEOUT);
    repository.setCleanupCron("-");
    repository.afterPropertiesSet();
    return new SpringCycle<>(
        repository,
        () -> Env.execute(pool, "TRUNCATE " + qualified + ", " + qualified + "_attributes"),
        () -> {
          try {
            repository.destroy();
            Env.execute(
                pool,
                "DROP TABLE IF EXISTS " + qualified + "_attributes",
                "DROP TABLE IF EXISTS " + qualified);
          } finally {
            pool.close();
          }
        });
  }

  /**
   * Spring Session's {@code JdbcIndexedSessionRepository} on the MySQL-family server, configured as
   * for PostgreSQL above, over the schema Spring Session ships for MySQL ({@code schema-mysql.sql},
   * which MariaDB runs too), renamed into this run's namespace.
   */
  static Cycle springJdbcMySql(Env env) {
    HikariDataSource pool = env.newMySqlPool("spring-jdbc-mysql");
    String table = env.namespace() + "_spring";
    List<String> schema = new ArrayList<>();
    for (String statement : springSchema("mysql").split(";")) {
      if (!statement.isBlank()) {
        schema.add(statement.replace("SPRING_SESSION", table));
      }
    }
    Env.execute(pool, schema.toArray(new String[0]));
    DataSource dataSource = env.counted(pool);
    TransactionTemplate transactions =
        new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    transactions.afterPropertiesSet();
    JdbcIndexedSessionRepository repository =
        new JdbcIndexedSessionRepository(new JdbcTemplate(dataSource), transactions);
    repository.setTableName(table);
    repository.setDefaultMaxInactiveInterval(Workload.IDLE_TIMEOUT);
    repository.setCleanupCron("-");
    repository.afterPropertiesSet();
    return new SpringCycle<>(
        repository,
        // The attributes' foreign key forbids TRUNCATE of the sessions table. Spring appends
        // "_ATTRIBUTES" in capitals, and table names are case-sensitive on Linux.
        () -> Env.execute(pool, "DELETE FROM " + table + "_ATTRIBUTES", "DELETE FROM " + table),
        () -> {
          try {
            repository.destroy();
            Env.execute(
                pool,
                "DROP TABLE IF EXISTS " + table + "_ATTRIBUTES",
                "DROP TABLE IF EXISTS " + table);
          } finally {
            pool.close();
          }
        });
  }

  private static String springSchema() {
    return springSchema("postgresql");
  }

  private static String springSchema(String database) {
    String resource = "/org/springframework/session/jdbc/schema-" + database + ".sql";
    try (InputStream in = JdbcIndexedSessionRepository.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Spring Session's schema is missing: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("reading " + resource, e);
    }
  }
}
