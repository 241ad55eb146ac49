package io.sessionstate.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.sessionstate.CommitMode;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.mysql.MySqlSessionStore;
import io.sessionstate.postgresql.PostgresSessionStore;
import io.sessionstate.redis.RedisSessionStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
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
  SPRING_MAP("spring-map", Backend.MEMORY, Kind.SPRING, null, SpringPeers::springMap),

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
      "spring-redis-lettuce", Backend.REDIS, Kind.SPRING, null, SpringPeers::springRedisLettuce),
  SPRING_REDIS_JEDIS(
      "spring-redis-jedis", Backend.REDIS, Kind.SPRING, null, SpringPeers::springRedisJedis),

  SESSIONSTATE_POSTGRES(
      "sessionstate-postgres",
      Backend.POSTGRES,
      Kind.SESSIONSTATE,
      "raw-jdbc-logged",
      env -> sessionstatePostgres(env, false, CommitMode.COHERENT)),
  SESSIONSTATE_POSTGRES_UNLOGGED(
      "sessionstate-postgres-unlogged",
      Backend.POSTGRES,
      Kind.SESSIONSTATE,
      "raw-jdbc-unlogged",
      env -> sessionstatePostgres(env, true, CommitMode.COHERENT)),
  // Round trips only (see countedOnly): the other commit modes, conditional saves on the server.
  SESSIONSTATE_POSTGRES_MERGE(
      "sessionstate-postgres-merge",
      Backend.POSTGRES,
      Kind.SESSIONSTATE,
      "raw-jdbc-logged",
      env -> sessionstatePostgres(env, false, CommitMode.MERGE)),
  SESSIONSTATE_POSTGRES_STRICT(
      "sessionstate-postgres-strict",
      Backend.POSTGRES,
      Kind.SESSIONSTATE,
      "raw-jdbc-logged",
      env -> sessionstatePostgres(env, false, CommitMode.STRICT)),
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
  SPRING_JDBC("spring-jdbc", Backend.POSTGRES, Kind.SPRING, null, SpringPeers::springJdbc),

  SESSIONSTATE_MYSQL(
      "sessionstate-mysql",
      Backend.MYSQL,
      Kind.SESSIONSTATE,
      "raw-jdbc-mysql",
      env -> sessionstateMySql(env, CommitMode.COHERENT)),
  SESSIONSTATE_MYSQL_MERGE(
      "sessionstate-mysql-merge",
      Backend.MYSQL,
      Kind.SESSIONSTATE,
      "raw-jdbc-mysql",
      env -> sessionstateMySql(env, CommitMode.MERGE)),
  SESSIONSTATE_MYSQL_STRICT(
      "sessionstate-mysql-strict",
      Backend.MYSQL,
      Kind.SESSIONSTATE,
      "raw-jdbc-mysql",
      env -> sessionstateMySql(env, CommitMode.STRICT)),
  RAW_JDBC_MYSQL("raw-jdbc-mysql", Backend.MYSQL, Kind.RAW, null, MySqlJdbcCycle::new),
  SPRING_JDBC_MYSQL(
      "spring-jdbc-mysql", Backend.MYSQL, Kind.SPRING, null, SpringPeers::springJdbcMySql);

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

  /**
   * Implementations whose round trips are counted but that are not timed: the JDBC stores in the
   * commit modes other than the default, which send the same number of statements (the Redis store
   * is timed in every mode).
   */
  boolean countedOnly() {
    return this == SESSIONSTATE_POSTGRES_MERGE
        || this == SESSIONSTATE_POSTGRES_STRICT
        || this == SESSIONSTATE_MYSQL_MERGE
        || this == SESSIONSTATE_MYSQL_STRICT;
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

  private static Cycle sessionstateRedis(Env env, CommitMode mode) {
    String application = env.namespace() + "-ss-" + mode.name().toLowerCase(Locale.ROOT);
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
  private static Cycle sessionstatePostgres(Env env, boolean unlogged, CommitMode mode) {
    HikariDataSource pool = env.newPool("sessionstate");
    String table =
        env.namespace()
            + "_ss_"
            + (unlogged ? "unlogged" : "logged")
            + (mode == CommitMode.COHERENT ? "" : "_" + mode.name().toLowerCase(Locale.ROOT));
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
        mode,
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
  private static Cycle sessionstateMySql(Env env, CommitMode mode) {
    HikariDataSource pool = env.newMySqlPool("sessionstate-mysql");
    String table =
        env.namespace()
            + "_ss_mysql"
            + (mode == CommitMode.COHERENT ? "" : "_" + mode.name().toLowerCase(Locale.ROOT));
    MySqlSessionStore store =
        MySqlSessionStore.builder()
            .dataSource(env.counted(pool))
            .table(table)
            .createSchema(true)
            .build();
    return new SessionstateCycle(
        store,
        mode,
        () -> Env.execute(pool, "TRUNCATE TABLE " + table),
        () -> {
          try {
            Env.execute(pool, "DROP TABLE IF EXISTS " + table);
          } finally {
            pool.close();
          }
        });
  }
}
