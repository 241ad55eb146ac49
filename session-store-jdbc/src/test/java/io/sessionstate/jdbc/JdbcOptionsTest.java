package io.sessionstate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The options both JDBC stores' builders share, checked once here with a test dialect: the rule for
 * names, how the options must fit together at build, and the checks of the options whose rules do
 * not depend on the database. Each store's builder test checks that every builder method reaches
 * its option (a second call names it) and the rules its dialect sets.
 */
class JdbcOptionsTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:1/none";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s; DROP TABLE x",
        "\"sessions\"",
        "Sessions",
        "sessions-2",
        "1sessions",
        "",
        "séance",
        "a.b"
      })
  void table_thatIsNotAPlainIdentifier_isRejected(String name) {
    // The test dialect keeps names of up to 30 characters, so tables of up to 15.
    assertThatThrownBy(() -> options().table(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "table must be a lowercase SQL identifier of at most 15 characters matching"
                + " [a-z_][a-z0-9_]*: \""
                + name
                + "\"");
  }

  @Test
  void table_leavesRoomForTheIndexName() {
    assertThat(Identifiers.maxTableLength(63)).isEqualTo(48);
    options().table("t".repeat(15));
    assertThatThrownBy(() -> options().table("t".repeat(16)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "table must be a lowercase SQL identifier of at most 15 characters");
  }

  @Test
  void controlCharacters_inARejectedName_areEscapedInTheMessage() {
    assertThatThrownBy(() -> options().table("a\nWARN forged"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(": \"a\\u000aWARN forged\"");
  }

  @Test
  void nullNames_areRejected() {
    assertThatThrownBy(() -> options().table(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("table");
  }

  @Test
  void resolve_withoutAConnection_fails() {
    assertThatThrownBy(() -> options().resolve())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("either dataSource or jdbcUrl must be set");
  }

  @Test
  void resolve_withBothDataSourceAndUrl_fails() {
    JdbcOptions options = options();
    options.dataSource(dataSource());
    options.jdbcUrl(URL);

    assertThatThrownBy(options::resolve)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("dataSource and jdbcUrl exclude each other: set one");
  }

  /** Each pool option, set to its default where it has one: set is set, whatever the value. */
  static Stream<Arguments> poolOptionsAtTheirDefaults() {
    return Stream.of(
        when("username", o -> o.username("postgres")),
        when("password", o -> o.password("")),
        when("maximumPoolSize", o -> o.maximumPoolSize(10)),
        when("connectionTimeout", o -> o.connectionTimeout(Duration.ofSeconds(5))),
        when("connectTimeout", o -> o.connectTimeout(Duration.ofSeconds(10))),
        when("socketTimeout", o -> o.socketTimeout(Duration.ofSeconds(30))),
        when("tcpKeepAlive", o -> o.tcpKeepAlive(true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poolOptionsAtTheirDefaults")
  void poolOption_withADataSource_fails_evenAtItsDefault(String option, Consumer<JdbcOptions> set) {
    JdbcOptions options = options();
    options.dataSource(dataSource());
    set.accept(options);

    assertThatThrownBy(options::resolve)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            option
                + " applies only to the store's own pool (jdbcUrl), not to a dataSource:"
                + " configure the data source itself");
  }

  @Test
  void poolOptions_withADataSource_theFirstInTheBuildersOrderIsNamed() {
    JdbcOptions options = options();
    options.tcpKeepAlive(false);
    options.maximumPoolSize(3);
    options.dataSource(dataSource());

    assertThatThrownBy(options::resolve)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("maximumPoolSize applies only to the store's own pool");
  }

  @Test
  void aSecondValue_isRejected_andTheFirstStays() {
    JdbcOptions options = options();
    options.dataSource(dataSource());
    options.table("first");

    assertThatThrownBy(() -> options.table("second"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("table was already set to first");
    assertThat(options.resolve().table()).isEqualTo("first");
  }

  @Test
  void resolve_afterAFailedResolve_succeedsOnceTheOptionsFit() {
    JdbcOptions options = options();
    assertThatThrownBy(options::resolve)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("either dataSource or jdbcUrl must be set");

    options.jdbcUrl(URL);

    assertThat(options.resolve().pool()).isNotNull();
  }

  @Test
  void unsetOptions_takeTheirDefaults_andResolveWritesNoneBack() {
    JdbcOptions options = options();
    options.jdbcUrl(URL);

    JdbcOptions.Settings first = options.resolve();

    assertThat(first.table()).isEqualTo(JdbcOptions.DEFAULT_TABLE);
    assertThat(first.createSchema()).isFalse();
    assertThat(first.sweeperEnabled()).isTrue();
    assertThat(first.sweepInterval()).isEqualTo(JdbcOptions.DEFAULT_SWEEP_INTERVAL);
    assertThat(first.sweepBatchSize()).isEqualTo(TestDialect.INSTANCE.defaultSweepBatchSize());
    assertThat(first.scheduler()).isNull();
    assertThat(first.dataSource()).isNull();
    assertThat(first.pool())
        .isEqualTo(
            new OwnedPool.Options(
                URL,
                null,
                null,
                JdbcOptions.DEFAULT_MAXIMUM_POOL_SIZE,
                JdbcOptions.DEFAULT_CONNECTION_TIMEOUT,
                JdbcOptions.DEFAULT_CONNECT_TIMEOUT,
                JdbcOptions.DEFAULT_SOCKET_TIMEOUT,
                true));
    options.table("later");
    options.sweepBatchSize(7);
    assertThat(options.resolve().table()).isEqualTo("later");
    assertThat(options.resolve().sweepBatchSize()).isEqualTo(7);
  }

  @Test
  void poolSizeAndConnectionWait_areCheckedWhenSet() {
    assertThatThrownBy(() -> options().connectionTimeout(Duration.ofMillis(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectionTimeout must be at least 250 ms: PT0.1S");
    assertThatThrownBy(() -> options().maximumPoolSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumPoolSize must be at least 1: 0");
    options().connectionTimeout(Duration.ofMillis(250));
    options().maximumPoolSize(1);
  }

  @Test
  void sweepInterval_isCheckedWhenSet() {
    assertThatThrownBy(() -> options().sweepInterval(Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweepInterval must be positive and at most 365 days: PT-5S");
    // Longer than the scheduler's nanoseconds could hold: it failed in start(), not here.
    assertThatThrownBy(() -> options().sweepInterval(Duration.ofDays(365L * 300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweepInterval must be positive and at most 365 days: PT2628000H");
    assertThatThrownBy(() -> options().sweepInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweepInterval must be positive and at most 365 days: PT0S");
  }

  @Test
  void sweepInterval_atItsBounds_isAccepted() {
    options().sweepInterval(Duration.ofDays(365));
    options().sweepInterval(Duration.ofNanos(1));
  }

  @Test
  void sweepBatchSize_isBoundedByTheDialect() {
    options().sweepBatchSize(50);
    assertThatThrownBy(() -> options().sweepBatchSize(51))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweepBatchSize must be between 1 and 50: 51");
  }

  @Test
  void storeOptions_setTwice_areRejected_namingTheValueTheyHave() {
    JdbcOptions.requireUnset(true, "schema", null);
    assertThatThrownBy(() -> JdbcOptions.requireUnset(false, "schema", "public"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("schema was already set to public");
  }

  private static JdbcOptions options() {
    return new JdbcOptions(TestDialect.INSTANCE);
  }

  /** A case of a parameterized test: what it expects, and a call on the options. */
  private static Arguments when(String expected, Consumer<JdbcOptions> call) {
    return arguments(expected, call);
  }

  /** A data source that is never asked for a connection: resolving opens none. */
  private static DataSource dataSource() {
    return new org.postgresql.ds.PGSimpleDataSource();
  }
}
