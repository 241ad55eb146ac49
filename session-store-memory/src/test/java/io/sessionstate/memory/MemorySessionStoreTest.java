package io.sessionstate.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.module.ModuleDescriptor;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemorySessionStoreTest {
  private static final Duration TTL = Duration.ofMinutes(20);
  private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAA";

  private final AtomicLong nanos = new AtomicLong();

  private MemorySessionStore store() {
    return MemorySessionStore.builder().ticker(nanos::get).build();
  }

  @Test
  void maximumBytes_negative_isRejected() {
    assertThatThrownBy(() -> MemorySessionStore.builder().maximumBytes(-1))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumBytes must be positive: -1");
  }

  @Test
  void maximumBytes_zero_isRejected() {
    assertThatThrownBy(() -> MemorySessionStore.builder().maximumBytes(0))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumBytes must be positive: 0");
  }

  @Test
  void ticker_null_isRejected() {
    assertThatThrownBy(() -> MemorySessionStore.builder().ticker(null))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("ticker");
  }

  @Test
  void ticker_isAnyNanosecondSource_andDrivesTheSlidingExpiry() {
    long[] now = {0};
    try (MemorySessionStore store = MemorySessionStore.builder().ticker(() -> now[0]).build()) {
      store.save(KEY, new byte[] {1}, Duration.ofSeconds(10));
      now[0] = Duration.ofSeconds(9).toNanos();
      assertThat(store.loadAndTouch(KEY, Duration.ofSeconds(10))).isPresent();
      now[0] += Duration.ofSeconds(10).toNanos();
      assertThat(store.loadAndTouch(KEY, Duration.ofSeconds(10))).isEmpty();
    }
  }

  @Test
  void module_readsCaffeine_withoutHandingItToCallers() {
    ModuleDescriptor module = MemorySessionStore.class.getModule().getDescriptor();
    assertThat(module).as("tests run on the module path").isNotNull();
    assertThat(module.requires())
        .filteredOn(r -> r.name().equals("com.github.benmanes.caffeine"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.modifiers())
                    .doesNotContain(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
  }

  @Test
  void builder_defaults_boundIs128MiB() {
    try (MemorySessionStore store = MemorySessionStore.builder().build()) {
      assertThat(store.maximumBytes()).isEqualTo(128L << 20);
    }
  }

  @Test
  void builder_maximumBytes_isKept() {
    try (MemorySessionStore store = MemorySessionStore.builder().maximumBytes(4096).build()) {
      assertThat(store.maximumBytes()).isEqualTo(4096);
    }
  }

  @Test
  void store_describesItself() {
    try (MemorySessionStore store = store()) {
      assertThat(store.name()).isEqualTo("memory");
      assertThat(store.isNonBlocking()).isTrue();
      assertThat(store.isExternallyWritable()).isFalse();
    }
  }

  @Test
  void save_copiesTheInput() {
    try (MemorySessionStore store = store()) {
      byte[] blob = {1, 2, 3};

      store.save(KEY, blob, TTL);
      blob[0] = 9;

      assertThat(store.loadAndTouch(KEY, TTL))
          .hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
    }
  }

  @Test
  void loadAndTouch_returnsAFreshCopyEachTime() {
    try (MemorySessionStore store = store()) {
      store.save(KEY, new byte[] {1, 2, 3}, TTL);

      byte[] first = store.loadAndTouch(KEY, TTL).orElseThrow();
      byte[] second = store.loadAndTouch(KEY, TTL).orElseThrow();
      Arrays.fill(first, (byte) 9);

      assertThat(second).isNotSameAs(first).containsExactly(1, 2, 3);
      assertThat(store.loadAndTouch(KEY, TTL))
          .hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
    }
  }

  @Test
  void save_nullArguments_throwNullPointerException() {
    try (MemorySessionStore store = store()) {
      assertThatThrownBy(() -> store.save(null, new byte[0], TTL))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("key");
      assertThatThrownBy(() -> store.save(KEY, null, TTL))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("blob");
      assertThatThrownBy(() -> store.save(KEY, new byte[0], null))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("ttl");
      assertThatThrownBy(() -> store.loadAndTouch(null, TTL))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("key");
      assertThatThrownBy(() -> store.replace(null, KEY, new byte[0], TTL))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("oldKey");
    }
  }

  @Test
  void save_nonPositiveTtl_isRejected() {
    try (MemorySessionStore store = store()) {
      assertThatThrownBy(() -> store.save(KEY, new byte[0], Duration.ZERO))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("ttl must be positive: PT0S");
      assertThatThrownBy(() -> store.touch(KEY, Duration.ofSeconds(-5)))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("ttl must be positive: PT-5S");
      assertThat(store.sessionCount()).isZero();
    }
  }

  @Test
  void save_ttlBeyondNanosecondRange_keepsTheEntry() {
    try (MemorySessionStore store = store()) {
      store.save(KEY, new byte[] {1}, Duration.ofDays(365L * 1_000));

      nanos.addAndGet(Duration.ofDays(365L * 10).toNanos());

      assertThat(store.loadAndTouch(KEY, TTL)).isPresent();
    }
  }

  @Test
  void replace_sameKey_keepsTheNewBlob() {
    try (MemorySessionStore store = store()) {
      store.save(KEY, new byte[] {1}, TTL);

      store.replace(KEY, KEY, new byte[] {2}, TTL);

      assertThat(store.loadAndTouch(KEY, TTL))
          .hasValueSatisfying(b -> assertThat(b).containsExactly(2));
    }
  }

  @Test
  void usedBytes_weighsBlobKeyAndOverhead() {
    try (MemorySessionStore store = store()) {
      store.save(KEY, new byte[1000], TTL);

      assertThat(store.usedBytes())
          .isEqualTo(1000 + 2L * KEY.length() + MemorySessionStore.ENTRY_OVERHEAD_BYTES);
      assertThat(store.sessionCount()).isEqualTo(1);

      store.delete(KEY);

      assertThat(store.usedBytes()).isZero();
      assertThat(store.sessionCount()).isZero();
    }
  }

  @Test
  void save_overTheBound_evictsBeforeReturning() {
    long bound = 100 * (1024 + 2L * 22 + MemorySessionStore.ENTRY_OVERHEAD_BYTES);
    try (MemorySessionStore store =
        MemorySessionStore.builder().maximumBytes(bound).ticker(nanos::get).build()) {
      for (int i = 0; i < 1_000; i++) {
        store.save(String.format("%022d", i), new byte[1024], TTL);

        assertThat(store.usedBytes()).as("after save %d", i).isLessThanOrEqualTo(bound);
      }
      assertThat(store.sessionCount()).isBetween(1L, 100L);
    }
  }

  @Test
  void blob_heavierThanTheBound_isNotKept() {
    try (MemorySessionStore store =
        MemorySessionStore.builder().maximumBytes(1024).ticker(nanos::get).build()) {
      store.save(KEY, new byte[4096], TTL);

      assertThat(store.loadAndTouch(KEY, TTL)).isEmpty();
      assertThat(store.usedBytes()).isZero();
    }
  }

  @Test
  void close_dropsEverySession() {
    MemorySessionStore store = store();
    store.save(KEY, new byte[] {1}, TTL);

    store.close();

    assertThat(store.usedBytes()).isZero();
    assertThat(store.sessionCount()).isZero();
  }

  @Test
  void usedBytes_dropsWhenExpiredEntriesAreRemoved() {
    try (MemorySessionStore store = store()) {
      store.save(KEY, new byte[1000], TTL);
      nanos.addAndGet(TTL.plusSeconds(1).toNanos());

      // Expired entries are removed during maintenance, which the next write runs.
      store.save("BBBBBBBBBBBBBBBBBBBBBB", new byte[0], TTL);

      assertThat(store.usedBytes()).isEqualTo(2L * 22 + MemorySessionStore.ENTRY_OVERHEAD_BYTES);
    }
  }
}
