package io.sessionstate.tck;

import static io.sessionstate.tck.TestData.SECOND;
import static io.sessionstate.tck.TestData.TTL;
import static io.sessionstate.tck.TestData.newKey;
import static io.sessionstate.tck.TestData.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.ReplacingSessionStore;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ReplacingSessionStore}, for a store that can move a session to a new key
 * in one operation: the old key is gone, the new one holds the blob with the new time to live.
 */
public interface ReplacingSessionStoreContract extends StoreUnderTest {

  /** {@inheritDoc} */
  @Override
  ReplacingSessionStore store();

  @Test
  default void replace_movesTheBlob() {
    ReplacingSessionStore store = store();
    String oldKey = newKey();
    String newKey = newKey();
    byte[] blob = randomBytes(100);
    store.save(oldKey, randomBytes(100), TTL);

    store.replace(oldKey, newKey, blob, TTL);

    assertThat(store.loadAndTouch(oldKey, TTL)).isEmpty();
    assertThat(store.loadAndTouch(newKey, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  default void replace_setsTheNewKeysTtl() {
    ReplacingSessionStore store = store();
    // Two moves at once: one is looked at before its expiry, the other only after it, since a
    // look slides the expiry it is checking.
    String oldBefore = newKey();
    String newBefore = newKey();
    String oldAfter = newKey();
    String newAfter = newKey();
    store.save(oldBefore, randomBytes(10), TTL.multipliedBy(6));
    store.save(oldAfter, randomBytes(10), TTL.multipliedBy(6));
    store.replace(oldBefore, newBefore, randomBytes(10), TTL);
    store.replace(oldAfter, newAfter, randomBytes(10), TTL);

    elapse(TTL.minus(SECOND));
    assertThat(store.loadAndTouch(newBefore, TTL)).isPresent();

    elapse(pastExpiry(TTL).minus(TTL.minus(SECOND)));
    assertThat(store.loadAndTouch(newAfter, TTL)).isEmpty();
  }

  @Test
  default void replace_missingOldKey_storesTheNewKey() {
    ReplacingSessionStore store = store();
    String oldKey = newKey();
    String newKey = newKey();
    byte[] blob = randomBytes(100);

    store.replace(oldKey, newKey, blob, TTL);

    assertThat(store.loadAndTouch(oldKey, TTL)).isEmpty();
    assertThat(store.loadAndTouch(newKey, TTL))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(blob));
  }

  @Test
  default void afterClose_replaceFails_sayingTheStoreIsClosed() {
    ReplacingSessionStore store = store();
    String key = newKey();
    store.save(key, randomBytes(10), TTL);
    store.close();

    assertThatThrownBy(() -> store.replace(key, newKey(), randomBytes(10), TTL))
        .isInstanceOf(SessionStoreException.class)
        .hasMessageContaining("the store is closed")
        .satisfies(
            e -> assertThat(((SessionStoreException) e).storeName()).isEqualTo(store.name()));
  }
}
