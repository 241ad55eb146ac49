package io.sessionstate.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CountingSessionStoreTest {
  private static final Duration TTL = Duration.ofMinutes(1);
  private final MapSessionStore real = new MapSessionStore(() -> 0L);

  @Test
  void wrap_keepsTheReplacingCapability_andOnlyThat() {
    SessionStore plain = new PlainStore(real);

    assertThat(CountingSessionStore.wrap(real)).isInstanceOf(ReplacingSessionStore.class);
    assertThat(CountingSessionStore.wrap(plain)).isNotInstanceOf(ReplacingSessionStore.class);
    // A store without versions does not gain them: a manager in MERGE mode refuses it.
    assertThat(CountingSessionStore.wrap(real)).isNotInstanceOf(VersionedSessionStore.class);
  }

  @Test
  void everyCall_isCountedAndReachesTheRealStore() {
    CountingSessionStore counting = CountingSessionStore.wrap(real);

    counting.save("a", new byte[] {1}, TTL);
    counting.loadAndTouch("a", TTL);
    counting.touch("a", TTL);
    ((ReplacingSessionStore) counting).replace("a", "b", new byte[] {2}, TTL);
    counting.delete("b");

    assertThat(counting.saves()).isEqualTo(1);
    assertThat(counting.loads()).isEqualTo(1);
    assertThat(counting.touches()).isEqualTo(1);
    assertThat(counting.replaces()).isEqualTo(1);
    assertThat(counting.deletes()).isEqualTo(1);
    assertThat(counting.calls()).isEqualTo(5);
    assertThat(counting.writes()).isEqualTo(4);
    assertThat(counting.writtenKeys()).containsExactly("a", "b");
    assertThat(counting.lastWrittenKey()).isEqualTo("b");
    assertThat(real.entries).isEmpty();

    counting.reset();
    assertThat(counting.calls()).isZero();
    assertThat(counting.writtenKeys()).isEmpty();
  }

  @Test
  void lastWrittenKey_beforeAnyWrite_throwsIllegalState() {
    assertThatThrownBy(() -> CountingSessionStore.wrap(real).lastWrittenKey())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("no key has been written yet");
  }

  @Test
  void failWith_countsEachCallAndThrows_untilRecover() {
    CountingSessionStore counting = CountingSessionStore.wrap(real);
    IllegalStateException down = new IllegalStateException("store is down");

    counting.failWith(down);

    assertThatThrownBy(() -> counting.save("a", new byte[] {1}, TTL)).isSameAs(down);
    assertThatThrownBy(() -> counting.loadAndTouch("a", TTL)).isSameAs(down);
    assertThat(counting.calls()).isEqualTo(2);
    assertThat(real.entries).isEmpty();

    counting.recover();
    counting.save("a", new byte[] {1}, TTL);
    assertThat(real.entries).containsKey("a");
  }

  /** Only the base SPI, to see that {@code wrap} adds no capability. */
  private record PlainStore(SessionStore delegate) implements SessionStore {
    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
      return delegate.loadAndTouch(key, ttl);
    }

    @Override
    public void save(String key, byte[] blob, Duration ttl) {
      delegate.save(key, blob, ttl);
    }

    @Override
    public void touch(String key, Duration ttl) {
      delegate.touch(key, ttl);
    }

    @Override
    public void delete(String key) {
      delegate.delete(key);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
