package io.sessionstate.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Index hygiene: 10,000 sessions of 100 principals expire, and each index entry leaves with its
 * cache entry, in the maintenance run that removes it; the cache removes expired entries in batches
 * of about a thousand per run, and every store write runs it.
 */
class MemoryPrincipalIndexHygieneTest {
  private static final int SESSIONS = 10_000;
  private static final int PRINCIPALS = 100;

  @Test
  void tenThousandExpiringSessions_leaveTheIndexWithTheirEntries_withinElevenWrites() {
    AtomicLong nanos = new AtomicLong();
    try (MemorySessionStore store = MemorySessionStore.builder().ticker(nanos::get).build()) {
      for (int i = 0; i < SESSIONS; i++) {
        String key = UUID.randomUUID().toString();
        // Spread over 10 minutes of idle timeouts, as sessions signed in at different times.
        Duration ttl = Duration.ofMinutes(20).plusSeconds(i % 600);
        store.save(key, new byte[64], ttl);
        store.index("user-" + (i % PRINCIPALS), key, null, ttl);
      }
      assertThat(store.indexedKeys()).isEqualTo(SESSIONS);

      nanos.addAndGet(Duration.ofMinutes(31).toNanos());
      // The cache removes expired entries in batches, one per maintenance run, which each write
      // triggers; each removal takes the key's index entry with it, in the same run.
      int writes = 0;
      while (store.indexedKeys() > 0 && writes < 100) {
        store.save("unrelated", new byte[1], Duration.ofMinutes(20));
        writes++;
        assertThat((long) store.indexedKeys()).isLessThanOrEqualTo(store.sessionCount());
      }
      System.out.printf(
          "memory index hygiene: %d expired sessions of %d principals left the index"
              + " after %d store writes%n",
          SESSIONS, PRINCIPALS, writes);

      assertThat(store.indexedKeys()).isZero();
      assertThat(writes).isLessThanOrEqualTo(SESSIONS / 1000 + 1);
      assertThat(store.sessionsOf("user-7")).isEmpty();
    }
  }
}
