package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Credentials against a server of the test's own: the default user has a password ({@code
 * requirepass}, what {@code accessKey} is for) and an ACL user may touch only its application's
 * keys.
 */
class RedisAclIT {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final String ACCESS_KEY = "default-pass-4f1c";
  private static final String USER = "sessions";
  private static final String USER_PASSWORD = "user-pass-9b2e";
  private static final String APP = "aclapp";
  private static RedisServerProcess server;

  @BeforeAll
  static void startServer() {
    server = RedisServerProcess.start();
    try (Jedis admin = server.admin()) {
      admin.aclSetUser(USER, "on", ">" + USER_PASSWORD, "~{" + APP + "_*", "+@all", "-@dangerous");
      admin.configSet("requirepass", ACCESS_KEY);
    }
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static RedisSessionStore.Builder builder() {
    return hostAndPort().applicationName(APP);
  }

  private static RedisSessionStore.Builder hostAndPort() {
    return RedisSessionStore.builder().host("127.0.0.1").port(server.port());
  }

  private static void assertRoundTrip(RedisSessionStore store) {
    byte[] blob = "secured".getBytes(StandardCharsets.UTF_8);
    store.save("k", blob, TTL);
    assertThat(store.loadAndTouch("k", TTL)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
    store.delete("k");
  }

  @Test
  void aclUser_withOnlyTheStoresCommands_canDoEveryOperation() {
    try (RedisSessionStore store = builder().user(USER, USER_PASSWORD).build()) {
      assertRoundTrip(store);
      store.touch("k", TTL);
      store.save("a", new byte[] {1}, TTL);
      store.replace("a", "b", new byte[] {2}, TTL);
      assertThat(store.loadAndTouch("b", TTL))
          .hasValueSatisfying(b -> assertThat(b).containsExactly(2));
      store.delete("b");
    }
  }

  @Test
  void aclUser_fromTheUri_works() {
    try (RedisSessionStore store =
        RedisSessionStore.builder()
            .uri("redis://" + USER + ":" + USER_PASSWORD + "@127.0.0.1:" + server.port())
            .applicationName(APP)
            .build()) {
      assertRoundTrip(store);
    }
  }

  @Test
  void aclUser_outsideItsKeyPattern_failsNamingThePermission() {
    try (RedisSessionStore store =
        hostAndPort().user(USER, USER_PASSWORD).applicationName("otherapp").build()) {

      assertThatThrownBy(() -> store.save("k", new byte[] {1}, TTL))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith(
              "redis store failed to save: Redis refused the credentials or the command (NOPERM");
    }
  }

  @Test
  void accessKey_authenticatesTheDefaultUser() {
    try (RedisSessionStore store = builder().accessKey(ACCESS_KEY).build()) {
      assertRoundTrip(store);
    }
  }

  @Test
  void wrongUserPassword_failsClearlyWithoutThePassword() {
    String wrong = "not-the-password-77";
    try (RedisSessionStore store = builder().user(USER, wrong).build()) {

      assertThatThrownBy(() -> store.save("k", new byte[] {1}, TTL))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith(
              "redis store failed to save: Redis refused the credentials or the command (WRONGPASS")
          .hasMessageNotContaining(wrong)
          .hasMessageNotContaining(USER_PASSWORD);
      assertThat(store.toString()).doesNotContain(wrong);
    }
  }

  @Test
  void wrongAccessKey_failsClearlyWithoutThePassword() {
    String wrong = "not-the-key-31";
    try (RedisSessionStore store =
        RedisSessionStore.builder()
            .uri("redis://:" + wrong + "@127.0.0.1:" + server.port())
            .applicationName(APP)
            .build()) {

      assertThatThrownBy(() -> store.loadAndTouch("k", TTL))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith(
              "redis store failed to load: Redis refused the credentials or the command (WRONGPASS")
          .hasMessageNotContaining(wrong);
      assertThat(store.toString()).doesNotContain(wrong);
    }
  }

  @Test
  void noPassword_failsAsNotAuthenticated() {
    try (RedisSessionStore store = builder().build()) {

      assertThatThrownBy(() -> store.loadAndTouch("k", TTL))
          .isExactlyInstanceOf(SessionStoreException.class)
          .hasMessageStartingWith(
              "redis store failed to load: Redis refused the credentials or the command (NOAUTH");
    }
  }
}
