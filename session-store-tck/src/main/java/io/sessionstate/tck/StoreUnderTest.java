package io.sessionstate.tck;

import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * The hooks every contract in this suite runs on: the store of the running test and a clock the
 * test can move. A store's test class implements them once, together with each contract the store
 * supports; the contracts extend this interface.
 *
 * <p>JUnit makes a new instance of the test class for each test (its default lifecycle, which the
 * suite needs), so a store held in a field is a new store for each test. The suite closes it after
 * the test; closing it twice must do nothing.
 *
 * <p>The suite uses only spans of seconds or more around expiry, so a server's clock granularity
 * does not matter. It calls the hooks only on the test's own thread, so a store made lazily on the
 * first call to {@link #store()} needs no lock. Not thread-safe: one instance serves one test.
 */
public interface StoreUnderTest {

  /**
   * The store of the running test: the same instance on every call during one test, new and empty
   * for each test. A store over a shared server must start empty, for example under a key prefix or
   * a table of its own.
   *
   * @return the store; never null
   */
  SessionStore store();

  /**
   * Moves the store's notion of time forward by {@code duration}, as if that much time had passed,
   * so that no test sleeps: an entry whose remaining time to live is at most {@code duration} is
   * gone afterwards, every other entry has that much less left. An in-process store advances a fake
   * ticker; a store over a server rewrites what the server keeps (Redis: lower each key's PTTL,
   * deleting keys that reach zero; PostgreSQL: move the expiry column back).
   *
   * @param duration a positive span
   */
  void elapse(Duration duration);

  /**
   * How much later than its time to live an entry of this store may expire: zero (the default) for
   * a store that sets every expiry exactly. A store that slides lazily, writing an expiry a little
   * past now + ttl so that a load soon after need not write again, returns its margin for {@code
   * ttl}. The suite then checks both ends: an entry is still there just before its time to live and
   * gone just after its time to live plus this margin, and the server's time to live lies between
   * the two.
   *
   * @param ttl the time to live a store call was given
   * @return the margin, zero or positive
   */
  default Duration expiryMargin(Duration ttl) {
    return Duration.ZERO;
  }

  /** {@code ttl} plus {@link #expiryMargin(Duration)} plus a second: an entry is gone by then. */
  default Duration pastExpiry(Duration ttl) {
    return ttl.plus(expiryMargin(ttl)).plusSeconds(1);
  }

  /** Closes the store after each test; a store closed by the test itself is closed again. */
  @AfterEach
  default void closeStoreUnderTest() {
    store().close();
  }
}
