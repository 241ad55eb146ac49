package io.sessionstate.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A flood of new sessions, as a client that never sends its cookie back would make: the store must
 * stay within its bound in bytes rather than grow with the flood.
 */
class MemorySessionStoreFloodTest {
  private static final long BOUND = 64L << 20;
  private static final int SESSIONS = 1_000_000;
  private static final int BLOB_BYTES = 1024;

  @Test
  void flood_ofNewSessions_staysWithinTheBound() {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    ByteBuffer keyBytes = ByteBuffer.allocate(16);
    long tolerance = BOUND / 100;
    long peak = 0;
    try (MemorySessionStore store = MemorySessionStore.builder().maximumBytes(BOUND).build()) {
      byte[] blob = new byte[BLOB_BYTES];
      for (int i = 0; i < SESSIONS; i++) {
        keyBytes.clear();
        keyBytes.putLong(0x5e55_1011L).putLong(i);
        blob[i % BLOB_BYTES] ^= 1;
        store.save(encoder.encodeToString(keyBytes.array()), blob, Duration.ofMinutes(20));

        if (i % 100 == 0) {
          long used = store.usedBytes();
          peak = Math.max(peak, used);
          assertThat(used).as("usedBytes after save %d", i).isLessThanOrEqualTo(BOUND + tolerance);
        }
      }

      assertThat(store.usedBytes()).isLessThanOrEqualTo(BOUND + tolerance);
      // Full, not starved: the bound is used, and holds only a small part of the flood.
      assertThat(peak).isGreaterThan(BOUND / 2);
      assertThat(store.sessionCount()).isLessThan(SESSIONS / 10);
    }
  }
}
