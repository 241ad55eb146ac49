package io.sessionstate.tck;

import static io.sessionstate.tck.TestData.SECOND;
import static io.sessionstate.tck.TestData.TTL;
import static io.sessionstate.tck.TestData.newKey;
import static io.sessionstate.tck.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.spi.SessionStore;
import org.junit.jupiter.api.Test;

/**
 * The expiry half of the {@link SessionStore} SPI's contract: each key lives for the time to live
 * of its last save, load or touch, whether that is longer or shorter than before, and nothing
 * brings back or creates a key that is gone. Time moves only through {@link #elapse}, so no test
 * sleeps.
 *
 * <p>{@link SessionStoreContract} extends it, so a store's test class that implements that contract
 * runs these cases too: every store expires its sessions, and a store's suite cannot leave them
 * out.
 */
public interface SessionStoreExpiryContract extends StoreUnderTest {

  /** Touching a missing key does nothing and creates nothing. */
  @Test
  default void touch_missingKey_isANoOpAndCreatesNothing() {
    String key = newKey();

    store().touch(key, TTL);

    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  /** A blob loads while its time to live lasts. */
  @Test
  default void loadAndTouch_beforeTtl_returnsBlob() {
    String key = newKey();
    byte[] blob = randomBytes(10);
    store().save(key, blob, TTL);

    elapse(TTL.minus(SECOND));

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  /** A blob past its time to live loads as nothing. */
  @Test
  default void loadAndTouch_expiredKey_returnsEmpty() {
    String key = newKey();
    store().save(key, randomBytes(10), TTL);

    elapse(pastExpiry(TTL));

    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  /** Each key expires on its own time to live. */
  @Test
  default void expiry_isPerKey() {
    String brief = newKey();
    String lasting = newKey();
    byte[] blob = randomBytes(10);
    store().save(brief, randomBytes(10), TTL);
    store().save(lasting, blob, TTL.multipliedBy(3));

    elapse(TTL.multipliedBy(2));

    assertThat(store().loadAndTouch(brief, TTL)).isEmpty();
    assertThat(store().loadAndTouch(lasting, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  /** A load slides the key's expiry. */
  @Test
  default void loadAndTouch_slidesTheExpiry() {
    String key = newKey();
    byte[] blob = randomBytes(10);
    store().save(key, blob, TTL);
    elapse(TTL.minus(SECOND));
    assertThat(store().loadAndTouch(key, TTL)).isPresent();

    // Past the save's expiry, within the load's.
    elapse(TTL.minus(SECOND));
    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));

    elapse(pastExpiry(TTL));
    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  /** A load with a shorter time to live shortens the expiry instead of keeping the longer one. */
  @Test
  default void loadAndTouch_shorterTtl_resetsRatherThanExtends() {
    String key = newKey();
    store().save(key, randomBytes(10), TTL.multipliedBy(6));
    assertThat(store().loadAndTouch(key, TTL)).isPresent();

    elapse(pastExpiry(TTL));

    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  /** A touch slides the key's expiry. */
  @Test
  default void touch_slidesTheExpiry() {
    String key = newKey();
    byte[] blob = randomBytes(10);
    store().save(key, blob, TTL);
    elapse(TTL.minus(SECOND));

    store().touch(key, TTL);
    elapse(TTL.minus(SECOND));

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
    elapse(pastExpiry(TTL));
    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  /** A touch with a shorter time to live shortens the expiry instead of keeping the longer one. */
  @Test
  default void touch_shorterTtl_resetsRatherThanExtends() {
    String key = newKey();
    store().save(key, randomBytes(10), TTL.multipliedBy(6));

    store().touch(key, TTL);
    elapse(pastExpiry(TTL));

    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  /** Touching an expired key does not bring it back. */
  @Test
  default void touch_expiredKey_doesNotRevive() {
    String key = newKey();
    store().save(key, randomBytes(10), TTL);
    elapse(pastExpiry(TTL));

    store().touch(key, TTL);

    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  /** A save over an existing key resets its time to live. */
  @Test
  default void save_existingKey_resetsTheTtl() {
    String key = newKey();
    byte[] second = randomBytes(10);
    store().save(key, randomBytes(10), TTL);
    elapse(TTL.minus(SECOND));

    store().save(key, second, TTL);
    elapse(TTL.minus(SECOND));

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(second));
  }

  /** A save with a shorter time to live replaces the longer one. */
  @Test
  default void save_shorterTtl_replacesTheLongerOne() {
    String key = newKey();
    store().save(key, randomBytes(10), TTL.multipliedBy(6));

    store().save(key, randomBytes(10), TTL);
    elapse(pastExpiry(TTL));

    assertThat(store().loadAndTouch(key, TTL)).isEmpty();
  }

  /** A save over an expired key stores the blob afresh. */
  @Test
  default void save_expiredKey_storesAfresh() {
    String key = newKey();
    byte[] blob = randomBytes(10);
    store().save(key, randomBytes(10), TTL);
    elapse(pastExpiry(TTL));

    store().save(key, blob, TTL);
    elapse(TTL.minus(SECOND));

    assertThat(store().loadAndTouch(key, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }
}
