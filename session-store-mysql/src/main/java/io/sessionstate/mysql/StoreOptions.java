package io.sessionstate.mysql;

import io.sessionstate.jdbc.Identifiers;
import io.sessionstate.jdbc.JdbcOptions;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The options of a {@link MySqlSessionStore.Builder}: those every JDBC store has ({@link #jdbc}),
 * and the database and the slide's throttle. Each may be set once and keeps its unset sentinel
 * until then; {@link #resolve()} puts the defaults in the {@link Settings} it returns, never back
 * into the options. Not thread-safe.
 */
final class StoreOptions {

  final JdbcOptions jdbc = new JdbcOptions(MySqlDialect.INSTANCE);
  private @Nullable String database;
  private @Nullable Duration slideThrottle;

  /**
   * Everything a store is made of, each option at its value or its default.
   *
   * @param jdbc the options every JDBC store has
   * @param database the database of the sessions table, or null for the connection's own
   * @param slideThrottle the slide's margin, or null for a twentieth of each TTL
   */
  record Settings(
      JdbcOptions.Settings jdbc, @Nullable String database, @Nullable Duration slideThrottle) {}

  void database(String value) {
    JdbcOptions.requireUnset(database == null, "database", database);
    database = Identifiers.require("database", value, MySqlDialect.MAX_LENGTH);
  }

  void slideThrottle(Duration value) {
    JdbcOptions.requireUnset(slideThrottle == null, "slideThrottle", slideThrottle);
    slideThrottle = SessionTable.requireSlideThrottle(value);
  }

  /**
   * The settings of a store built now.
   *
   * @throws IllegalStateException if neither or both of {@code dataSource} and {@code jdbcUrl} are
   *     set, or a pool option is set with {@code dataSource}
   */
  Settings resolve() {
    return new Settings(jdbc.resolve(), database, slideThrottle);
  }
}
