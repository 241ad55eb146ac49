package io.sessionstate.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every option is checked when it is set, or at build, with a message naming it and the value.
 * Here: that each builder method reaches its option, and the rules of this store's own options and
 * of its database; the rules every JDBC store shares are checked once, in {@code
 * io.sessionstate.jdbc.JdbcOptionsTest}.
 */
class PostgresSessionStoreBuilderTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:1/none";
  // Given to builders only, never started, so it holds no thread.
  private static final ScheduledExecutorService SCHEDULER = new ScheduledThreadPoolExecutor(1);

  @Test
  void schema_withInjection_isRejected() {
    assertThatThrownBy(() -> PostgresSessionStore.builder().schema("s; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "schema must be a lowercase SQL identifier of at most 63 characters matching"
                + " [a-z_][a-z0-9_]*: \"s; DROP TABLE x\"");
  }

  @Test
  void overLongNames_areRejected_ratherThanTruncatedByTheServer() {
    assertThat(PostgresSessionStore.builder().table("t".repeat(48))).isNotNull();
    assertThat(PostgresSessionStore.builder().schema("s".repeat(63))).isNotNull();

    assertThatThrownBy(() -> PostgresSessionStore.builder().table("t".repeat(49)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "table must be a lowercase SQL identifier of at most 48 characters");
    assertThatThrownBy(() -> PostgresSessionStore.builder().schema("s".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "schema must be a lowercase SQL identifier of at most 63 characters");
  }

  @Test
  void jdbcUrl_ofAnotherDatabase_isRejectedWithoutEchoingIt() {
    assertThatThrownBy(
            () -> PostgresSessionStore.builder().jdbcUrl("jdbc:mysql://h/db?password=pw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jdbcUrl must start with \"jdbc:postgresql:\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"connectTimeout", "loginTimeout", "socketTimeout", "tcpKeepAlive"})
  void jdbcUrl_thatSetsATimeoutTheBuilderOwns_isRejected(String option) {
    String url = "jdbc:postgresql://127.0.0.1:5432/test?password=pw&" + option + "=0";

    assertThatThrownBy(() -> PostgresSessionStore.builder().jdbcUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jdbcUrl must not set "
                + option
                + ": the builder sets it (connectTimeout, socketTimeout, tcpKeepAlive)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://127.0.0.1:notaport/db?password=pw",
        "jdbc:postgresql://127.0.0.1:5432/db?password=%zz"
      })
  void jdbcUrl_thatTheDriverCannotParse_isRejectedWithoutEchoingIt(String url) {
    assertThatThrownBy(() -> PostgresSessionStore.builder().jdbcUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jdbcUrl is not a URL the PostgreSQL driver accepts, such as"
                + " jdbc:postgresql://host:5432/database");
  }

  /**
   * Every option, set to its default where it has one, and the message of a second call. Options
   * whose value may hold a secret or a URL (a data source's or a scheduler's toString()) are not
   * quoted back.
   */
  static Stream<Arguments> everyOption() {
    return Stream.of(
        when("dataSource was already set", b -> b.dataSource(dataSource())),
        when("jdbcUrl was already set", b -> b.jdbcUrl(URL + "?password=pw")),
        when("username was already set", b -> b.username("app")),
        when("password was already set", b -> b.password("s3cret")),
        when("maximumPoolSize was already set to 10", b -> b.maximumPoolSize(10)),
        when(
            "connectionTimeout was already set to PT5S",
            b -> b.connectionTimeout(Duration.ofSeconds(5))),
        when(
            "connectTimeout was already set to PT10S",
            b -> b.connectTimeout(Duration.ofSeconds(10))),
        when(
            "socketTimeout was already set to PT30S", b -> b.socketTimeout(Duration.ofSeconds(30))),
        when("tcpKeepAlive was already set to true", b -> b.tcpKeepAlive(true)),
        when("schema was already set to public", b -> b.schema("public")),
        when(
            "table was already set to sessionstate_sessions",
            b -> b.table("sessionstate_sessions")),
        when("createSchema was already set to false", b -> b.createSchema(false)),
        when("unlogged was already set to false", b -> b.unlogged(false)),
        when("sweeperEnabled was already set to true", b -> b.sweeperEnabled(true)),
        when("sweepInterval was already set to PT1M", b -> b.sweepInterval(Duration.ofMinutes(1))),
        when("sweepBatchSize was already set to 1000", b -> b.sweepBatchSize(1000)),
        when("sweeper was already set", b -> b.sweeper(SCHEDULER)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOption")
  void everyOption_setTwice_isRejected_namingTheValueItHas(
      String message, Consumer<PostgresSessionStore.Builder> set) {
    PostgresSessionStore.Builder builder = PostgresSessionStore.builder();
    set.accept(builder);

    assertThatThrownBy(() -> set.accept(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(message);
  }

  @Test
  void aRejectedValue_leavesTheOptionUnset() {
    PostgresSessionStore.Builder builder = PostgresSessionStore.builder().dataSource(dataSource());
    assertThatThrownBy(() -> builder.schema("Bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("schema must be a lowercase SQL identifier");
    assertThatThrownBy(() -> builder.table(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("table");

    PostgresSessionStore store = builder.schema("good").table("sessions").build();

    assertThat(store.schema()).isEqualTo("good");
    assertThat(store.table()).isEqualTo("sessions");
  }

  @Test
  void unsetOptions_takeTheirDefaults() {
    PostgresSessionStore store = PostgresSessionStore.builder().dataSource(dataSource()).build();

    assertThat(store.schema()).isEqualTo(PostgresSessionStore.DEFAULT_SCHEMA);
    assertThat(store.table()).isEqualTo(PostgresSessionStore.DEFAULT_TABLE);
    assertThat(store.unlogged()).isFalse();
  }

  @Test
  void build_writesNoDefaultBack_soAnUnsetOptionCanStillBeSet() {
    PostgresSessionStore.Builder builder = PostgresSessionStore.builder().dataSource(dataSource());
    PostgresSessionStore first = builder.build();

    PostgresSessionStore second = builder.table("later").unlogged(true).build();

    assertThat(first.table()).isEqualTo(PostgresSessionStore.DEFAULT_TABLE);
    assertThat(first.unlogged()).isFalse();
    assertThat(second.table()).isEqualTo("later");
    assertThat(second.unlogged()).isTrue();
  }

  static Stream<Arguments> nullArguments() {
    return Stream.of(
        when("dataSource", b -> b.dataSource(null)),
        when("jdbcUrl", b -> b.jdbcUrl(null)),
        when("username", b -> b.username(null)),
        when("password", b -> b.password(null)),
        when("connectionTimeout", b -> b.connectionTimeout(null)),
        when("connectTimeout", b -> b.connectTimeout(null)),
        when("socketTimeout", b -> b.socketTimeout(null)),
        when("schema", b -> b.schema(null)),
        when("table", b -> b.table(null)),
        when("sweepInterval", b -> b.sweepInterval(null)),
        when("sweeper", b -> b.sweeper(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nullArguments")
  void null_isRejected_namingTheOption(String option, Consumer<PostgresSessionStore.Builder> set) {
    assertThatThrownBy(() -> set.accept(PostgresSessionStore.builder()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(option);
  }

  @Test
  void driverTimeouts_areCheckedWhenSet() {
    assertThatThrownBy(() -> PostgresSessionStore.builder().socketTimeout(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("socketTimeout must be a whole number of seconds from 1 to 2147483: PT1.5S");
    assertThatThrownBy(() -> PostgresSessionStore.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout must be a whole number of seconds from 1 to 2147483: PT0S");
  }

  @Test
  void timeouts_thatTheDriverCannotHold_areRejected() {
    // The driver keeps them as an int of seconds, and the socket timeout as an int of ms: past
    // that it could not open a connection, and every operation would wait for one in vain.
    assertThat(PostgresSessionStore.builder().socketTimeout(Duration.ofSeconds(2_147_483)))
        .isNotNull();
    assertThat(PostgresSessionStore.builder().connectTimeout(Duration.ofSeconds(2_147_483)))
        .isNotNull();
    assertThatThrownBy(() -> PostgresSessionStore.builder().socketTimeout(Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("socketTimeout must be a whole number of seconds from 1 to 2147483: PT720H");
    assertThatThrownBy(
            () -> PostgresSessionStore.builder().connectTimeout(Duration.ofSeconds(3_000_000_000L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "connectTimeout must be a whole number of seconds from 1 to 2147483: PT833333H20M");
  }

  @Test
  void sweepBatchSize_isCheckedWhenSet_upToTheDialectsMost() {
    assertThatThrownBy(() -> PostgresSessionStore.builder().sweepBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweepBatchSize must be between 1 and 100000: 0");
    assertThatThrownBy(() -> PostgresSessionStore.builder().sweepBatchSize(100_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweepBatchSize must be between 1 and 100000: 100001");
  }

  @Test
  void sweepBatchSize_atItsBounds_isAccepted() {
    assertThat(PostgresSessionStore.builder().sweepBatchSize(1)).isNotNull();
    assertThat(PostgresSessionStore.builder().sweepBatchSize(100_000)).isNotNull();
  }

  @Test
  void build_opensNothing_andToStringHidesThePassword() throws IOException {
    // A server that would see any connection the build opened, or the pool opened behind it.
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(500);
      PostgresSessionStore store =
          PostgresSessionStore.builder()
              .jdbcUrl("jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/none")
              .username("app")
              .password("s3cret")
              .build();
      try {
        assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        assertThat(store.toString()).doesNotContain("s3cret").contains("sessionstate_sessions");
      } finally {
        store.close();
      }
    }
  }

  @Test
  void shippedSchemaScripts_areWhatTheStoreRuns_forTheDefaultNames() throws IOException {
    PostgresSessionStore store = PostgresSessionStore.builder().dataSource(dataSource()).build();

    assertThat(statementsOf("/META-INF/sessionstate/schema-postgresql.sql"))
        .isEqualTo(store.schemaSql());
    assertThat(statementsOf("/META-INF/sessionstate/drop-postgresql.sql"))
        .isEqualTo(store.dropSql());
  }

  @Test
  void unlogged_changesOnlyTheTableKind() {
    String logged = PostgresSessionStore.builder().dataSource(dataSource()).build().schemaSql();
    String unlogged =
        PostgresSessionStore.builder().dataSource(dataSource()).unlogged(true).build().schemaSql();

    assertThat(unlogged)
        .isEqualTo(logged.replace("CREATE TABLE", "CREATE UNLOGGED TABLE"))
        .startsWith("CREATE UNLOGGED TABLE IF NOT EXISTS \"public\".\"sessionstate_sessions\"");
  }

  /** The resource without its comment lines. */
  private static String statementsOf(String resource) throws IOException {
    try (InputStream in = PostgresSessionStore.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(line -> !line.startsWith("--") && !line.isBlank())
              .collect(Collectors.joining("\n"))
          + "\n";
    }
  }

  /** A case of a parameterized test: what it expects, and a call on a builder. */
  private static Arguments when(String expected, Consumer<PostgresSessionStore.Builder> call) {
    return arguments(expected, call);
  }

  /** A data source that is never asked for a connection: building a store opens none. */
  private static DataSource dataSource() {
    return new org.postgresql.ds.PGSimpleDataSource();
  }
}
