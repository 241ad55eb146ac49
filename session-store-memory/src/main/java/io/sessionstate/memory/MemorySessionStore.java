package io.sessionstate.memory;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A session store in this process's heap, over a Caffeine cache: each session expires after its own
 * sliding time to live, and the whole store is bounded in bytes, so a flood of new sessions evicts
 * sessions instead of exhausting the heap. Sessions do not survive a restart and are not shared
 * between nodes.
 *
 * <p>The bound counts each entry's <em>weight</em>: the blob's length, plus two bytes per character
 * of the key, plus a fixed {@value #ENTRY_OVERHEAD_BYTES} bytes for the objects that hold the entry
 * (the cache's node, the key string, the entry and the array headers). The default bound is {@value
 * #DEFAULT_MAXIMUM_BYTES} bytes (128 MiB). When the bound is passed, the cache evicts by its
 * W-TinyLFU policy on the thread that wrote, before the write returns, so {@link #usedBytes()}
 * never stays above the bound. Under that policy a session that is used often outlives a flood of
 * sessions that are written once and never read.
 *
 * <p>Thread-safe. Every method throws {@link NullPointerException} for a null argument. {@link
 * #save}, {@link #replace} and {@link #loadAndTouch} copy blobs on the way in and on the way out.
 * The versioned operations, which the session manager calls, do not: {@link #saveIf} and {@link
 * #replaceIf} keep the array they are given, which the caller must not change afterwards (the
 * manager never does), and {@link #loadVersioned} hands out a read-only view ({@link
 * Stored#blobView()}) or copies ({@link Stored#blob()}). A copy there would cost as much as the
 * rest of a request's cycle and guard nothing. The store never blocks, so sessions call it inline
 * ({@link #isNonBlocking()}), and nothing outside this process can write its blobs, so they carry
 * no integrity tag by default ({@link #isExternallyWritable()}). {@link #close()} drops every
 * session; every operation after it fails with {@link SessionStoreException}.
 *
 * <p>Versions and tombstones ({@link VersionedSessionStore}) live in each entry beside the blob;
 * every conditional save and tombstone is one atomic {@code compute} on the cache's map, so the
 * check and the write cannot be split by another thread. A tombstone weighs as an empty blob.
 */
public final class MemorySessionStore
    implements ReplacingSessionStore, VersionedSessionStore, PrincipalIndex {

  /** The default bound on the weight of all entries: 128 MiB. */
  public static final long DEFAULT_MAXIMUM_BYTES = 128L << 20;

  /**
   * The weight added to every entry for the objects around the blob and the key, an estimate for a
   * 64-bit JVM: the cache's node with its expiry fields (about 64 bytes), the key's {@code String}
   * and its array header (about 40), the entry object (about 24) and the blob's array header (16).
   * Without it, a flood of empty sessions would weigh almost nothing and still fill the heap.
   */
  public static final int ENTRY_OVERHEAD_BYTES = 160;

  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

  private final Cache<String, MemoryEntry> cache;
  private final Policy.VarExpiration<String, MemoryEntry> varExpiry;
  private final MemoryPrincipalIndex principals = new MemoryPrincipalIndex();
  private final long maximumBytes;
  private volatile boolean closed;

  private MemorySessionStore(Builder b) {
    this.maximumBytes = b.maximumBytes;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(b.maximumBytes)
            .weigher(MemoryEntry::weigh)
            .expireAfter(new MemoryEntry.SlidingExpiry())
            .ticker(b.nanoTime::getAsLong)
            // Maintenance (eviction to the bound, removal of expired entries) runs on the writing
            // thread, so the bound holds when a save returns rather than whenever a pool thread
            // gets to it; a flood cannot outrun it.
            .executor(Runnable::run)
            // A key whose entry leaves the cache leaves the principal index with it; a replaced
            // entry (a save, a tombstone) keeps its index entry, as the key still names it.
            .removalListener(
                (@Nullable String key, @Nullable MemoryEntry e, RemovalCause cause) -> {
                  if (key != null && cause != RemovalCause.REPLACED) {
                    principals.removed(key);
                  }
                })
            .build();
    this.varExpiry = cache.policy().expireVariably().orElseThrow();
  }

  /**
   * Starts a store's options from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    checkOpen("load");
    requireNonNull(key, "key");
    MemoryEntry entry = slide(key, ttlNanos(ttl));
    return entry == null || entry.tombstone()
        ? Optional.empty()
        : Optional.of(entry.blob().clone());
  }

  /**
   * Slides a live entry to {@code ttlNanos} and returns it; returns a tombstone as it is, with its
   * expiry untouched, and null for nothing.
   */
  private @Nullable MemoryEntry slide(String key, long ttlNanos) {
    // A tombstone is looked at first: replacing it, even with itself, would restart its time to
    // live. A live entry that turns into a tombstone between the two steps gets the slide's time to
    // live, which only keeps the signed-out key refused longer.
    MemoryEntry seen = cache.getIfPresent(key);
    if (seen == null || seen.tombstone()) {
      return seen;
    }
    if (seen.ttlNanos() == ttlNanos) {
      // The usual slide, by the time to live the entry was written with: the cache sets the
      // node's expiry in place, a read rather than a write of the map. A save in between keeps
      // its blob; it was given the same time to live, or this slide sets the one it asked for.
      varExpiry.setExpiresAfter(key, ttlNanos, TimeUnit.NANOSECONDS);
      return seen;
    }
    // Replacing the entry is what makes the cache call expireAfterUpdate with the new time to
    // live; computing does it atomically, so a concurrent save is never lost to a stale blob.
    return cache.asMap().computeIfPresent(key, (k, e) -> e.tombstone() ? e : e.withTtl(ttlNanos));
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    checkOpen("save");
    requireNonNull(key, "key");
    requireNonNull(blob, "blob");
    byte[] copy = blob.clone();
    long ttlNanos = ttlNanos(ttl);
    cache
        .asMap()
        .compute(key, (k, e) -> MemoryEntry.live(copy, MemoryEntry.nextVersion(e), ttlNanos));
  }

  @Override
  public void touch(String key, Duration ttl) {
    checkOpen("touch");
    requireNonNull(key, "key");
    slide(key, ttlNanos(ttl));
  }

  @Override
  public void delete(String key) {
    checkOpen("delete");
    requireNonNull(key, "key");
    cache.invalidate(key);
  }

  /**
   * Stores the blob under {@code newKey} and then removes {@code oldKey}. The two steps are not one
   * atomic operation: for a moment both keys are present.
   */
  @Override
  public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    checkOpen("replace");
    requireNonNull(oldKey, "oldKey");
    requireNonNull(newKey, "newKey");
    save(newKey, blob, ttl);
    if (!oldKey.equals(newKey)) {
      cache.invalidate(oldKey);
    }
  }

  /** One look at the entry, and a {@code compute} that slides a live one. */
  @Override
  public Stored loadVersioned(String key, Duration ttl) {
    checkOpen("load");
    requireNonNull(key, "key");
    MemoryEntry entry = slide(key, ttlNanos(ttl));
    if (entry == null) {
      return Stored.absent();
    }
    // No entry's array is ever written to, so it is handed out as it is, read-only.
    return entry.tombstone()
        ? Stored.tombstone()
        : Stored.presentUncopied(entry.blob(), entry.version());
  }

  /** One atomic {@code compute}: the check and the write see the same entry. */
  @Override
  public Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    checkOpen("save");
    requireNonNull(key, "key");
    requireNonNull(condition, "condition");
    requireNonNull(blob, "blob");
    MemoryEntry.ConditionalSave save =
        new MemoryEntry.ConditionalSave(condition, blob, ttlNanos(ttl));
    cache.asMap().compute(key, save);
    return save.outcome();
  }

  @Override
  public void invalidate(String key, Duration tombstoneTtl) {
    checkOpen("invalidate");
    requireNonNull(key, "key");
    long ttlNanos = ttlNanos(tombstoneTtl);
    cache
        .asMap()
        .compute(key, (k, e) -> MemoryEntry.tombstone(MemoryEntry.nextVersion(e), ttlNanos));
  }

  /**
   * An atomic {@code compute} on the old key that checks and leaves the tombstone, then a {@code
   * put} of the new key. Between the two, a reader of the old key finds the tombstone and a reader
   * of the new key finds nothing; no browser holds the new key yet.
   */
  @Override
  public Outcome replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl) {
    checkOpen("replace");
    requireNonNull(oldKey, "oldKey");
    requireNonNull(condition, "condition");
    requireNonNull(newKey, "newKey");
    requireNonNull(blob, "blob");
    if (oldKey.equals(newKey)) {
      throw new IllegalArgumentException("replaceIf needs two different keys");
    }
    long ttlNanos = ttlNanos(ttl);
    long tombstoneNanos = ttlNanos(tombstoneTtl);
    @Nullable Outcome[] outcome = new @Nullable Outcome[1];
    cache
        .asMap()
        .compute(
            oldKey,
            (k, e) -> {
              outcome[0] = MemoryEntry.check(condition, e);
              return outcome[0] != null
                  ? e
                  : MemoryEntry.tombstone(MemoryEntry.nextVersion(e), tombstoneNanos);
            });
    if (outcome[0] != null) {
      return outcome[0];
    }
    cache.put(newKey, MemoryEntry.live(blob, 1, ttlNanos));
    return Outcome.saved(1);
  }

  @Override
  public int index(String principal, String key, @Nullable String replacedKey, Duration ttl) {
    checkOpen("index");
    requireNonNull(principal, "principal");
    requireNonNull(key, "key");
    ttlNanos(ttl);
    return principals.index(principal, key, replacedKey);
  }

  @Override
  public void unindex(String principal, String key) {
    checkOpen("unindex");
    principals.remove(requireNonNull(principal, "principal"), requireNonNull(key, "key"));
  }

  /** Reads each indexed entry quietly (no slide); tombstones and gone keys leave the index. */
  @Override
  public List<IndexedSession> sessionsOf(String principal) {
    checkOpen("list");
    requireNonNull(principal, "principal");
    cache.cleanUp();
    List<IndexedSession> live = new ArrayList<>();
    var expiry = cache.policy().expireVariably().orElseThrow();
    for (String key : principals.keysOf(principal)) {
      MemoryEntry e = cache.policy().getIfPresentQuietly(key);
      var left = expiry.getExpiresAfter(key);
      if (e == null || e.tombstone() || left.isEmpty()) {
        principals.remove(principal, key);
      } else {
        live.add(new IndexedSession(key, e.blob(), left.get()));
      }
    }
    return live;
  }

  /** How many keys the principal index holds, stale ones included. */
  int indexedKeys() {
    return principals.size();
  }

  /** True: every call works on this process's heap. */
  @Override
  public boolean isNonBlocking() {
    return true;
  }

  /** False: the blobs live in this process's heap, where nothing outside it can write them. */
  @Override
  public boolean isExternallyWritable() {
    return false;
  }

  /**
   * {@return the weight of every entry, in bytes as {@linkplain MemorySessionStore described
   * above}; at most the bound once a write has returned} Expired entries count until the cache
   * removes them, which it does on later writes.
   */
  public long usedBytes() {
    return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  /** {@return the bound on {@link #usedBytes()}, as configured} */
  public long maximumBytes() {
    return maximumBytes;
  }

  /**
   * {@return an estimate of the number of sessions held; it may count expired ones not yet removed}
   */
  public long sessionCount() {
    return cache.estimatedSize();
  }

  /** Drops every session; every operation after this fails with {@link SessionStoreException}. */
  @Override
  public void close() {
    closed = true;
    cache.invalidateAll();
    cache.cleanUp();
    principals.clear();
  }

  @Override
  public String toString() {
    return "MemorySessionStore{maximumBytes=" + maximumBytes + "}";
  }

  private void checkOpen(String operation) {
    if (closed) {
      throw new SessionStoreException("memory", operation, "the store is closed", null);
    }
  }

  private static long ttlNanos(Duration ttl) {
    requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    // Caffeine caps an expiry at about 150 years; a longer one must not overflow on the way.
    return ttl.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : ttl.toNanos();
  }

  /**
   * Builds a {@link MemorySessionStore}. Every setter validates its argument at once. Not
   * thread-safe.
   */
  public static final class Builder {
    private long maximumBytes = DEFAULT_MAXIMUM_BYTES;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    /**
     * The bound on the weight of all sessions, in bytes; see {@link MemorySessionStore} for how an
     * entry is weighed. Default {@value MemorySessionStore#DEFAULT_MAXIMUM_BYTES} (128 MiB).
     *
     * @param maximumBytes the bound in bytes, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code maximumBytes} is not positive
     */
    public Builder maximumBytes(long maximumBytes) {
      if (maximumBytes <= 0) {
        throw new IllegalArgumentException("maximumBytes must be positive: " + maximumBytes);
      }
      this.maximumBytes = maximumBytes;
      return this;
    }

    /**
     * The time source for expiry: a reading in nanoseconds that only moves forward, of which only
     * differences count, as {@link System#nanoTime()} gives; for tests that move time without
     * sleeping. Default {@code System::nanoTime}.
     *
     * <p>A plain {@link LongSupplier} rather than a wall clock such as {@link
     * java.time.InstantSource}: a sliding expiry measures elapsed time, which a wall clock gets
     * wrong when it is set back or forward, and the cache reads it on every access, where an {@code
     * Instant} per read would cost an allocation.
     *
     * @param nanoTime the time source, in nanoseconds
     * @return this builder
     */
    public Builder ticker(LongSupplier nanoTime) {
      this.nanoTime = requireNonNull(nanoTime, "ticker");
      return this;
    }

    /**
     * Builds the store.
     *
     * @return the store, thread-safe
     */
    public MemorySessionStore build() {
      return new MemorySessionStore(this);
    }
  }
}
