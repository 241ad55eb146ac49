package io.sessionstate.tck;

import static io.sessionstate.tck.TestData.TTL;
import static io.sessionstate.tck.TestData.newKey;
import static io.sessionstate.tck.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.SessionStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The contract of the {@link SessionStore} SPI, the store on its own: absence is a value, copies in
 * and out, overwrites, binary safety, atomic saves, and failure after close, together with the
 * sliding expiry per key of {@link SessionStoreExpiryContract}, which it extends. Every store
 * passes it.
 *
 * <p>A store's test class implements it together with the {@linkplain StoreUnderTest hooks}:
 *
 * <pre>{@code
 * class MapSessionStoreContractTest
 *     implements SessionStoreContract, ReplacingSessionStoreContract, RequestCycleContract {
 *   private final AtomicLong nanos = new AtomicLong();
 *   private final MapSessionStore store = new MapSessionStore(nanos::get);
 *
 *   @Override
 *   public MapSessionStore store() {
 *     return store;
 *   }
 *
 *   @Override
 *   public void elapse(Duration duration) {
 *     nanos.addAndGet(duration.toNanos());
 *   }
 * }
 * }</pre>
 */
public interface SessionStoreContract extends SessionStoreExpiryContract {

  /** The store's name is not blank. */
  @Test
  default void name_isNotBlank() {
    assertThat(store().name()).isNotBlank();
  }

  /** After close, every operation fails with a message saying the store is closed. */
  @Test
  default void afterClose_everyOperationFails_sayingTheStoreIsClosed() {
    SessionStore store = store();
    String key = newKey();
    store.save(key, randomBytes(10), TTL);
    store.close();
    store.close(); // a second close does nothing

    List<ThrowingCallable> calls = new ArrayList<>();
    calls.add(() -> store.loadAndTouch(key, TTL));
    calls.add(() -> store.save(key, randomBytes(10), TTL));
    calls.add(() -> store.touch(key, TTL));
    calls.add(() -> store.delete(key));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("the store is closed")
          .satisfies(
              e -> assertThat(((SessionStoreException) e).storeName()).isEqualTo(store.name()));
    }
  }

  /** Loading an unknown key finds nothing. */
  @Test
  default void loadAndTouch_unknownKey_returnsEmpty() {
    assertThat(store().loadAndTouch(newKey(), TTL)).isEmpty();
  }

  /** A saved blob loads back equal. */
  @Test
  default void save_thenLoadAndTouch_returnsEqualBytes() {
    String key = newKey();
    byte[] blob = randomBytes(100);

    store().save(key, blob, TTL);

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  /** A save copies its input: changing the array afterwards changes nothing stored. */
  @Test
  default void save_copiesTheInput() {
    String key = newKey();
    byte[] blob = randomBytes(100);
    byte[] expected = blob.clone();

    store().save(key, blob, TTL);
    Arrays.fill(blob, (byte) 0);

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(expected));
  }

  /** A load returns a copy: changing it changes nothing stored. */
  @Test
  default void loadAndTouch_returnsACopy() {
    String key = newKey();
    byte[] blob = randomBytes(100);
    store().save(key, blob, TTL);

    byte[] first = store().loadAndTouch(key, TTL).orElseThrow();
    Arrays.fill(first, (byte) 0);

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  /** A save over an existing key replaces its blob. */
  @Test
  default void save_existingKey_overwrites() {
    String key = newKey();
    byte[] second = randomBytes(50);
    store().save(key, randomBytes(200), TTL);

    store().save(key, second, TTL);

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(second));
  }

  /** A delete removes the key. */
  @Test
  default void delete_existingKey_removesIt() {
    String key = newKey();
    store().save(key, randomBytes(10), TTL);

    store().delete(key);

    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  /** Deleting a missing key does nothing. */
  @Test
  default void delete_missingKey_isANoOp() {
    String other = newKey();
    byte[] blob = randomBytes(10);
    store().save(other, blob, TTL);

    store().delete(newKey());

    assertThat(store().loadAndTouch(other, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  /** An empty blob is stored and loads back as present. */
  @Test
  default void save_emptyBlob_roundTripsAsPresent() {
    String key = newKey();

    store().save(key, new byte[0], TTL);

    assertThat(store().loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEmpty());
  }

  /** A large blob loads back whole. */
  @Test
  default void save_largeBlob_roundTrips() {
    String key = newKey();
    byte[] blob = randomBytes(4 << 20);

    store().save(key, blob, TTL);

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  /** A blob holding every byte value loads back equal. */
  @Test
  default void save_everyByteValue_roundTrips() {
    String key = newKey();
    // Every byte value, in both orders, so that NULs, invalid UTF-8 and CR LF sit at both ends.
    byte[] blob = new byte[512];
    for (int i = 0; i < 256; i++) {
      blob[i] = (byte) i;
      blob[511 - i] = (byte) i;
    }

    store().save(key, blob, TTL);

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  /** Keys that differ in any base64url character are distinct keys. */
  @Test
  default void keys_ofEveryBase64UrlCharacter_areDistinct() {
    List<String> keys =
        List.of(
            "AAAAAAAAAAAAAAAAAAAAAA",
            "aaaaaaaaaaaaaaaaaaaaaa",
            "----------------------",
            "______________________",
            "-_-_-_-_-_-_-_-_-_-_-_",
            "_-_-_-_-_-_-_-_-_-_-_-",
            "0123456789-_abcdefghij",
            "0123456789-_ABCDEFGHIJ",
            "klmnopqrstuvwxyzKLMNOP",
            "QRSTUVWXYZ-_0123456789",
            newKey(),
            newKey());
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    for (String key : keys) {
      blobs.put(key, key.getBytes(StandardCharsets.US_ASCII));
    }

    blobs.forEach((key, blob) -> store().save(key, blob, TTL));

    blobs.forEach(
        (key, blob) ->
            assertThat(store().loadAndTouch(key, TTL))
                .as("key %s", key)
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob)));
  }

  /** Many keys are stored and expire independently. */
  @Test
  default void manyKeys_areIndependent() {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    for (int i = 0; i < 1_000; i++) {
      blobs.put(newKey(), randomBytes(1 + i % 64));
    }
    blobs.forEach((key, blob) -> store().save(key, blob, TTL));

    List<String> deleted = new ArrayList<>();
    int i = 0;
    for (String key : blobs.keySet()) {
      if (i++ % 3 == 0) {
        store().delete(key);
        deleted.add(key);
      }
    }

    i = 0;
    for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
      Optional<byte[]> loaded = store().loadAndTouch(e.getKey(), TTL);
      if (i++ % 3 == 0) {
        assertThat(loaded).as("deleted key %s", e.getKey()).isEmpty();
      } else {
        assertThat(loaded)
            .as("kept key %s", e.getKey())
            .hasValueSatisfying(b -> assertThat(b).isEqualTo(e.getValue()));
      }
    }
    assertThat(deleted).hasSize(334);
  }

  /**
   * Concurrent saves to one key leave one of the blobs, whole.
   *
   * @throws Exception if a writer thread fails or the wait for it is interrupted
   */
  @Test
  default void save_concurrentWritersToOneKey_leaveOneWholeBlob() throws Exception {
    // Taken on the test's thread: the hooks are called on no other.
    SessionStore store = store();
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < 20; round++) {
        String key = newKey();
        List<byte[]> blobs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          blobs.add(randomBytes(64 << 10));
        }
        CountDownLatch ready = new CountDownLatch(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (byte[] blob : blobs) {
          futures.add(
              pool.submit(
                  () -> {
                    ready.countDown();
                    go.await();
                    store.save(key, blob, TTL);
                    return null;
                  }));
        }
        assertThat(ready.await(30, TimeUnit.SECONDS)).as("writers ready").isTrue();
        go.countDown();
        for (Future<?> f : futures) {
          f.get(60, TimeUnit.SECONDS);
        }

        byte[] stored = store.loadAndTouch(key, TTL).orElseThrow();
        assertThat(blobs.stream().anyMatch(b -> Arrays.equals(b, stored)))
            .as("round %d: the stored blob is exactly one writer's blob", round)
            .isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
