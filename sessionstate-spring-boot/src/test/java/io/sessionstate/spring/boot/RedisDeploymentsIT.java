package io.sessionstate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionManager;
import io.sessionstate.SessionStoreException;
import io.sessionstate.redis.RedisSessionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Spring Boot's Redis properties for Sentinel with passwords and for TLS with an SSL bundle, mapped
 * by the auto-configuration onto the store, against {@code redis-server}s of the test's own: a
 * master that only an ACL user may use, a sentinel with its own {@code requirepass}, and a server
 * that listens only over TLS with a certificate made at test time.
 */
class RedisDeploymentsIT {
  private static final String MASTER = "sessions";
  // Test-only secrets of servers that live for this class.
  private static final String DATA_USER = "app";
  private static final String DATA_PASSWORD = "data-secret-1";
  private static final String SENTINEL_PASSWORD = "sentinel-secret-2";

  private static RedisProcess master;
  private static RedisProcess sentinel;
  private static RedisProcess tls;
  private static int tlsPort;
  private static Path certs;

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SslAutoConfiguration.class, SessionStateAutoConfiguration.class))
          .withPropertyValues(
              "sessionstate.store=redis",
              SessionStateAutoConfigurationTest.KEY,
              "spring.data.redis.connect-timeout=2s");

  @BeforeAll
  static void startServers() throws Exception {
    master =
        RedisProcess.start(
            null,
            List.of(
                "--user",
                "default",
                "off",
                "--user",
                DATA_USER,
                "on",
                ">" + DATA_PASSWORD,
                "~*",
                "&*",
                "+@all"),
            port -> ping(port, DATA_USER, DATA_PASSWORD));
    String config =
        String.join(
            "\n",
            "sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " 1",
            "sentinel auth-user " + MASTER + " " + DATA_USER,
            "sentinel auth-pass " + MASTER + " " + DATA_PASSWORD,
            "requirepass " + SENTINEL_PASSWORD,
            "");
    sentinel =
        RedisProcess.start(
            config,
            List.of("--sentinel"),
            port -> {
              try (Jedis s = jedis(port, null, SENTINEL_PASSWORD)) {
                return String.valueOf(master.port())
                    .equals(s.sentinelGetMasterAddrByName(MASTER).get(1));
              }
            });
    certs = Files.createTempDirectory("sessionstate-boot-tls-");
    // A self-signed certificate for 127.0.0.1, made now; its key never leaves this directory.
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                certs.resolve("server.key").toString(),
                "-out",
                certs.resolve("server.crt").toString(),
                "-days",
                "1",
                "-subj",
                "/CN=sessionstate-test",
                "-addext",
                "subjectAltName=IP:127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(certs.resolve("openssl.log").toFile())
            .start();
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0)
        .as("openssl req: %s", Files.readString(certs.resolve("openssl.log")))
        .isTrue();
    tlsPort = RedisProcess.freePort();
    tls =
        RedisProcess.start(
            null,
            List.of(
                "--tls-port", String.valueOf(tlsPort),
                "--tls-cert-file", certs.resolve("server.crt").toString(),
                "--tls-key-file", certs.resolve("server.key").toString(),
                "--tls-auth-clients", "no"),
            port -> ping(port, null, null));
  }

  @AfterAll
  static void stopServers() {
    for (RedisProcess server : new RedisProcess[] {sentinel, master, tls}) {
      if (server != null) {
        server.close();
      }
    }
    if (certs != null) {
      RedisProcess.delete(certs);
    }
  }

  @Test
  void sentinel_withSentinelAndDataNodeCredentials_storesOnTheMaster() {
    runner
        .withPropertyValues(sentinelProperties(true))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              RedisSessionStore store =
                  (RedisSessionStore) context.getBean(SessionManager.class).store();
              assertRoundTrip(store);
              try (Jedis data = jedis(master.port(), DATA_USER, DATA_PASSWORD)) {
                assertThat(data.exists("{sentinel-it_k1}_Data")).isTrue();
              }
            });
  }

  @Test
  void sentinel_withoutTheSentinelPassword_failsStartupNamingTheProperties() {
    runner
        .withPropertyValues(sentinelProperties(false))
        .run(
            context -> {
              SessionStateConfigurationException failure =
                  SessionStateAutoConfigurationTest.configurationFailure(context);
              assertThat(failure.getMessage())
                  .startsWith("The Redis session store could not connect: ");
              assertThat(failure.getMessage()).doesNotContain(SENTINEL_PASSWORD, DATA_PASSWORD);
              assertThat(failure.action()).contains("spring.data.redis.*");
            });
  }

  @Test
  void ssl_bundle_trustsTheServersCertificate() {
    runner
        .withPropertyValues(
            "spring.ssl.bundle.pem.redis.truststore.certificate=file:"
                + certs.resolve("server.crt"),
            "spring.data.redis.ssl.bundle=redis",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + tlsPort,
            "spring.application.name=tls-it")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              RedisSessionStore store =
                  (RedisSessionStore) context.getBean(SessionManager.class).store();
              assertThat(store.toString()).contains("ssl");
              store.save("k1", bytes("over tls"), Duration.ofMinutes(1));
              assertThat(store.loadAndTouch("k1", Duration.ofMinutes(1)))
                  .hasValueSatisfying(
                      value ->
                          assertThat(new String(value, StandardCharsets.UTF_8))
                              .isEqualTo("over tls"));
            });
  }

  @Test
  void ssl_withoutTheBundle_refusesTheSelfSignedCertificate() {
    runner
        .withPropertyValues(
            "spring.data.redis.ssl.enabled=true",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + tlsPort,
            "spring.application.name=tls-it")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              RedisSessionStore store =
                  (RedisSessionStore) context.getBean(SessionManager.class).store();
              assertThatThrownBy(() -> store.save("k2", bytes("x"), Duration.ofMinutes(1)))
                  .isInstanceOf(SessionStoreException.class)
                  .hasMessageStartingWith("redis store failed to save: ");
            });
  }

  @Test
  void ssl_bundleThatIsNotDefined_failsStartupNamingIt() {
    runner
        .withPropertyValues(
            "spring.data.redis.ssl.bundle=missing",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + tlsPort)
        .run(
            context -> {
              SessionStateConfigurationException failure =
                  SessionStateAutoConfigurationTest.configurationFailure(context);
              assertThat(failure.getMessage())
                  .isEqualTo(
                      "The Redis session store's settings are invalid: spring.data.redis.ssl.bundle"
                          + " names 'missing', which is not among the spring.ssl.bundle.*"
                          + " bundles");
              assertThat(failure.action())
                  .isEqualTo("Change the spring.data.redis.* or sessionstate.redis.* properties.");
            });
  }

  private static String[] sentinelProperties(boolean withSentinelPassword) {
    List<String> properties =
        new java.util.ArrayList<>(
            List.of(
                "spring.application.name=sentinel-it",
                "spring.data.redis.sentinel.master=" + MASTER,
                "spring.data.redis.sentinel.nodes=127.0.0.1:" + sentinel.port(),
                "spring.data.redis.username=" + DATA_USER,
                "spring.data.redis.password=" + DATA_PASSWORD));
    if (withSentinelPassword) {
      properties.add("spring.data.redis.sentinel.password=" + SENTINEL_PASSWORD);
    }
    return properties.toArray(String[]::new);
  }

  private static void assertRoundTrip(RedisSessionStore store) {
    store.save("k1", bytes("behind sentinel"), Duration.ofMinutes(1));
    assertThat(store.loadAndTouch("k1", Duration.ofMinutes(1)))
        .hasValueSatisfying(
            value ->
                assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("behind sentinel"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean ping(int port, String user, String password) {
    try (Jedis jedis = jedis(port, user, password)) {
      return "PONG".equals(jedis.ping());
    }
  }

  private static Jedis jedis(int port, String user, String password) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder().connectionTimeoutMillis(2000).socketTimeoutMillis(5000);
    if (password != null) {
      config.password(password);
      if (user != null) {
        config.user(user);
      }
    }
    return new Jedis(new HostAndPort("127.0.0.1", port), config.build());
  }
}
