package io.sessionstate.memory;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Expiry;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * What {@link MemorySessionStore} keeps under one key: a blob, its version and the time to live it
 * was given, which the expiry policy reads; a tombstone is an entry without a blob. Every write
 * through the store advances the version, so a conditional save compares versions, never blobs. The
 * rules of a conditional write over an entry, its weight and its expiry live here beside it.
 * Immutable.
 */
record MemoryEntry(byte[] blob, long version, long ttlNanos, boolean tombstone) {
  private static final byte[] NO_BLOB = new byte[0];

  static MemoryEntry live(byte[] blob, long version, long ttlNanos) {
    return new MemoryEntry(blob, version, ttlNanos, false);
  }

  static MemoryEntry tombstone(long version, long ttlNanos) {
    return new MemoryEntry(NO_BLOB, version, ttlNanos, true);
  }

  MemoryEntry withTtl(long ttl) {
    return new MemoryEntry(blob, version, ttl, tombstone);
  }

  /**
   * Null when {@code current} meets {@code condition} and the write may go ahead; otherwise the
   * outcome that refuses it. A tombstone refuses every condition.
   */
  static @Nullable Outcome check(Condition condition, @Nullable MemoryEntry current) {
    if (current != null && current.tombstone) {
      return Outcome.gone();
    }
    return switch (condition.kind()) {
      case VERSION -> {
        if (current == null) {
          yield Outcome.gone();
        }
        yield current.version == condition.version()
            ? null
            : Outcome.conflict(current.blob, current.version);
      }
      case EXISTS -> current == null ? Outcome.gone() : null;
      case ABSENT -> current == null ? null : Outcome.conflict(current.blob, current.version);
      case NOT_INVALIDATED -> null;
    };
  }

  /** One past the current version, so versions under one key only grow while it is held. */
  static long nextVersion(@Nullable MemoryEntry current) {
    return current == null ? 1 : current.version + 1;
  }

  /** The entry's weight against the store's bound, as {@link MemorySessionStore} describes it. */
  static int weigh(String key, MemoryEntry entry) {
    long weight =
        (long) entry.blob.length + 2L * key.length() + MemorySessionStore.ENTRY_OVERHEAD_BYTES;
    return (int) Math.min(weight, Integer.MAX_VALUE);
  }

  /**
   * The function of a conditional save's {@code compute}, which keeps its outcome: one object per
   * save rather than a function and a holder for what it decided.
   */
  static final class ConditionalSave
      implements BiFunction<String, @Nullable MemoryEntry, @Nullable MemoryEntry> {
    private final Condition condition;
    private final byte[] blob;
    private final long ttlNanos;
    private @Nullable Outcome outcome;

    ConditionalSave(Condition condition, byte[] blob, long ttlNanos) {
      this.condition = condition;
      this.blob = blob;
      this.ttlNanos = ttlNanos;
    }

    @Override
    public @Nullable MemoryEntry apply(String key, @Nullable MemoryEntry current) {
      outcome = check(condition, current);
      if (outcome != null) {
        return current;
      }
      long version = nextVersion(current);
      outcome = Outcome.saved(version);
      return live(blob, version, ttlNanos);
    }

    /** What the save decided; compute always runs the function, which sets it on every path. */
    Outcome outcome() {
      return requireNonNull(outcome, "outcome");
    }
  }

  /** Each entry lives for the time to live it was last written with; reads do not change it. */
  static final class SlidingExpiry implements Expiry<String, MemoryEntry> {
    @Override
    public long expireAfterCreate(String key, MemoryEntry entry, long currentTime) {
      return entry.ttlNanos;
    }

    @Override
    public long expireAfterUpdate(
        String key, MemoryEntry entry, long currentTime, long currentDuration) {
      return entry.ttlNanos;
    }

    @Override
    public long expireAfterRead(
        String key, MemoryEntry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
