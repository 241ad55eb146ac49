package io.sessionstate.tck;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SessionStore} must pass: the store's own promises (absence is a value,
 * copies, overwrites, sliding expiry, binary safety, atomic saves) and the session rules that rest
 * on them, checked through a real {@link SessionManager} with every store call counted.
 *
 * <p>A store module runs it with one small subclass in its test sources:
 *
 * <pre>{@code
 * class MemorySessionStoreContractTest extends SessionStoreContract {
 *   private final AtomicLong nanos = new AtomicLong();
 *
 *   @Override
 *   protected SessionStore createStore() {
 *     return MemorySessionStore.builder().ticker(nanos::get).build();
 *   }
 *
 *   @Override
 *   protected void elapse(Duration duration) {
 *     nanos.addAndGet(duration.toNanos());
 *   }
 * }
 * }</pre>
 *
 * <p>The hooks:
 *
 * <ul>
 *   <li>{@link #createStore()} returns a new, empty store for each test. The suite closes it after
 *       the test, exactly once (through {@link SessionManager#close()} when the test built a
 *       manager). A store over a shared server must start empty, for example under a prefix or a
 *       database of its own, or after flushing what earlier tests left.
 *   <li>{@link #elapse(Duration)} moves the store's notion of time forward by the given span, so
 *       that no test sleeps: an entry whose remaining time to live is at most the span must be gone
 *       afterwards, and every other entry must have that much less time left. An in-process store
 *       advances a fake ticker; a store over a server rewrites what the server keeps (Redis: lower
 *       each key's PTTL, deleting keys that reach zero; SQL: move the expiry column back).
 * </ul>
 *
 * <p>The suite uses only spans of seconds or more around expiry, so a server's clock granularity
 * does not matter. The test that needs {@link ReplacingSessionStore} is skipped, not failed, for a
 * store without it. Subclasses may add tests of their own and reach the store through {@link
 * #store()}.
 *
 * <p>Not thread-safe: JUnit creates one instance per test.
 */
public abstract class SessionStoreContract {

  /** The time to live the store tests use: long against the one-second margins around it. */
  private static final Duration TTL = Duration.ofMinutes(10);

  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(20);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private SessionStore store;
  private CountingSessionStore counting;
  private SessionManager manager;

  protected SessionStoreContract() {}

  /**
   * Returns a new, empty store for one test. The suite closes it when the test ends.
   *
   * @return the store under test; never null
   */
  protected abstract SessionStore createStore();

  /**
   * Moves the store's notion of time forward by {@code duration}, as if that much time had passed:
   * entries whose time to live runs out within it are gone afterwards, the others keep the rest.
   *
   * @param duration a positive span
   */
  protected abstract void elapse(Duration duration);

  /** The store of the running test, as {@link #createStore()} made it. */
  protected final SessionStore store() {
    return store;
  }

  @BeforeEach
  public final void createStoreForTest() {
    store = requireNonNull(createStore(), "createStore() returned null");
  }

  @AfterEach
  public final void closeStoreAfterTest() {
    // The manager owns the store and closes it.
    if (manager != null) {
      manager.close();
    } else if (store != null) {
      store.close();
    }
  }

  // ---- the store on its own

  @Test
  public void name_isNotBlank() {
    assertThat(store.name()).isNotBlank();
  }

  @Test
  public void afterClose_everyOperationFails_sayingTheStoreIsClosed() {
    String key = newKey();
    store.save(key, randomBytes(10), TTL);
    store.close();
    store.close(); // a second close does nothing

    List<ThrowingCallable> calls = new ArrayList<>();
    calls.add(() -> store.loadAndTouch(key, TTL));
    calls.add(() -> store.save(key, randomBytes(10), TTL));
    calls.add(() -> store.touch(key, TTL));
    calls.add(() -> store.delete(key));
    if (store instanceof ReplacingSessionStore replacing) {
      calls.add(() -> replacing.replace(key, newKey(), randomBytes(10), TTL));
    }
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("the store is closed")
          .satisfies(
              e -> assertThat(((SessionStoreException) e).storeName()).isEqualTo(store.name()));
    }
  }

  @Test
  public void loadAndTouch_unknownKey_returnsEmpty() {
    assertThat(store.loadAndTouch(newKey(), TTL)).isEmpty();
  }

  @Test
  public void save_thenLoadAndTouch_returnsEqualBytes() {
    String key = newKey();
    byte[] blob = randomBytes(100);

    store.save(key, blob, TTL);

    assertThat(store.loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  public void save_copiesTheInput() {
    String key = newKey();
    byte[] blob = randomBytes(100);
    byte[] expected = blob.clone();

    store.save(key, blob, TTL);
    Arrays.fill(blob, (byte) 0);

    assertThat(store.loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(expected));
  }

  @Test
  public void loadAndTouch_returnsACopy() {
    String key = newKey();
    byte[] blob = randomBytes(100);
    store.save(key, blob, TTL);

    byte[] first = store.loadAndTouch(key, TTL).orElseThrow();
    Arrays.fill(first, (byte) 0);

    assertThat(store.loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  public void save_existingKey_overwrites() {
    String key = newKey();
    byte[] second = randomBytes(50);
    store.save(key, randomBytes(200), TTL);

    store.save(key, second, TTL);

    assertThat(store.loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(second));
  }

  @Test
  public void delete_existingKey_removesIt() {
    String key = newKey();
    store.save(key, randomBytes(10), TTL);

    store.delete(key);

    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  public void delete_missingKey_isANoOp() {
    String other = newKey();
    byte[] blob = randomBytes(10);
    store.save(other, blob, TTL);

    store.delete(newKey());

    assertThat(store.loadAndTouch(other, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  public void touch_missingKey_isANoOpAndCreatesNothing() {
    String key = newKey();

    store.touch(key, TTL);

    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  public void loadAndTouch_beforeTtl_returnsBlob() {
    String key = newKey();
    byte[] blob = randomBytes(10);
    store.save(key, blob, TTL);

    elapse(TTL.minus(SECOND));

    assertThat(store.loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  public void loadAndTouch_expiredKey_returnsEmpty() {
    String key = newKey();
    store.save(key, randomBytes(10), TTL);

    elapse(TTL.plus(SECOND));

    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  public void expiry_isPerKey() {
    String brief = newKey();
    String lasting = newKey();
    byte[] blob = randomBytes(10);
    store.save(brief, randomBytes(10), TTL);
    store.save(lasting, blob, TTL.multipliedBy(3));

    elapse(TTL.multipliedBy(2));

    assertThat(store.loadAndTouch(brief, TTL)).isEmpty();
    assertThat(store.loadAndTouch(lasting, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  public void loadAndTouch_slidesTheExpiry() {
    String key = newKey();
    byte[] blob = randomBytes(10);
    store.save(key, blob, TTL);
    elapse(TTL.minus(SECOND));
    assertThat(store.loadAndTouch(key, TTL)).isPresent();

    // Past the save's expiry, within the load's.
    elapse(TTL.minus(SECOND));
    assertThat(store.loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));

    elapse(TTL.plus(SECOND));
    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  public void loadAndTouch_shorterTtl_resetsRatherThanExtends() {
    String key = newKey();
    store.save(key, randomBytes(10), TTL.multipliedBy(6));
    assertThat(store.loadAndTouch(key, TTL)).isPresent();

    elapse(TTL.plus(SECOND));

    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  public void touch_slidesTheExpiry() {
    String key = newKey();
    byte[] blob = randomBytes(10);
    store.save(key, blob, TTL);
    elapse(TTL.minus(SECOND));

    store.touch(key, TTL);
    elapse(TTL.minus(SECOND));

    assertThat(store.loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
    elapse(TTL.plus(SECOND));
    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  public void touch_shorterTtl_resetsRatherThanExtends() {
    String key = newKey();
    store.save(key, randomBytes(10), TTL.multipliedBy(6));

    store.touch(key, TTL);
    elapse(TTL.plus(SECOND));

    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  public void touch_expiredKey_doesNotRevive() {
    String key = newKey();
    store.save(key, randomBytes(10), TTL);
    elapse(TTL.plus(SECOND));

    store.touch(key, TTL);

    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  public void save_existingKey_resetsTheTtl() {
    String key = newKey();
    byte[] second = randomBytes(10);
    store.save(key, randomBytes(10), TTL);
    elapse(TTL.minus(SECOND));

    store.save(key, second, TTL);
    elapse(TTL.minus(SECOND));

    assertThat(store.loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(second));
  }

  @Test
  public void save_shorterTtl_replacesTheLongerOne() {
    String key = newKey();
    store.save(key, randomBytes(10), TTL.multipliedBy(6));

    store.save(key, randomBytes(10), TTL);
    elapse(TTL.plus(SECOND));

    assertThat(store.loadAndTouch(key, TTL)).isEmpty();
  }

  @Test
  public void save_expiredKey_storesAfresh() {
    String key = newKey();
    byte[] blob = randomBytes(10);
    store.save(key, randomBytes(10), TTL);
    elapse(TTL.plus(SECOND));

    store.save(key, blob, TTL);
    elapse(TTL.minus(SECOND));

    assertThat(store.loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  public void save_emptyBlob_roundTripsAsPresent() {
    String key = newKey();

    store.save(key, new byte[0], TTL);

    assertThat(store.loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEmpty());
  }

  @Test
  public void save_largeBlob_roundTrips() {
    String key = newKey();
    byte[] blob = randomBytes(4 << 20);

    store.save(key, blob, TTL);

    assertThat(store.loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  public void save_everyByteValue_roundTrips() {
    String key = newKey();
    // Every byte value, in both orders, so that NULs, invalid UTF-8 and CR LF sit at both ends.
    byte[] blob = new byte[512];
    for (int i = 0; i < 256; i++) {
      blob[i] = (byte) i;
      blob[511 - i] = (byte) i;
    }

    store.save(key, blob, TTL);

    assertThat(store.loadAndTouch(key, TTL)).hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  public void keys_ofEveryBase64UrlCharacter_areDistinct() {
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

    blobs.forEach((key, blob) -> store.save(key, blob, TTL));

    blobs.forEach(
        (key, blob) ->
            assertThat(store.loadAndTouch(key, TTL))
                .as("key %s", key)
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob)));
  }

  @Test
  public void manyKeys_areIndependent() {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    for (int i = 0; i < 1_000; i++) {
      blobs.put(newKey(), randomBytes(1 + i % 64));
    }
    blobs.forEach((key, blob) -> store.save(key, blob, TTL));

    List<String> deleted = new ArrayList<>();
    int i = 0;
    for (String key : blobs.keySet()) {
      if (i++ % 3 == 0) {
        store.delete(key);
        deleted.add(key);
      }
    }

    i = 0;
    for (Map.Entry<String, byte[]> e : blobs.entrySet()) {
      Optional<byte[]> loaded = store.loadAndTouch(e.getKey(), TTL);
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

  @Test
  public void save_concurrentWritersToOneKey_leaveOneWholeBlob() throws Exception {
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

  @Test
  public void replace_movesTheBlob() {
    ReplacingSessionStore replacing = replacingStore();
    String oldKey = newKey();
    String newKey = newKey();
    byte[] blob = randomBytes(100);
    store.save(oldKey, randomBytes(100), TTL);

    replacing.replace(oldKey, newKey, blob, TTL);

    assertThat(store.loadAndTouch(oldKey, TTL)).isEmpty();
    assertThat(store.loadAndTouch(newKey, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  public void replace_setsTheNewKeysTtl() {
    ReplacingSessionStore replacing = replacingStore();
    // Two moves at once: one is looked at before its expiry, the other only after it, since a
    // look slides the expiry it is checking.
    String oldBefore = newKey();
    String newBefore = newKey();
    String oldAfter = newKey();
    String newAfter = newKey();
    store.save(oldBefore, randomBytes(10), TTL.multipliedBy(6));
    store.save(oldAfter, randomBytes(10), TTL.multipliedBy(6));
    replacing.replace(oldBefore, newBefore, randomBytes(10), TTL);
    replacing.replace(oldAfter, newAfter, randomBytes(10), TTL);

    elapse(TTL.minus(SECOND));
    assertThat(store.loadAndTouch(newBefore, TTL)).isPresent();

    elapse(SECOND.multipliedBy(2));
    assertThat(store.loadAndTouch(newAfter, TTL)).isEmpty();
  }

  @Test
  public void replace_missingOldKey_storesTheNewKey() {
    ReplacingSessionStore replacing = replacingStore();
    String oldKey = newKey();
    String newKey = newKey();
    byte[] blob = randomBytes(100);

    replacing.replace(oldKey, newKey, blob, TTL);

    assertThat(store.loadAndTouch(oldKey, TTL)).isEmpty();
    assertThat(store.loadAndTouch(newKey, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  // ---- sessions through the manager, every store call counted

  @Test
  public void request_thatNeverTouchesTheSession_makesNoStoreCallAndSetsNoCookie() {
    String cookie = establish("user", "ada");
    counting.reset();

    SessionResponse withCookie = manager.begin(cookie, false, () -> false).finish();
    SessionResponse withoutCookie = manager.begin(null, false, () -> false).finish();

    assertThat(counting.calls()).isZero();
    assertThat(withCookie.setCookie()).isEmpty();
    assertThat(withoutCookie.setCookie()).isEmpty();
  }

  @Test
  public void request_thatOnlyReadsAnExistingSession_makesOneLoad() {
    String cookie = establish("user", "ada");
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    assertThat(request.session().getString("user")).hasValue("ada");
    SessionResponse response = request.finish();

    assertThat(counting.loads).hasValue(1);
    assertThat(counting.calls()).isEqualTo(1);
    assertThat(response.setCookie()).isEmpty();
  }

  @Test
  public void request_thatModifiesAnExistingSession_makesOneLoadAndOneSave() {
    String cookie = establish("user", "ada");
    counting.reset();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().setString("theme", "dark");
    request.finish();

    assertThat(counting.loads).hasValue(1);
    assertThat(counting.saves).hasValue(1);
    assertThat(counting.calls()).isEqualTo(2);
    assertThat(read(cookie, "theme")).hasValue("dark");
  }

  @Test
  public void newSession_firstWrite_makesOneSaveAndSetsACookie() {
    manager();

    SessionRequest request = manager.begin(null, false, () -> false);
    request.session().setString("user", "ada");
    SessionResponse response = request.finish();

    assertThat(counting.saves).hasValue(1);
    assertThat(counting.calls()).isEqualTo(1);
    assertThat(response.setCookie()).isPresent();
  }

  @Test
  public void newSessions_thatAreOnlyRead_storeNothing() {
    manager();

    for (int i = 0; i < 100_000; i++) {
      SessionRequest request = manager.begin(null, false, () -> false);
      Session session = request.session();
      assertThat(session.getString("user")).isEmpty();
      assertThat(request.finish().setCookie()).isEmpty();
    }

    assertThat(counting.saves).hasValue(0);
    assertThat(counting.calls()).isZero();
  }

  @Test
  public void concurrentRequests_lastCommitWins() {
    String cookie = establish("seed", "1");
    SessionRequest a = manager.begin(cookie, false, () -> false);
    SessionRequest b = manager.begin(cookie, false, () -> false);
    assertThat(a.session().getString("seed")).hasValue("1");
    assertThat(b.session().getString("seed")).hasValue("1");

    a.session().setString("writer", "a");
    a.session().setString("onlyA", "a");
    b.session().setString("writer", "b");
    b.session().setString("onlyB", "b");
    a.finish();
    b.finish();

    SessionRequest c = manager.begin(cookie, false, () -> false);
    Session session = c.session();
    assertThat(session.keys()).containsExactly("seed", "writer", "onlyB");
    assertThat(session.getString("writer")).hasValue("b");
    assertThat(session.getString("onlyB")).hasValue("b");
    c.finish();
  }

  @Test
  public void session_idleForLongerThanTheIdleTimeout_isEmpty() {
    String cookie = establish("user", "ada");

    elapse(IDLE_TIMEOUT.plus(SECOND));

    SessionRequest request = manager.begin(cookie, false, () -> false);
    assertThat(request.session().keys()).isEmpty();
    request.finish();
  }

  @Test
  public void session_readWithinTheIdleTimeout_slidesIt() {
    String cookie = establish("user", "ada");

    elapse(IDLE_TIMEOUT.minus(SECOND));
    assertThat(read(cookie, "user")).hasValue("ada");
    elapse(IDLE_TIMEOUT.minus(SECOND));

    assertThat(read(cookie, "user")).hasValue("ada");
  }

  @Test
  public void regenerateId_movesTheContentsToANewKey() {
    String oldCookie = establish("user", "ada");
    String oldKey = lastWrittenKey();

    SessionRequest request = manager.begin(oldCookie, false, () -> false);
    request.session().regenerateId();
    String newCookie = cookieOf(request.finish());
    String newKey = lastWrittenKey();

    assertThat(newCookie).isNotEqualTo(oldCookie);
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(store.loadAndTouch(oldKey, IDLE_TIMEOUT)).isEmpty();
    assertThat(read(oldCookie, "user")).isEmpty();
    assertThat(read(newCookie, "user")).hasValue("ada");
  }

  @Test
  public void invalidate_deletesTheEntryAtOnce() {
    String cookie = establish("user", "ada");
    String key = lastWrittenKey();

    SessionRequest request = manager.begin(cookie, false, () -> false);
    request.session().invalidate();

    // Before the commit: a concurrent request must already find nothing.
    assertThat(store.loadAndTouch(key, IDLE_TIMEOUT)).isEmpty();
    SessionResponse response = request.finish();
    assertThat(response.setCookie()).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
    assertThat(read(cookie, "user")).isEmpty();
  }

  // ---- helpers

  private ReplacingSessionStore replacingStore() {
    assumeTrue(
        store instanceof ReplacingSessionStore,
        () -> store.name() + " store does not implement ReplacingSessionStore");
    return (ReplacingSessionStore) store;
  }

  /** The manager over the counted store, built on first use; the suite closes it. */
  private SessionManager manager() {
    if (manager == null) {
      byte[] secret = new byte[KeyRing.MIN_SECRET_BYTES];
      RANDOM.nextBytes(secret);
      counting = CountingSessionStore.wrap(store);
      manager =
          SessionManager.builder()
              .store(counting)
              .keyRing(KeyRing.builder().addKey("k1", secret).build())
              .idleTimeout(IDLE_TIMEOUT)
              .build();
    }
    return manager;
  }

  /** Runs a request that starts a session holding one value; returns the next request's cookie. */
  private String establish(String key, String value) {
    SessionRequest request = manager().begin(null, false, () -> false);
    request.session().setString(key, value);
    return cookieOf(request.finish());
  }

  /** Runs a request that reads one value. */
  private Optional<String> read(String cookie, String key) {
    SessionRequest request = manager().begin(cookie, false, () -> false);
    Optional<String> value = request.session().getString(key);
    request.finish();
    return value;
  }

  private String lastWrittenKey() {
    assertThat(counting.writtenKeys).isNotEmpty();
    return counting.writtenKeys.get(counting.writtenKeys.size() - 1);
  }

  /**
   * The {@code Cookie} header the browser sends back: the {@code Set-Cookie} up to its first ';'.
   */
  private static String cookieOf(SessionResponse response) {
    String setCookie = response.setCookie().orElseThrow();
    int semicolon = setCookie.indexOf(';');
    return semicolon < 0 ? setCookie : setCookie.substring(0, semicolon);
  }

  private static String newKey() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(RANDOM.nextLong()).nextBytes(bytes);
    return bytes;
  }
}
