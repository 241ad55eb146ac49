package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * The contract suite over TLS, against a listener with a certificate made for 127.0.0.1 at test
 * time; and the ways a TLS connection must fail.
 */
class RedisTlsIT extends RedisContractSupport {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static RedisTlsFixture server;

  @BeforeAll
  static void startServer() {
    server = RedisTlsFixture.start("ip:127.0.0.1");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * The races run in full (1,000 sign-out races, 100 lost-update rounds) on a standalone server and
   * on a Cluster; over TLS they check only that the same scripts hold: 100 and 10.
   */
  @Override
  public int raceRepetitions() {
    return 100;
  }

  @Override
  public int lostUpdateRounds() {
    return 10;
  }

  @Override
  protected RedisSessionStore.Builder builder() {
    return RedisSessionStore.builder()
        .host("127.0.0.1")
        .port(server.tls().getPort())
        .ssl(true)
        .sslSocketFactory(server.trustingSocketFactory());
  }

  @Override
  protected List<Jedis> openKeyHolders() {
    return List.of(server.plain().admin());
  }

  @Override
  protected UnifiedJedis openAdmin() {
    return AdminClients.node("127.0.0.1", server.plain().port());
  }

  @Test
  void redissUri_connectsOverTls() {
    byte[] blob = "over tls".getBytes(StandardCharsets.UTF_8);
    try (RedisSessionStore store =
        RedisSessionStore.builder()
            .uri("rediss://127.0.0.1:" + server.tls().getPort())
            .sslSocketFactory(server.trustingSocketFactory())
            .applicationName(app())
            .build()) {
      store.save("k", blob, TTL);

      assertThat(store.loadAndTouch("k", TTL))
          .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
    }
  }

  @Test
  void untrustedCertificate_failsWithAStoreError() {
    try (RedisSessionStore store =
        RedisSessionStore.builder()
            .uri("rediss://127.0.0.1:" + server.tls().getPort())
            .sslSocketFactory(RedisTlsFixture.trustingAnotherCertificate())
            .applicationName(app())
            .build()) {

      assertThatThrownBy(() -> store.save("k", new byte[] {1}, TTL))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith("redis store failed to save: the TLS connection to Redis failed")
          .satisfies(e -> assertThat(((SessionStoreException) e).storeName()).isEqualTo("redis"));
    }
  }

  @Test
  void jdkTrustStore_rejectsTheSelfSignedCertificate() {
    try (RedisSessionStore store =
        RedisSessionStore.builder()
            .uri("rediss://127.0.0.1:" + server.tls().getPort())
            .applicationName(app())
            .build()) {

      assertThatThrownBy(() -> store.loadAndTouch("k", TTL))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith("redis store failed to load: the TLS connection to Redis failed");
    }
  }

  @Test
  void certificateForAnotherName_failsTheHostNameCheck() {
    try (RedisTlsFixture other = RedisTlsFixture.start("dns:elsewhere.test");
        RedisSessionStore store =
            RedisSessionStore.builder()
                .host("127.0.0.1")
                .port(other.tls().getPort())
                .ssl(true)
                .sslSocketFactory(other.trustingSocketFactory())
                .applicationName(app())
                .build()) {

      assertThatThrownBy(() -> store.save("k", new byte[] {1}, TTL))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith("redis store failed to save: the TLS connection to Redis failed")
          .hasMessageContaining("127.0.0.1");
    }
  }
}
