package io.sessionstate.postgresql;

import io.sessionstate.jdbc.Identifiers;
import io.sessionstate.jdbc.JdbcOptions;
import org.jspecify.annotations.Nullable;

/**
 * The options of a {@link PostgresSessionStore.Builder}: those every JDBC store has ({@link
 * #jdbc}), and the schema and the table's logging mode. Each may be set once and keeps its unset
 * sentinel until then; {@link #resolve()} puts the defaults in the {@link Settings} it returns,
 * never back into the options. Not thread-safe.
 */
final class StoreOptions {

  final JdbcOptions jdbc = new JdbcOptions(PostgresDialect.INSTANCE);
  private @Nullable String schema;
  private @Nullable Boolean unlogged;

  /**
   * Everything a store is made of, each option at its value or its default.
   *
   * @param jdbc the options every JDBC store has
   * @param schema the schema of the sessions table
   * @param unlogged whether the table is created {@code UNLOGGED}
   */
  record Settings(JdbcOptions.Settings jdbc, String schema, boolean unlogged) {}

  void schema(String value) {
    JdbcOptions.requireUnset(schema == null, "schema", schema);
    schema = Identifiers.require("schema", value, PostgresDialect.MAX_LENGTH);
  }

  void unlogged(boolean value) {
    JdbcOptions.requireUnset(unlogged == null, "unlogged", unlogged);
    unlogged = value;
  }

  /**
   * The settings of a store built now.
   *
   * @throws IllegalStateException if neither or both of {@code dataSource} and {@code jdbcUrl} are
   *     set, or a pool option is set with {@code dataSource}
   */
  Settings resolve() {
    return new Settings(
        jdbc.resolve(),
        JdbcOptions.or(schema, PostgresSessionStore.DEFAULT_SCHEMA),
        JdbcOptions.or(unlogged, Boolean.FALSE));
  }
}
