package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionDataException;
import io.sessionstate.SessionListener;
import io.sessionstate.SessionManager;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Bytes that the store did not write, placed straight under a session's key, through the real
 * request cycle: each loads as an empty session with a warning and an {@code unreadableData} event,
 * and the request's next write replaces it. Runs with blob integrity on (the default for Redis),
 * where anything unsigned is refused before a byte is decoded, and off, where the decoder itself
 * must survive the bytes.
 */
class RedisBadDataIT {
  private static final String APP = "baddata";
  private static final KeyRing RING = KeyRing.builder().addKey("k1", new byte[32]).build();
  private static final int TWENTY_MB = 20 << 20;
  private static RedisServerProcess server;
  private static Jedis admin;

  private final List<SessionDataException> unreadable = new CopyOnWriteArrayList<>();
  private SessionManager manager;

  @BeforeAll
  static void start() {
    server = RedisServerProcess.start();
    admin = server.admin();
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void resetEvents() {
    unreadable.clear();
  }

  @AfterEach
  void closeManager() {
    if (manager != null) {
      manager.close();
    }
  }

  private SessionManager manager(boolean blobIntegrity) {
    manager =
        SessionManager.builder()
            .store(
                RedisSessionStore.builder()
                    .host("127.0.0.1")
                    .port(server.port())
                    .applicationName(APP)
                    .build())
            .keyRing(RING)
            .blobIntegrity(blobIntegrity)
            .listener(
                new SessionListener() {
                  @Override
                  public void unreadableData(SessionDataException problem) {
                    unreadable.add(problem);
                  }
                })
            .build();
    return manager;
  }

  @ParameterizedTest(name = "blobIntegrity={0}")
  @ValueSource(booleans = {true, false})
  void hostileBytes_loadAsAnEmptySession_withAWarning(boolean blobIntegrity) {
    Browser browser = signedIn(manager(blobIntegrity));
    String key = browser.redisKey(APP);
    Random random = new Random(42);
    List<byte[]> hostile =
        List.of(
            new byte[0],
            new byte[] {1},
            // revision 1, untagged, then a claim of 2^31-1 entries in a few bytes
            ByteBuffer.allocate(30)
                .put((byte) 1)
                .put((byte) 0)
                .position(26)
                .putInt(0x7FFFFFFF)
                .array(),
            // revision 1, tagged, with a key id length far past the end
            new byte[] {1, 1, (byte) 200, 'k'},
            // one entry whose value claims 2 GiB
            ByteBuffer.allocate(37)
                .put((byte) 1)
                .put((byte) 0)
                .position(26)
                .putInt(1)
                .putShort((short) 1)
                .put((byte) 'a')
                .putInt(Integer.MAX_VALUE)
                .array(),
            "not a session at all".getBytes(StandardCharsets.UTF_8),
            randomBytes(random, 3),
            randomBytes(random, 100),
            randomBytes(random, 4096));

    for (byte[] bytes : hostile) {
      admin.set(key.getBytes(StandardCharsets.UTF_8), bytes);
      unreadable.clear();
      try (LogCapture log = new LogCapture()) {
        browser.run(
            s -> {
              assertThat(s.isAvailable()).isTrue();
              assertThat(s.keys()).isEmpty();
            });

        assertThat(unreadable).as("events for %s", Arrays.toString(head(bytes))).hasSize(1);
        assertThat(unreadable.get(0)).hasMessageStartingWith("unreadable session data: ");
        assertThat(log.text())
            .contains("WARN")
            .contains("Unreadable data for session key")
            .contains(unreadable.get(0).getMessage())
            .doesNotContain(browser.storeKey());
      }
    }

    // The request that writes replaces the bytes with a real session; nothing else was touched.
    admin.set(key.getBytes(StandardCharsets.UTF_8), randomBytes(random, 64));
    browser.run(s -> s.setString("name", "grace"));
    assertThat(browser.<Optional<String>>request(s -> s.getString("name"))).contains("grace");
  }

  @ParameterizedTest(name = "blobIntegrity={0}")
  @ValueSource(booleans = {true, false})
  void truncatedBlob_loadsAsAnEmptySession_withAWarning(boolean blobIntegrity) {
    Browser browser = signedIn(manager(blobIntegrity));
    byte[] key = browser.redisKey(APP).getBytes(StandardCharsets.UTF_8);
    byte[] blob = admin.get(key);
    assertThat(blob.length).isGreaterThan(40);

    for (int length : new int[] {blob.length - 1, blob.length / 2, 2}) {
      admin.set(key, Arrays.copyOf(blob, length));
      unreadable.clear();
      try (LogCapture log = new LogCapture()) {
        Optional<String> name = browser.request(s -> s.getString("name"));

        assertThat(name).isEmpty();
        assertThat(unreadable).hasSize(1);
        assertThat(unreadable.get(0).getMessage())
            .containsAnyOf("truncated", "does not verify", "unexpected bytes", "bad entry count");
        assertThat(log.text()).contains("Unreadable data for session key");
      }
    }
    // A read-only request leaves the stored bytes alone: the next write replaces them.
    assertThat(admin.strlen(key)).isEqualTo(2);
    browser.run(s -> s.setString("name", "ada again"));
    assertThat(browser.<Optional<String>>request(s -> s.getString("name"))).contains("ada again");
  }

  @ParameterizedTest(name = "blobIntegrity={0}")
  @ValueSource(booleans = {true, false})
  void twentyMegabyteValue_isRejectedBeforeDecoding(boolean blobIntegrity) {
    Browser browser = signedIn(manager(blobIntegrity));
    byte[] key = browser.redisKey(APP).getBytes(StandardCharsets.UTF_8);
    // A well-formed start (revision 1, untagged) so that only its size can reject it.
    byte[] huge = new byte[TWENTY_MB];
    huge[0] = 1;
    admin.set(key, huge);

    try (LogCapture log = new LogCapture()) {
      browser.run(
          s -> {
            assertThat(s.isAvailable()).isTrue();
            assertThat(s.keys()).isEmpty();
          });

      assertThat(unreadable).hasSize(1);
      assertThat(unreadable.get(0))
          .hasMessageStartingWith(
              "unreadable session data: blob is " + TWENTY_MB + " bytes, over the limit of ");
      assertThat(log.text()).contains("over the limit of");
    }

    browser.run(s -> s.setString("name", "small again"));
    assertThat(admin.strlen(key)).isLessThan(1000);
    assertThat(browser.<Optional<String>>request(s -> s.getString("name"))).contains("small again");
  }

  private static Browser signedIn(SessionManager manager) {
    Browser browser = new Browser(manager);
    browser.run(s -> s.setString("name", "ada lovelace, countess of lovelace"));
    assertThat(browser.hasCookie()).isTrue();
    return browser;
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] head(byte[] bytes) {
    return Arrays.copyOf(bytes, Math.min(bytes.length, 8));
  }
}
