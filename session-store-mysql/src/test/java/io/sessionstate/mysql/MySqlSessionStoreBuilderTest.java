package io.sessionstate.mysql;

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
class MySqlSessionStoreBuilderTest {
  private static final String URL = "jdbc:mariadb://127.0.0.1:1/none";
  // Given to builders only, never started, so it holds no thread.
  private static final ScheduledExecutorService SCHEDULER = new ScheduledThreadPoolExecutor(1);

  @Test
  void database_withInjection_isRejected() {
    assertThatThrownBy(() -> MySqlSessionStore.builder().database("s; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "database must be a lowercase SQL identifier of at most 64 characters matching"
                + " [a-z_][a-z0-9_]*: \"s; DROP TABLE x\"");
  }

  @Test
  void overLongNames_areRejected_ratherThanTruncatedByTheServer() {
    assertThat(MySqlSessionStore.builder().table("t".repeat(49))).isNotNull();
    assertThat(MySqlSessionStore.builder().database("s".repeat(64))).isNotNull();

    assertThatThrownBy(() -> MySqlSessionStore.builder().table("t".repeat(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "table must be a lowercase SQL identifier of at most 49 characters");
    assertThatThrownBy(() -> MySqlSessionStore.builder().database("s".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "database must be a lowercase SQL identifier of at most 64 characters");
  }

  @Test
  void jdbcUrl_ofAnotherDatabase_isRejectedWithoutEchoingIt() {
    assertThatThrownBy(() -> MySqlSessionStore.builder().jdbcUrl("jdbc:mysql://h/db?password=pw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jdbcUrl must start with \"jdbc:mariadb:\" (MariaDB Connector/J's scheme, for MySQL"
                + " servers too)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"connectTimeout", "socketTimeout", "tcpKeepAlive", "SOCKETTIMEOUT"})
  void jdbcUrl_thatSetsATimeoutTheBuilderOwns_isRejected(String option) {
    String url = "jdbc:mariadb://127.0.0.1:3306/test?password=pw&" + option + "=0";

    assertThatThrownBy(() -> MySqlSessionStore.builder().jdbcUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jdbcUrl must not set "
                + option
                + ": the builder sets it (connectTimeout, socketTimeout, tcpKeepAlive)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:mariadb://127.0.0.1:notaport/db?password=pw",
        "jdbc:mariadb://127.0.0.1:3306/db?password=pw&sslMode=sometimes"
      })
  void jdbcUrl_thatTheDriverCannotParse_isRejectedWithoutEchoingIt(String url) {
    assertThatThrownBy(() -> MySqlSessionStore.builder().jdbcUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jdbcUrl is not a URL MariaDB Connector/J accepts, such as"
                + " jdbc:mariadb://host:3306/database");
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
        when("database was already set to app", b -> b.database("app")),
        when(
            "table was already set to sessionstate_sessions",
            b -> b.table("sessionstate_sessions")),
        when("createSchema was already set to false", b -> b.createSchema(false)),
        when("slideThrottle was already set to PT1S", b -> b.slideThrottle(Duration.ofSeconds(1))),
        when("sweeperEnabled was already set to true", b -> b.sweeperEnabled(true)),
        when("sweepInterval was already set to PT1M", b -> b.sweepInterval(Duration.ofMinutes(1))),
        when("sweepBatchSize was already set to 500", b -> b.sweepBatchSize(500)),
        when("sweeper was already set", b -> b.sweeper(SCHEDULER)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOption")
  void everyOption_setTwice_isRejected_namingTheValueItHas(
      String message, Consumer<MySqlSessionStore.Builder> set) {
    MySqlSessionStore.Builder builder = MySqlSessionStore.builder();
    set.accept(builder);

    assertThatThrownBy(() -> set.accept(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(message);
  }

  @Test
  void aRejectedValue_leavesTheOptionUnset() {
    MySqlSessionStore.Builder builder = MySqlSessionStore.builder().dataSource(dataSource());
    assertThatThrownBy(() -> builder.database("Bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("database must be a lowercase SQL identifier");
    assertThatThrownBy(() -> builder.table(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("table");

    MySqlSessionStore store = builder.database("good").table("sessions").build();

    assertThat(store.database()).hasValue("good");
    assertThat(store.table()).isEqualTo("sessions");
  }

  @Test
  void unsetOptions_takeTheirDefaults() {
    MySqlSessionStore store = MySqlSessionStore.builder().dataSource(dataSource()).build();

    assertThat(store.database()).isEmpty();
    assertThat(store.table()).isEqualTo(MySqlSessionStore.DEFAULT_TABLE);
    assertThat(store.schemaSql()).startsWith("CREATE TABLE IF NOT EXISTS `sessionstate_sessions`");
  }

  @Test
  void build_writesNoDefaultBack_soAnUnsetOptionCanStillBeSet() {
    MySqlSessionStore.Builder builder = MySqlSessionStore.builder().dataSource(dataSource());
    MySqlSessionStore first = builder.build();

    MySqlSessionStore second = builder.table("later").database("app").build();

    assertThat(first.table()).isEqualTo(MySqlSessionStore.DEFAULT_TABLE);
    assertThat(first.database()).isEmpty();
    assertThat(second.table()).isEqualTo("later");
    assertThat(second.schemaSql()).startsWith("CREATE TABLE IF NOT EXISTS `app`.`later`");
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
        when("database", b -> b.database(null)),
        when("slideThrottle", b -> b.slideThrottle(null)),
        when("table", b -> b.table(null)),
        when("sweepInterval", b -> b.sweepInterval(null)),
        when("sweeper", b -> b.sweeper(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nullArguments")
  void null_isRejected_namingTheOption(String option, Consumer<MySqlSessionStore.Builder> set) {
    assertThatThrownBy(() -> set.accept(MySqlSessionStore.builder()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(option);
  }

  @Test
  void driverTimeouts_areCheckedWhenSet() {
    assertThatThrownBy(() -> MySqlSessionStore.builder().socketTimeout(Duration.ofNanos(1_500_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "socketTimeout must be a whole number of milliseconds from 1 to 2147483647: PT0.0015S");
    assertThatThrownBy(() -> MySqlSessionStore.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "connectTimeout must be a whole number of milliseconds from 1 to 2147483647: PT0S");
  }

  @Test
  void timeouts_thatTheDriverCannotHold_areRejected() {
    // The driver keeps them as an int of milliseconds: past that it could not open a connection,
    // and every operation would wait for one in vain.
    assertThat(MySqlSessionStore.builder().socketTimeout(Duration.ofMillis(Integer.MAX_VALUE)))
        .isNotNull();
    assertThat(MySqlSessionStore.builder().connectTimeout(Duration.ofMillis(1))).isNotNull();
    assertThatThrownBy(() -> MySqlSessionStore.builder().socketTimeout(Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "socketTimeout must be a whole number of milliseconds from 1 to 2147483647: PT720H");
  }

  @Test
  void slideThrottle_isCheckedWhenSet() {
    assertThat(MySqlSessionStore.builder().slideThrottle(Duration.ZERO)).isNotNull();
    assertThat(MySqlSessionStore.builder().slideThrottle(Duration.ofHours(1))).isNotNull();
    assertThatThrownBy(() -> MySqlSessionStore.builder().slideThrottle(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slideThrottle must be from zero to 1 hour: PT-0.001S");
    assertThatThrownBy(() -> MySqlSessionStore.builder().slideThrottle(Duration.ofMinutes(61)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slideThrottle must be from zero to 1 hour: PT1H1M");
  }

  @Test
  void sweepBatchSize_isCheckedWhenSet_upToTheDialectsMost() {
    assertThatThrownBy(() -> MySqlSessionStore.builder().sweepBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweepBatchSize must be between 1 and 10000: 0");
    assertThatThrownBy(() -> MySqlSessionStore.builder().sweepBatchSize(10_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweepBatchSize must be between 1 and 10000: 10001");
  }

  @Test
  void sweepBatchSize_atItsBounds_isAccepted() {
    assertThat(MySqlSessionStore.builder().sweepBatchSize(1)).isNotNull();
    assertThat(MySqlSessionStore.builder().sweepBatchSize(10_000)).isNotNull();
  }

  @Test
  void build_opensNothing_andToStringHidesThePassword() throws IOException {
    // A server that would see any connection the build opened, or the pool opened behind it.
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(500);
      MySqlSessionStore store =
          MySqlSessionStore.builder()
              .jdbcUrl("jdbc:mariadb://127.0.0.1:" + server.getLocalPort() + "/none")
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
    MySqlSessionStore store = MySqlSessionStore.builder().dataSource(dataSource()).build();

    assertThat(statementsOf("/META-INF/sessionstate/schema-mysql.sql"))
        .isEqualTo(store.schemaSql());
    assertThat(statementsOf("/META-INF/sessionstate/drop-mysql.sql")).isEqualTo(store.dropSql());
  }

  /** The resource without its comment lines and its final semicolon. */
  private static String statementsOf(String resource) throws IOException {
    try (InputStream in = MySqlSessionStore.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.startsWith("--") && !line.isBlank())
          .collect(Collectors.joining("\n"))
          .replaceFirst(";$", "");
    }
  }

  /** A case of a parameterized test: what it expects, and a call on a builder. */
  private static Arguments when(String expected, Consumer<MySqlSessionStore.Builder> call) {
    return arguments(expected, call);
  }

  /** A data source that is never asked for a connection: building a store opens none. */
  private static DataSource dataSource() {
    return new org.mariadb.jdbc.MariaDbDataSource();
  }
}
