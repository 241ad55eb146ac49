package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;

class RedisSessionStoreBuilderTest {
  private static final Set<HostAndPort> NODES = Set.of(new HostAndPort("127.0.0.1", 1));

  @Test
  void applicationName_withBrace_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().applicationName("a{b"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "applicationName must not contain braces, whitespace or control characters: \"a{b\"");
  }

  @Test
  void applicationName_withControlCharacter_isRejectedAndEscaped() {
    assertThatThrownBy(() -> RedisSessionStore.builder().applicationName("a\nb"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "applicationName must not contain braces, whitespace or control characters:"
                + " \"a\\u000ab\"");
  }

  @Test
  void applicationName_empty_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().applicationName(""))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("applicationName must not be empty");
  }

  @Test
  void applicationName_tooLong_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().applicationName("a".repeat(129)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("applicationName must be at most 128 characters: 129 characters");
  }

  @Test
  void operationTimeout_zero_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().operationTimeout(Duration.ZERO))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("operationTimeout must be positive: PT0S");
  }

  @Test
  void retryTimeout_negative_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().retryTimeout(Duration.ofSeconds(-1)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryTimeout must not be negative: PT-1S");
  }

  @Test
  void port_outOfRange_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().port(70000))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 1 and 65535: 70000");
  }

  @Test
  void uri_withOtherScheme_isRejectedWithoutItsPassword() {
    assertThatThrownBy(() -> RedisSessionStore.builder().uri("http://u:secret@127.0.0.1"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("uri must start with redis:// or rediss://: http://***@127.0.0.1");
  }

  @Test
  void uri_malformed_isRejectedWithoutItsPassword_inTheMessageOrItsCauses() {
    for (String uri :
        List.of(
            "redis:/u:secret@127.0.0.1",
            "redis//u:secret@127.0.0.1",
            "redis://u:sec ret@127.0.0.1",
            "redis://u:secret@127.0.0.1/x")) {
      assertThatThrownBy(() -> RedisSessionStore.builder().uri(uri))
          .as(uri)
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .satisfies(
              e -> {
                for (Throwable t = e; t != null; t = t.getCause()) {
                  assertThat(String.valueOf(t.getMessage()))
                      .as(uri)
                      .doesNotContain("secret", "sec ret");
                }
              });
    }
  }

  private static Arguments rejected(
      String name,
      Consumer<RedisSessionStore.Builder> setup,
      Class<? extends Throwable> type,
      String message) {
    return Arguments.of(name, setup, type, message);
  }

  static Stream<Arguments> badArguments() {
    Set<HostAndPort> withNull = new HashSet<>();
    withNull.add(null);
    return Stream.of(
        rejected("client null", b -> b.client(null), NullPointerException.class, "client"),
        rejected("host null", b -> b.host(null), NullPointerException.class, "host"),
        rejected(
            "host blank",
            b -> b.host(" "),
            IllegalArgumentException.class,
            "host must not be blank: \" \""),
        rejected(
            "port 0",
            b -> b.port(0),
            IllegalArgumentException.class,
            "port must be between 1 and 65535: 0"),
        rejected("uri null", b -> b.uri(null), NullPointerException.class, "uri"),
        rejected(
            "uri without host",
            b -> b.uri("redis:///0"),
            IllegalArgumentException.class,
            "uri must name a host: redis:///0"),
        rejected(
            "uri with a space in its password",
            b -> b.uri("redis://u:sec ret@127.0.0.1"),
            IllegalArgumentException.class,
            "uri is not a valid URI (Illegal character in authority): redis://***@127.0.0.1"),
        rejected(
            "uri with a path that is no number",
            b -> b.uri("redis://u:secret@127.0.0.1/x"),
            IllegalArgumentException.class,
            "uri must end with a database number: redis://***@127.0.0.1/x"),
        rejected(
            "uri with a negative database",
            b -> b.uri("redis://127.0.0.1/-1"),
            IllegalArgumentException.class,
            "database must not be negative: -1"),
        rejected(
            "uri with a port out of range",
            b -> b.uri("redis://127.0.0.1:70000"),
            IllegalArgumentException.class,
            "port must be between 1 and 65535: 70000"),
        rejected("user null", b -> b.user(null, "p"), NullPointerException.class, "user"),
        rejected(
            "user's password null", b -> b.user("u", null), NullPointerException.class, "password"),
        rejected(
            "user empty",
            b -> b.user("", "p"),
            IllegalArgumentException.class,
            "user must not be empty"),
        rejected("accessKey null", b -> b.accessKey(null), NullPointerException.class, "accessKey"),
        rejected(
            "accessKey empty",
            b -> b.accessKey(""),
            IllegalArgumentException.class,
            "accessKey must not be empty"),
        rejected(
            "sslSocketFactory null",
            b -> b.sslSocketFactory(null),
            NullPointerException.class,
            "sslSocketFactory"),
        rejected(
            "database negative",
            b -> b.database(-1),
            IllegalArgumentException.class,
            "database must not be negative: -1"),
        rejected(
            "applicationName null",
            b -> b.applicationName(null),
            NullPointerException.class,
            "applicationName"),
        rejected(
            "connectTimeout null",
            b -> b.connectTimeout(null),
            NullPointerException.class,
            "connectTimeout"),
        rejected(
            "connectTimeout negative",
            b -> b.connectTimeout(Duration.ofSeconds(-1)),
            IllegalArgumentException.class,
            "connectTimeout must be positive: PT-1S"),
        rejected(
            "connectTimeout under a millisecond",
            b -> b.connectTimeout(Duration.ofNanos(1000)),
            IllegalArgumentException.class,
            "connectTimeout must be at least 1 millisecond: PT0.000001S"),
        rejected(
            "connectTimeout over Integer.MAX_VALUE ms",
            b -> b.connectTimeout(Duration.ofMillis(Integer.MAX_VALUE + 1L)),
            IllegalArgumentException.class,
            "connectTimeout must be at most PT596H31M23.647S: PT596H31M23.648S"),
        rejected(
            "operationTimeout null",
            b -> b.operationTimeout(null),
            NullPointerException.class,
            "operationTimeout"),
        rejected(
            "operationTimeout under a millisecond",
            b -> b.operationTimeout(Duration.ofNanos(999_999)),
            IllegalArgumentException.class,
            "operationTimeout must be at least 1 millisecond: PT0.000999999S"),
        rejected(
            "operationTimeout over Integer.MAX_VALUE ms",
            b -> b.operationTimeout(Duration.ofDays(30)),
            IllegalArgumentException.class,
            "operationTimeout must be at most PT596H31M23.647S: PT720H"),
        rejected(
            "retryTimeout null",
            b -> b.retryTimeout(null),
            NullPointerException.class,
            "retryTimeout"),
        rejected(
            "maxConnections 0",
            b -> b.maxConnections(0),
            IllegalArgumentException.class,
            "maxConnections must be positive: 0"),
        rejected(
            "sentinel masterName null",
            b -> b.sentinel(null, NODES),
            NullPointerException.class,
            "masterName"),
        rejected(
            "sentinel nodes null",
            b -> b.sentinel("m", null),
            NullPointerException.class,
            "sentinels"),
        rejected(
            "sentinel masterName blank",
            b -> b.sentinel(" ", NODES),
            IllegalArgumentException.class,
            "masterName must not be blank: \" \""),
        rejected(
            "sentinel nodes empty",
            b -> b.sentinel("m", Set.of()),
            IllegalArgumentException.class,
            "sentinels must name at least one node"),
        rejected(
            "sentinel nodes with null",
            b -> b.sentinel("m", withNull),
            NullPointerException.class,
            "sentinels must not contain null"),
        rejected("cluster null", b -> b.cluster(null), NullPointerException.class, "nodes"),
        rejected(
            "cluster empty",
            b -> b.cluster(Set.of()),
            IllegalArgumentException.class,
            "cluster nodes must name at least one node"),
        rejected(
            "cluster with null",
            b -> b.cluster(withNull),
            NullPointerException.class,
            "cluster nodes must not contain null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void setter_badArgument_isRejectedNamingTheOptionAndValue(
      String name,
      Consumer<RedisSessionStore.Builder> setup,
      Class<? extends Throwable> type,
      String message) {
    assertThatThrownBy(() -> setup.accept(RedisSessionStore.builder()))
        .isExactlyInstanceOf(type)
        .hasMessage(message);
  }

  static Stream<Arguments> setTwice() {
    SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
    return Stream.of(
        rejected(
            "host",
            b -> b.host("a").host("b"),
            IllegalStateException.class,
            "host was already set to a"),
        rejected(
            "port",
            b -> b.port(1).port(2),
            IllegalStateException.class,
            "port was already set to 1"),
        rejected(
            "uri",
            b -> b.uri("redis://u:secret@a").uri("redis://b"),
            IllegalStateException.class,
            "uri was already set to redis://***@a"),
        rejected(
            "host after uri",
            b -> b.uri("redis://a").host("b"),
            IllegalStateException.class,
            "host was already set to a by uri"),
        rejected(
            "uri after host",
            b -> b.host("a").uri("redis://b"),
            IllegalStateException.class,
            "host was already set to a"),
        rejected(
            "port after a uri that names one",
            b -> b.uri("redis://a:6380").port(1),
            IllegalStateException.class,
            "port was already set to 6380 by uri"),
        rejected(
            "a uri that names a port after port",
            b -> b.port(1).uri("redis://a:6380"),
            IllegalStateException.class,
            "port was already set to 1"),
        rejected(
            "ssl after a redis:// uri",
            b -> b.uri("redis://a").ssl(true),
            IllegalStateException.class,
            "ssl was already set to false by uri"),
        rejected(
            "a redis:// uri after ssl",
            b -> b.ssl(true).uri("redis://a"),
            IllegalStateException.class,
            "ssl was already set to true"),
        rejected(
            "ssl",
            b -> b.ssl(true).ssl(false),
            IllegalStateException.class,
            "ssl was already set to true"),
        rejected(
            "database after a uri that names one",
            b -> b.uri("redis://a/3").database(4),
            IllegalStateException.class,
            "database was already set to 3 by uri"),
        rejected(
            "a uri that names a database after database",
            b -> b.database(4).uri("redis://a/3"),
            IllegalStateException.class,
            "database was already set to 4"),
        rejected(
            "database",
            b -> b.database(1).database(2),
            IllegalStateException.class,
            "database was already set to 1"),
        rejected(
            "user",
            b -> b.user("a", "secret").user("b", "p"),
            IllegalStateException.class,
            "user was already set to a"),
        rejected(
            "accessKey after user",
            b -> b.user("a", "secret").accessKey("k"),
            IllegalStateException.class,
            "user was already set to a"),
        rejected(
            "user after accessKey, without the key",
            b -> b.accessKey("secret").user("a", "p"),
            IllegalStateException.class,
            "accessKey was already set"),
        rejected(
            "accessKey",
            b -> b.accessKey("secret").accessKey("k"),
            IllegalStateException.class,
            "accessKey was already set"),
        rejected(
            "user after a uri with a user",
            b -> b.uri("redis://u:secret@a").user("b", "p"),
            IllegalStateException.class,
            "user was already set to u by uri"),
        rejected(
            "accessKey after a uri with a password alone",
            b -> b.uri("redis://:secret@a").accessKey("k"),
            IllegalStateException.class,
            "password was already set by uri"),
        rejected(
            "accessKey after a uri with a lone user-info part",
            b -> b.uri("redis://secret@a").accessKey("k"),
            IllegalStateException.class,
            "password was already set by uri"),
        rejected(
            "a uri with credentials after accessKey",
            b -> b.accessKey("secret").uri("redis://:other@a"),
            IllegalStateException.class,
            "accessKey was already set"),
        rejected(
            "sslSocketFactory",
            b -> b.sslSocketFactory(factory).sslSocketFactory(factory),
            IllegalStateException.class,
            "sslSocketFactory was already set to a " + factory.getClass().getName()),
        rejected(
            "applicationName",
            b -> b.applicationName("shop").applicationName("other"),
            IllegalStateException.class,
            "applicationName was already set to shop"),
        rejected(
            "applicationName, to its default value",
            b ->
                b.applicationName(RedisSessionStore.DEFAULT_APPLICATION_NAME)
                    .applicationName("other"),
            IllegalStateException.class,
            "applicationName was already set to sessionstate"),
        rejected(
            "connectTimeout",
            b -> b.connectTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(2)),
            IllegalStateException.class,
            "connectTimeout was already set to PT1S"),
        rejected(
            "operationTimeout",
            b -> b.operationTimeout(Duration.ofSeconds(1)).operationTimeout(Duration.ofSeconds(2)),
            IllegalStateException.class,
            "operationTimeout was already set to PT1S"),
        rejected(
            "retryTimeout",
            b -> b.retryTimeout(Duration.ZERO).retryTimeout(Duration.ofSeconds(3)),
            IllegalStateException.class,
            "retryTimeout was already set to PT0S"),
        rejected(
            "throwOnError",
            b -> b.throwOnError(true).throwOnError(false),
            IllegalStateException.class,
            "throwOnError was already set to true"),
        rejected(
            "maxConnections",
            b -> b.maxConnections(4).maxConnections(8),
            IllegalStateException.class,
            "maxConnections was already set to 4"),
        rejected(
            "sentinel",
            b -> b.sentinel("m", NODES).sentinel("n", NODES),
            IllegalStateException.class,
            "sentinel was already set to m@[127.0.0.1:1]"),
        rejected(
            "cluster",
            b -> b.cluster(NODES).cluster(NODES),
            IllegalStateException.class,
            "cluster was already set to [127.0.0.1:1]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setTwice")
  void option_setTwice_isRejectedSayingWhatItWasSetTo(
      String name,
      Consumer<RedisSessionStore.Builder> setup,
      Class<? extends Throwable> type,
      String message) {
    assertThatThrownBy(() -> setup.accept(RedisSessionStore.builder()))
        .isExactlyInstanceOf(type)
        .hasMessage(message);
  }

  @Test
  void uri_rejectedForAClash_setsNoneOfItsParts() {
    RedisSessionStore.Builder builder = RedisSessionStore.builder().database(1);

    assertThatThrownBy(() -> builder.uri("redis://a:6380/3"))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("database was already set to 1");

    // The host and port of the rejected URI were not taken: they can still be set.
    builder.host("b").port(6381);
  }

  @Test
  void client_setTwice_isRejectedNamingTheClientsClass() {
    try (UnifiedJedis first = unconnectedClient();
        UnifiedJedis second = unconnectedClient()) {
      assertThatThrownBy(() -> RedisSessionStore.builder().client(first).client(second))
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage("client was already set to a io.sessionstate.redis.NodeClient");
    }
  }

  private static final String CLIENT_EXCLUDES =
      "client(...) excludes the connection options (host, port, uri, user, accessKey, ssl,"
          + " sslSocketFactory, database, connectTimeout, operationTimeout, maxConnections,"
          + " sentinel, sentinel credentials, cluster): the client's own configuration"
          + " applies";

  private static Arguments option(String name, Consumer<RedisSessionStore.Builder> setup) {
    return Arguments.of(name, setup);
  }

  static Stream<Arguments> connectionOptions() {
    return Stream.of(
        option("host, to its default value", b -> b.host("localhost")),
        option("port, to its default value", b -> b.port(6379)),
        option("uri", b -> b.uri("redis://localhost")),
        option("user", b -> b.user("u", "p")),
        option("accessKey", b -> b.accessKey("k")),
        option("ssl false", b -> b.ssl(false)),
        option(
            "sslSocketFactory",
            b -> b.sslSocketFactory((SSLSocketFactory) SSLSocketFactory.getDefault())),
        option("database 0", b -> b.database(0)),
        option(
            "connectTimeout, to its default value",
            b -> b.connectTimeout(RedisSessionStore.DEFAULT_CONNECT_TIMEOUT)),
        option(
            "operationTimeout, to its default value",
            b -> b.operationTimeout(RedisSessionStore.DEFAULT_OPERATION_TIMEOUT)),
        option("maxConnections", b -> b.maxConnections(16)),
        option("sentinel", b -> b.sentinel("m", NODES)),
        option("sentinelCredentials", b -> b.sentinelCredentials(null, "s")),
        option("cluster", b -> b.cluster(NODES)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("connectionOptions")
  void build_clientWithAConnectionOption_isRejected(
      String name, Consumer<RedisSessionStore.Builder> option) {
    try (UnifiedJedis client = unconnectedClient()) {
      RedisSessionStore.Builder builder = RedisSessionStore.builder().client(client);
      option.accept(builder);

      assertThatThrownBy(builder::build)
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage(CLIENT_EXCLUDES);
    }
  }

  @Test
  void build_clientWithTheOptionsThatStillApply_usesThem() {
    try (UnifiedJedis client = unconnectedClient();
        RedisSessionStore store =
            RedisSessionStore.builder()
                .client(client)
                .applicationName("shop")
                .retryTimeout(Duration.ofSeconds(3))
                .throwOnError(false)
                .build()) {
      assertThat(store)
          .hasToString(
              "RedisSessionStore{client=io.sessionstate.redis.NodeClient, applicationName=shop,"
                  + " operationTimeout=PT1S, retryTimeout=PT3S, throwOnError=false}");
    }
  }

  @Test
  void build_sentinelAndCluster_isRejected() {
    assertThatThrownBy(
            () -> RedisSessionStore.builder().sentinel("m", NODES).cluster(NODES).build())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("sentinel(...) and cluster(...) exclude each other");
  }

  @Test
  void build_clusterWithADatabase_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().cluster(NODES).database(2).build())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("database must be 0 on a Redis Cluster: 2");
  }

  @Test
  void build_clusterWithADatabaseFromTheUri_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().uri("redis://a/2").cluster(NODES).build())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("database must be 0 on a Redis Cluster: 2");
  }

  @Test
  void build_clusterWithDatabaseZero_getsAsFarAsConnecting() {
    // Port 1 refuses: the options passed, and the Cluster client's first read of the slot map
    // failed.
    assertThatThrownBy(() -> RedisSessionStore.builder().cluster(NODES).database(0).build())
        .isExactlyInstanceOf(SessionStoreException.class)
        .hasMessageStartingWith("redis store failed to connect: ");
  }

  @Test
  void build_sentinelCredentialsWithoutSentinel_isRejected() {
    assertThatThrownBy(
            () -> RedisSessionStore.builder().host("a").sentinelCredentials("u", "p").build())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("sentinelCredentials(...) needs sentinel(...)");
  }

  @Test
  void sentinelCredentials_badOrTwice_isRejectedWithoutThePassword() {
    assertThatThrownBy(() -> RedisSessionStore.builder().sentinelCredentials("u", null))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("sentinel password");
    assertThatThrownBy(() -> RedisSessionStore.builder().sentinelCredentials("", "secret-1"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("the sentinels' user and password must not be empty");
    assertThatThrownBy(() -> RedisSessionStore.builder().sentinelCredentials(null, ""))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("the sentinels' user and password must not be empty");
    assertThatThrownBy(
            () ->
                RedisSessionStore.builder()
                    .sentinelCredentials(null, "secret-1")
                    .sentinelCredentials("u", "secret-2"))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("the sentinels' credentials were already set");
  }

  @Test
  void build_sslSocketFactoryWithoutSsl_isRejected() {
    SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
    String message = "sslSocketFactory is set but ssl is false: call ssl(true) or rediss:// too";

    assertThatThrownBy(() -> RedisSessionStore.builder().sslSocketFactory(factory).build())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(message);
    assertThatThrownBy(
            () -> RedisSessionStore.builder().uri("redis://a").sslSocketFactory(factory).build())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(message);
  }

  @Test
  void build_nothingSet_usesTheDefaults_andWritesNoneBackIntoTheBuilder() {
    RedisSessionStore.Builder builder = RedisSessionStore.builder();
    try (RedisSessionStore store = builder.build()) {
      assertThat(store)
          .hasToString(
              "RedisSessionStore{host=localhost:6379, applicationName=sessionstate,"
                  + " operationTimeout=PT1S, retryTimeout=PT0S, throwOnError=true}");
    }

    // Every option is still unset: each can be set now, once.
    builder
        .host("a")
        .port(1)
        .accessKey("k")
        .ssl(true)
        .database(2)
        .applicationName("shop")
        .connectTimeout(Duration.ofSeconds(2))
        .operationTimeout(Duration.ofSeconds(2))
        .retryTimeout(Duration.ofSeconds(1))
        .throwOnError(false)
        .maxConnections(2);
    try (RedisSessionStore store = builder.build()) {
      assertThat(store)
          .hasToString(
              "RedisSessionStore{host=a:1/2, ssl, applicationName=shop, operationTimeout=PT2S,"
                  + " retryTimeout=PT1S, throwOnError=false}");
    }
  }

  @Test
  void uri_partsItLeavesOut_canBeSetByTheirSetters() {
    try (RedisSessionStore store =
        RedisSessionStore.builder()
            .uri("rediss://a")
            .port(6380)
            .database(3)
            .accessKey("secret")
            .build()) {
      assertThat(store.toString())
          .isEqualTo(
              "RedisSessionStore{host=a:6380/3, ssl, applicationName=sessionstate,"
                  + " operationTimeout=PT1S, retryTimeout=PT0S, throwOnError=true}")
          .doesNotContain("secret");
    }
  }

  /** A client over a port nothing listens on; its pool opens no connection until first used. */
  private static UnifiedJedis unconnectedClient() {
    return AdminClients.node("127.0.0.1", 1);
  }
}
