package io.sessionstate.spring.boot;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * The stores {@code sessionstate.store} can name, and each store's own properties ({@code
 * sessionstate.memory.*}, {@code sessionstate.redis.*}, {@code sessionstate.postgresql.*}), which
 * {@link SessionStateProperties} holds. Not thread-safe: Spring Boot binds them once at startup.
 */
public final class StoreProperties {

  private StoreProperties() {}

  /** The stores {@code sessionstate.store} can name. */
  public enum StoreType {
    /** The in-process memory store (session-store-memory). */
    MEMORY("memory", "session-store-memory", "io.sessionstate.memory.MemorySessionStore"),
    /** The Redis store (session-store-redis). */
    REDIS("redis", "session-store-redis", "io.sessionstate.redis.RedisSessionStore"),
    /** The PostgreSQL store (session-store-postgresql). */
    POSTGRESQL(
        "postgresql",
        "session-store-postgresql",
        "io.sessionstate.postgresql.PostgresSessionStore");

    private final String value;
    private final String artifactId;
    private final String storeClass;

    StoreType(String value, String artifactId, String storeClass) {
      this.value = value;
      this.artifactId = artifactId;
      this.storeClass = storeClass;
    }

    String value() {
      return value;
    }

    String artifactId() {
      return artifactId;
    }

    String storeClass() {
      return storeClass;
    }
  }

  /** The memory store. */
  public static class Memory {

    /** The most session data the store keeps before evicting. */
    private DataSize maximumSize = DataSize.ofMegabytes(128);

    /** Properties at their defaults, for Spring Boot to bind. */
    public Memory() {}

    /** {@return the value of {@code sessionstate.memory.maximum-size}} */
    public DataSize getMaximumSize() {
      return maximumSize;
    }

    /**
     * Sets {@code sessionstate.memory.maximum-size}.
     *
     * @param maximumSize the value
     */
    public void setMaximumSize(DataSize maximumSize) {
      this.maximumSize = maximumSize;
    }
  }

  /**
   * The Redis store. The connection comes from Spring Boot's Redis connection details
   * (spring.data.redis.*, or a service connection).
   */
  public static class Redis {

    /**
     * The prefix that keeps this application's sessions apart from others in the same Redis.
     * Default: spring.application.name, otherwise "sessionstate".
     */
    private @Nullable String applicationName;

    /** How long to keep retrying an operation that failed in a way that may pass. Default: 0. */
    private @Nullable Duration retryTimeout;

    /** Properties at their defaults, for Spring Boot to bind. */
    public Redis() {}

    /**
     * {@return the value of {@code sessionstate.redis.application-name}, or null when it is not
     * set}
     */
    public @Nullable String getApplicationName() {
      return applicationName;
    }

    /**
     * Sets {@code sessionstate.redis.application-name}.
     *
     * @param applicationName the value, or null for the default
     */
    public void setApplicationName(@Nullable String applicationName) {
      this.applicationName = applicationName;
    }

    /**
     * {@return the value of {@code sessionstate.redis.retry-timeout}, or null when it is not set}
     */
    public @Nullable Duration getRetryTimeout() {
      return retryTimeout;
    }

    /**
     * Sets {@code sessionstate.redis.retry-timeout}.
     *
     * @param retryTimeout the value, or null for the default
     */
    public void setRetryTimeout(@Nullable Duration retryTimeout) {
      this.retryTimeout = retryTimeout;
    }
  }

  /** The PostgreSQL store, over the application's DataSource. */
  public static class Postgresql {

    /** The schema of the sessions table. */
    private String schema = "public";

    /** The sessions table. */
    private String table = "sessionstate_sessions";

    /**
     * When the table is created at startup: embedded (only in an embedded database, which
     * PostgreSQL never is), always (if it does not exist), or never.
     */
    private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

    /** Whether a created table is UNLOGGED (faster, emptied by a crash). */
    private boolean unlogged;

    /** Properties at their defaults, for Spring Boot to bind. */
    public Postgresql() {}

    /** {@return the value of {@code sessionstate.postgresql.schema}} */
    public String getSchema() {
      return schema;
    }

    /**
     * Sets {@code sessionstate.postgresql.schema}.
     *
     * @param schema the value
     */
    public void setSchema(String schema) {
      this.schema = schema;
    }

    /** {@return the value of {@code sessionstate.postgresql.table}} */
    public String getTable() {
      return table;
    }

    /**
     * Sets {@code sessionstate.postgresql.table}.
     *
     * @param table the value
     */
    public void setTable(String table) {
      this.table = table;
    }

    /** {@return the value of {@code sessionstate.postgresql.initialize-schema}} */
    public SchemaInitialization getInitializeSchema() {
      return initializeSchema;
    }

    /**
     * Sets {@code sessionstate.postgresql.initialize-schema}.
     *
     * @param initializeSchema the value
     */
    public void setInitializeSchema(SchemaInitialization initializeSchema) {
      this.initializeSchema = initializeSchema;
    }

    /** {@return the value of {@code sessionstate.postgresql.unlogged}} */
    public boolean isUnlogged() {
      return unlogged;
    }

    /**
     * Sets {@code sessionstate.postgresql.unlogged}.
     *
     * @param unlogged the value
     */
    public void setUnlogged(boolean unlogged) {
      this.unlogged = unlogged;
    }
  }

  /** When a store's schema is created at startup, as Spring Boot's own initializers do. */
  public enum SchemaInitialization {
    /** Only in an embedded database. */
    EMBEDDED,
    /** Always (a table that exists is kept). */
    ALWAYS,
    /** Never: the schema comes from the application's migrations. */
    NEVER
  }
}
