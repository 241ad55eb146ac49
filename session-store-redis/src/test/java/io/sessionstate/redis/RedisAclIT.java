package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** The commands the README's {@code ACL SETUSER} line grants. */
  static final String README_COMMANDS =
      "get getex getrange strlen exists pttl set setrange pexpire rename del multi exec"
          + " evalsha eval time zadd zrem zrange zcard scan";

  @BeforeAll
  static void startServer() {
    server = RedisServerProcess.start();
    try (Jedis admin = server.admin()) {
      // The rights the README lists, and no more.
      List<String> rules = new ArrayList<>(List.of("on", ">" + USER_PASSWORD, "~{" + APP + "_*"));
      for (String command : README_COMMANDS.split(" ")) {
        rules.add("+" + command);
      }
      admin.aclSetUser(USER, rules.toArray(String[]::new));
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

      // The versioned path every commit mode but COHERENT takes, and the principal index.
      assertThat(store.saveIf("v", Condition.absent(), new byte[] {3}, TTL).status())
          .isEqualTo(Outcome.Status.SAVED);
      assertThat(store.loadVersioned("v", TTL).blob()).containsExactly(3);
      assertThat(store.saveIf("v", Condition.version(1), new byte[] {4}, TTL).version())
          .isEqualTo(2);
      assertThat(store.index("alice", "v", null, TTL)).isEqualTo(1);
      assertThat(store.sessionsOf("alice")).hasSize(1);
      store.unindex("alice", "v");
      store.invalidate("v", TTL);
      assertThat(store.loadVersioned("v", Duration.ofMinutes(1)).state())
          .isEqualTo(Stored.State.TOMBSTONE);
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
