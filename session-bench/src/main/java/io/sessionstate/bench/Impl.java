package io.sessionstate.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionstate.CommitMode;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.mysql.MySqlSessionStore;
import io.sessionstate.postgresql.PostgresSessionStore;
import io.sessionstate.redis.RedisSessionStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
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
 * Every implementation the benchmarks compare, by the name {@link RequestCycleBenchmark} takes as
 * its {@code impl} parameter. Adding a store is one constant here: its name, server, kind, the raw
 * baseline it is held against, and how to build it.
 */
enum Impl {
  SESSIONSTATE_MEMORY(
      "sessionstate-memory",
      Backend.MEMORY,
      Kind.SESSIONSTATE,
      "raw-caffeine",
      env -> new SessionstateCycle(MemorySessionStore.builder().build(), () -> {}, () -> {})),
  RAW_CAFFEINE("raw-caffeine", Backend.MEMORY, Kind.RAW, null, env -> new CaffeineCycle()),
  SPRING_MAP("spring-map", Backend.MEMORY, Kind.SPRING, null, Impl::springMap),

  SESSIONSTATE_REDIS(
      "sessionstate-redis",
      Backend.REDIS,
      Kind.SESSIONSTATE,
      "raw-jedis",
      env -> sessionstateRedis(env, CommitMode.COHERENT)),
  // The same store in the two other commit modes: without a conflict, a conditional write in
  // the same one round trip (MERGE and STRICT compare the version the request loaded).
  SESSIONSTATE_REDIS_MERGE(
      "sessionstate-redis-merge",
      Backend.REDIS,
      Kind.SESSIONSTATE,
      "raw-jedis",
      env -> sessionstateRedis(env, CommitMode.MERGE)),
  SESSIONSTATE_REDIS_STRICT(
      "sessionstate-redis-strict",
      Backend.REDIS,
      Kind.SESSIONSTATE,
      "raw-jedis",
      env -> sessionstateRedis(env, CommitMode.STRICT)),
  RAW_JEDIS("raw-jedis", Backend.REDIS, Kind.RAW, null, JedisCycle::new),
  SPRING_REDIS_LETTUCE(
      "spring-redis-lettuce", Backend.REDIS, Kind.SPRING, null, Impl::springRedisLettuce),
  SPRING_REDIS_JEDIS(
      "spring-redis-jedis", Backend.REDIS, Kind.SPRING, null, Impl::springRedisJedis),

  SESSIONSTATE_POSTGRES(
      "sessionstate-postgres",
      Backend.POSTGRES,
      Kind.SESSIONSTATE,
      "raw-jdbc-logged",
      env -> sessionstatePostgres(env, false)),
  SESSIONSTATE_POSTGRES_UNLOGGED(
      "sessionstate-postgres-unlogged",
      Backend.POSTGRES,
      Kind.SESSIONSTATE,
      "raw-jdbc-unlogged",
      env -> sessionstatePostgres(env, true)),
  RAW_JDBC_LOGGED(
      "raw-jdbc-logged", Backend.POSTGRES, Kind.RAW, null, env -> new JdbcCycle(env, false)),
  RAW_JDBC_UNLOGGED(
      "raw-jdbc-unlogged", Backend.POSTGRES, Kind.RAW, null, env -> new JdbcCycle(env, true)),
  // The store's own throttled load, in plain JDBC: what the store's read-only cycle costs
  // without the library around it.
  RAW_JDBC_THROTTLED(
      "raw-jdbc-throttled",
      Backend.POSTGRES,
      Kind.RAW,
      null,
      env -> new JdbcCycle(env, false, true)),
  SPRING_JDBC("spring-jdbc", Backend.POSTGRES, Kind.SPRING, null, Impl::springJdbc),

  SESSIONSTATE_MYSQL(
      "sessionstate-mysql",
      Backend.MYSQL,
      Kind.SESSIONSTATE,
      "raw-jdbc-mysql",
      Impl::sessionstateMySql),
  RAW_JDBC_MYSQL("raw-jdbc-mysql", Backend.MYSQL, Kind.RAW, null, MySqlJdbcCycle::new),
  SPRING_JDBC_MYSQL("spring-jdbc-mysql", Backend.MYSQL, Kind.SPRING, null, Impl::springJdbcMySql);

  /** The server an implementation needs. */
  enum Backend {
    MEMORY("in-process"),
    REDIS("Redis"),
    POSTGRES("PostgreSQL"),
    MYSQL("MariaDB");

    final String title;

    Backend(String title) {
      this.title = title;
    }
  }

  /** Whose code the implementation runs. */
  enum Kind {
    SESSIONSTATE,
    RAW,
    SPRING
  }

  final String id;
  final Backend backend;
  final Kind kind;
  private final @Nullable String baseline;
  private final Function<Env, Cycle> factory;

  Impl(
      String id,
      Backend backend,
      Kind kind,
      @Nullable String baseline,
      Function<Env, Cycle> factory) {
    this.id = id;
    this.backend = backend;
    this.kind = kind;
    this.baseline = baseline;
    this.factory = factory;
  }

  Cycle create(Env env) {
    return factory.apply(env);
  }

  /** The raw baseline a sessionstate implementation is held against. */
  Optional<Impl> baseline() {
    return Optional.ofNullable(baseline).map(Impl::byId);
  }

  static Impl byId(String id) {
    for (Impl impl : values()) {
      if (impl.id.equals(id)) {
        return impl;
      }
    }
    throw new IllegalArgumentException(
        "unknown impl: " + id + "; known: " + Arrays.toString(ids(List.of(values()))));
  }

  static String[] ids(List<Impl> impls) {
    List<String> ids = new ArrayList<>();
    for (Impl impl : impls) {
      ids.add(impl.id);
    }
    return ids.toArray(new String[0]);
  }

  private static Cycle springMap(Env env) {
    ConcurrentHashMap<String, Session> map = new ConcurrentHashMap<>();
    MapSessionRepository repository = new MapSessionRepository(map);
    repository.setDefaultMaxInactiveInterval(Workload.IDLE_TIMEOUT);
    return new SpringCycle<MapSession>(repository, map::clear, () -> {});
  }

  private static Cycle sessionstateRedis(Env env, CommitMode mode) {
    String application = env.namespace() + "-ss-" + mode.name().toLowerCase(java.util.Locale.ROOT);
    RedisSessionStore store =
        RedisSessionStore.builder()
            .host(env.redisHost())
            .port(env.redisPort())
            .applicationName(application)
            .build();
    RedisClient admin = env.newJedis();
    return new SessionstateCycle(
        store, mode, () -> RedisKeys.deleteMatching(admin, "{" + application + "_*"), admin);
  }

  /**
   * The PostgreSQL store over the application's pool (the same pool settings as every JDBC
   * implementation here), creating its own table, logged or {@code UNLOGGED}, with its defaults
   * otherwise (its sweeper included).
   */
  private static Cycle sessionstatePostgres(Env env, boolean unlogged) {
    HikariDataSource pool = env.newPool("sessionstate");
    String table = env.namespace() + "_ss_" + (unlogged ? "unlogged" : "logged");
    String qualified = Env.SCHEMA + "." + table;
    Env.execute(pool, "CREATE SCHEMA IF NOT EXISTS " + Env.SCHEMA);
    PostgresSessionStore store =
        PostgresSessionStore.builder()
            .dataSource(env.counted(pool))
            .schema(Env.SCHEMA)
            .table(table)
            .createSchema(true)
            .unlogged(unlogged)
            .build();
    return new SessionstateCycle(
        store,
        () -> Env.execute(pool, "TRUNCATE " + qualified),
        () -> {
          try {
            Env.execute(pool, "DROP TABLE IF EXISTS " + qualified);
          } finally {
            pool.close();
          }
        });
  }

  /**
   * The MySQL store over the application's pool (the same pool settings as every JDBC
   * implementation here), creating its own table, with its defaults otherwise (its sweeper and its
   * one-second slide throttle included).
   */
  private static Cycle sessionstateMySql(Env env) {
    HikariDataSource pool = env.newMySqlPool("sessionstate-mysql");
    String table = env.namespace() + "_ss_mysql";
    MySqlSessionStore store =
        MySqlSessionStore.builder()
            .dataSource(env.counted(pool))
            .table(table)
            .createSchema(true)
            .build();
    return new SessionstateCycle(
        store,
        () -> Env.execute(pool, "TRUNCATE TABLE " + table),
        () -> {
          try {
            Env.execute(pool, "DROP TABLE IF EXISTS " + table);
          } finally {
            pool.close();
          }
        });
  }

  /**
   * Spring Session's {@code RedisSessionRepository} as Spring Boot 3.5 configures it with {@code
   * spring.session.redis.repository-type=default} and its default client, Lettuce: one shared
   * native connection, string keys and hash keys, JDK serialization of attribute values.
   */
  private static Cycle springRedisLettuce(Env env) {
    LettuceConnectionFactory factory =
        new LettuceConnectionFactory(
            new RedisStandaloneConfiguration(env.redisHost(), env.redisPort()),
            LettuceClientConfiguration.defaultConfiguration());
    factory.afterPropertiesSet();
    factory.start();
    return springRedis(env, factory, "-spring-lettuce", factory::destroy);
  }

  /**
   * The same repository over Spring Data Redis' Jedis support, pooled as Spring Boot configures it
   * when commons-pool2 is present. Spring Data Redis 3.5 is built and tested against Jedis 6; here
   * it runs on this project's Jedis 8, which serves every command the cycle sends (Jedis logs that
   * it leaves RESP3 negotiation off).
   */
  private static Cycle springRedisJedis(Env env) {
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
   * Spring Session's {@code JdbcIndexedSessionRepository} as Spring Boot 3.5 configures it: a
   * {@code JdbcTemplate} and a {@code REQUIRES_NEW} transaction template over the pool, the schema
   * Spring Session ships for PostgreSQL (renamed into this run's namespace). Its expired-session
   * cleanup job is off: nothing expires within a run.
   */
  private static Cycle springJdbc(Env env) {
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
  private static Cycle springJdbcMySql(Env env) {
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
