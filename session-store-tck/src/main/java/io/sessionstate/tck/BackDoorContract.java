package io.sessionstate.tck;

import static io.sessionstate.tck.TestData.TTL;
import static io.sessionstate.tck.TestData.newKey;
import static io.sessionstate.tck.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.Session;
import io.sessionstate.SessionDataException;
import io.sessionstate.SessionListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The cases that need a way into the storage behind the store, in the style of Jetty's {@code
 * AbstractSessionDataStoreTest}: the time to live the server really keeps, and bytes the store did
 * not write (corrupt, truncated, oversized or tampered blobs, as anyone with access to the server
 * could write) going through a real session manager. Each unreadable blob must load as an empty,
 * available session with a warning and an {@code unreadableData} event, and the next write must
 * replace it; both with blob integrity on (anything unsigned is refused before a byte is decoded)
 * and off (the decoder itself must survive the bytes).
 *
 * <p>A store whose tests can reach its server directly (an admin connection, a JDBC connection)
 * implements the three back-door hooks; an in-process store has no back door and leaves this
 * contract out. The warning is read through {@link #captureLog()}.
 */
public interface BackDoorContract extends StoreUnderTest {

  /**
   * Writes {@code bytes} under the session key {@code key} directly on the server, where and how
   * the store keeps a blob (Redis: the documented key; PostgreSQL: the row), replacing what is
   * there and expiring after {@code ttl}, without going through the store.
   */
  void writeRaw(String key, byte[] bytes, Duration ttl);

  /**
   * The bytes the server holds under the session key {@code key}, read directly, without sliding
   * the expiry; empty when there is no entry.
   */
  Optional<byte[]> readRaw(String key);

  /**
   * The time to live the server itself holds for the session key {@code key} (Redis: its PTTL;
   * PostgreSQL: the expiry column against the database's clock); empty when there is no entry.
   */
  Optional<Duration> remainingTtl(String key);

  /**
   * Starts capturing what the library logs, for the check of the warning on unreadable data: the
   * text must hold the level ({@code WARN}) and the formatted message. The default reads {@code
   * System.err}, where slf4j-simple writes; override it for another logging backend.
   */
  default LogCapture captureLog() {
    return LogCapture.systemErr();
  }

  // ---- the hooks and the server's time to live

  @Test
  default void writeRaw_isWhatTheStoreLoads() {
    String key = newKey();
    byte[] bytes = randomBytes(100);

    writeRaw(key, bytes, TTL);

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
  }

  @Test
  default void readRaw_isWhatTheStoreSaved() {
    String key = newKey();
    byte[] blob = randomBytes(100);

    store().save(key, blob, TTL);

    assertThat(readRaw(key)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
    assertThat(readRaw(newKey())).isEmpty();
    assertThat(remainingTtl(newKey())).isEmpty();
  }

  @Test
  default void save_setsTheServersTtl() {
    String key = newKey();

    store().save(key, randomBytes(10), TTL);

    assertThat(remainingTtl(key))
        .hasValueSatisfying(
            ttl ->
                assertThat(ttl)
                    .isBetween(TTL.minus(Duration.ofMinutes(1)), TTL.plus(expiryMargin(TTL))));
  }

  @Test
  default void loadAndTouch_setsTheServersTtl() {
    String key = newKey();
    writeRaw(key, randomBytes(10), Duration.ofSeconds(10));

    assertThat(store().loadAndTouch(key, Duration.ofMinutes(30))).isPresent();

    // Measured by the server's clock, whatever the JVM's says.
    assertThat(remainingTtl(key))
        .hasValueSatisfying(
            ttl ->
                assertThat(ttl)
                    .isBetween(
                        Duration.ofMinutes(29),
                        Duration.ofMinutes(30).plus(expiryMargin(Duration.ofMinutes(30)))));
  }

  @Test
  default void touch_setsTheServersTtl() {
    String key = newKey();
    store().save(key, randomBytes(10), Duration.ofSeconds(10));

    store().touch(key, Duration.ofMinutes(30));

    assertThat(remainingTtl(key))
        .hasValueSatisfying(
            ttl ->
                assertThat(ttl)
                    .isBetween(
                        Duration.ofMinutes(29),
                        Duration.ofMinutes(30).plus(expiryMargin(Duration.ofMinutes(30)))));
  }

  // ---- unreadable data through the request cycle

  @Test
  default void hostileBytes_withBlobIntegrity_loadAsAnEmptySession_withAWarning() {
    hostileBytesLoadAsAnEmptySession(true);
  }

  @Test
  default void hostileBytes_withoutBlobIntegrity_loadAsAnEmptySession_withAWarning() {
    hostileBytesLoadAsAnEmptySession(false);
  }

  @Test
  default void truncatedBlob_withBlobIntegrity_loadsAsAnEmptySession_withAWarning() {
    truncatedBlobLoadsAsAnEmptySession(true);
  }

  @Test
  default void truncatedBlob_withoutBlobIntegrity_loadsAsAnEmptySession_withAWarning() {
    truncatedBlobLoadsAsAnEmptySession(false);
  }

  @Test
  default void oversizedBlob_withBlobIntegrity_isRejectedBeforeDecoding() {
    oversizedBlobIsRejectedBeforeDecoding(true);
  }

  @Test
  default void oversizedBlob_withoutBlobIntegrity_isRejectedBeforeDecoding() {
    oversizedBlobIsRejectedBeforeDecoding(false);
  }

  @Test
  default void tamperedBlob_withBlobIntegrity_loadsAsAnEmptySession_withAWarning() {
    List<SessionDataException> unreadable = new CopyOnWriteArrayList<>();
    try (Visits visits = visitsReporting(unreadable, true)) {
      String cookie = visits.establish("user", "ada");
      String key = visits.counting.lastWrittenKey();
      byte[] tampered = readRaw(key).orElseThrow();
      tampered[tampered.length - 1] ^= 1;
      writeRaw(key, tampered, TTL);

      try (LogCapture log = captureLog()) {
        visits.run(cookie, BackDoorContract::assertAvailableAndEmpty);

        assertThat(unreadable).hasSize(1);
        assertThat(unreadable.get(0))
            .hasMessage("unreadable session data: blob integrity tag does not verify");
        assertThat(log.text())
            .contains("WARN")
            .contains("Unreadable data for session key")
            .doesNotContain(key);
      }
    }
  }

  private void hostileBytesLoadAsAnEmptySession(boolean blobIntegrity) {
    Random random = new Random(42);
    byte[] ones = new byte[4096];
    Arrays.fill(ones, (byte) 0xFF);
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
            "'; DROP TABLE x; --".getBytes(StandardCharsets.UTF_8),
            ones,
            bytes(random, 3),
            bytes(random, 100),
            bytes(random, 4096));

    List<SessionDataException> unreadable = new CopyOnWriteArrayList<>();
    try (Visits visits = visitsReporting(unreadable, blobIntegrity)) {
      String cookie = visits.establish("name", "ada lovelace, countess of lovelace");
      String key = visits.counting.lastWrittenKey();

      for (byte[] bytes : hostile) {
        writeRaw(key, bytes, TTL);
        unreadable.clear();
        try (LogCapture log = captureLog()) {
          visits.run(cookie, BackDoorContract::assertAvailableAndEmpty);

          String head = Arrays.toString(Arrays.copyOf(bytes, Math.min(bytes.length, 8)));
          assertThat(unreadable).as("events for %s", head).hasSize(1);
          assertThat(unreadable.get(0)).hasMessageStartingWith("unreadable session data: ");
          assertThat(log.text())
              .contains("WARN")
              .contains("Unreadable data for session key")
              .contains(unreadable.get(0).getMessage())
              .doesNotContain(key);
        }
      }

      // The request that writes replaces the bytes with a real session.
      writeRaw(key, bytes(random, 64), TTL);
      visits.write(cookie, "name", "grace");
      assertThat(visits.read(cookie, "name")).hasValue("grace");
    }
  }

  private void truncatedBlobLoadsAsAnEmptySession(boolean blobIntegrity) {
    List<SessionDataException> unreadable = new CopyOnWriteArrayList<>();
    try (Visits visits = visitsReporting(unreadable, blobIntegrity)) {
      String cookie = visits.establish("name", "ada lovelace, countess of lovelace");
      String key = visits.counting.lastWrittenKey();
      byte[] blob = readRaw(key).orElseThrow();
      assertThat(blob.length).isGreaterThan(40);

      for (int length : new int[] {blob.length - 1, blob.length / 2, 2}) {
        writeRaw(key, Arrays.copyOf(blob, length), TTL);
        unreadable.clear();
        try (LogCapture log = captureLog()) {
          assertThat(visits.read(cookie, "name")).isEmpty();

          assertThat(unreadable).as("events for %d bytes", length).hasSize(1);
          assertThat(unreadable.get(0).getMessage())
              .containsAnyOf("truncated", "does not verify", "unexpected bytes", "bad entry count");
          assertThat(log.text()).contains("WARN").contains("Unreadable data for session key");
        }
      }
      // A read-only request leaves the stored bytes alone: the next write replaces them.
      assertThat(readRaw(key)).hasValueSatisfying(b -> assertThat(b).hasSize(2));
      visits.write(cookie, "name", "ada again");
      assertThat(visits.read(cookie, "name")).hasValue("ada again");
    }
  }

  private void oversizedBlobIsRejectedBeforeDecoding(boolean blobIntegrity) {
    int twentyMegabytes = 20 << 20;
    List<SessionDataException> unreadable = new CopyOnWriteArrayList<>();
    try (Visits visits = visitsReporting(unreadable, blobIntegrity)) {
      String cookie = visits.establish("name", "ada");
      String key = visits.counting.lastWrittenKey();
      // A well-formed start (revision 1, untagged) so that only its size can reject it.
      byte[] huge = new byte[twentyMegabytes];
      huge[0] = 1;
      writeRaw(key, huge, TTL);

      try (LogCapture log = captureLog()) {
        visits.run(cookie, BackDoorContract::assertAvailableAndEmpty);

        assertThat(unreadable).hasSize(1);
        assertThat(unreadable.get(0))
            .hasMessageStartingWith(
                "unreadable session data: blob is "
                    + twentyMegabytes
                    + " bytes, over the limit of ");
        assertThat(log.text()).contains("WARN").contains("over the limit of");
      }

      visits.write(cookie, "name", "small again");
      assertThat(readRaw(key)).hasValueSatisfying(b -> assertThat(b.length).isLessThan(1000));
      assertThat(visits.read(cookie, "name")).hasValue("small again");
    }
  }

  private Visits visitsReporting(List<SessionDataException> unreadable, boolean blobIntegrity) {
    return Visits.over(
        store(),
        builder ->
            builder
                .blobIntegrity(blobIntegrity)
                .listener(
                    new SessionListener() {
                      @Override
                      public void unreadableData(SessionDataException problem) {
                        unreadable.add(problem);
                      }
                    }));
  }

  private static void assertAvailableAndEmpty(Session session) {
    assertThat(session.isAvailable()).isTrue();
    assertThat(session.keys()).isEmpty();
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
