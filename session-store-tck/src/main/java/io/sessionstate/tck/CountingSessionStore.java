package io.sessionstate.tck;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A store that counts each call and passes it on to a real store, so a test can count the round
 * trips a session manager makes; on request it fails every call, as a store that lost its server
 * would. It is a decorator, not a mock: unless told to fail, every call reaches the real store.
 *
 * <p>{@link #wrap(SessionStore)} keeps the optional capabilities of the store it wraps (a {@link
 * ReplacingSessionStore} stays one, and so does a versioned {@link PrincipalIndex}), so a manager
 * takes the same path through the counted store as through the real one.
 *
 * <p>Thread-safe. Arguments are passed on unchecked, for the real store to reject.
 */
public class CountingSessionStore implements SessionStore {
  private final SessionStore delegate;
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicInteger saves = new AtomicInteger();
  private final AtomicInteger touches = new AtomicInteger();
  private final AtomicInteger deletes = new AtomicInteger();
  private final AtomicInteger replaces = new AtomicInteger();
  final AtomicInteger indexCalls = new AtomicInteger();
  private final List<String> writtenKeys = new CopyOnWriteArrayList<>();
  private final AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();

  // Package-private: the only subclasses are the ones below and in CountingIndexes, chosen by
  // wrap().
  CountingSessionStore(SessionStore delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  /**
   * Counts the calls to {@code store}; the result implements {@link ReplacingSessionStore} and
   * {@link VersionedSessionStore} exactly when {@code store} does. A versioned call counts as its
   * plain counterpart: {@code loadVersioned} as a load, {@code saveIf} as a save, {@code
   * invalidate} as a delete and {@code replaceIf} as a replace, each one round trip.
   *
   * @param store the real store; closing the counting store closes it
   * @return a new counting store with every count at zero
   * @throws NullPointerException if {@code store} is null
   */
  public static CountingSessionStore wrap(SessionStore store) {
    if (store instanceof PrincipalIndex && store instanceof VersionedSessionStore) {
      return CountingIndexes.wrap(store);
    }
    if (store instanceof VersionedSessionStore versioned) {
      return store instanceof ReplacingSessionStore
          ? new ReplacingVersioned(versioned)
          : new Versioned(versioned);
    }
    return store instanceof ReplacingSessionStore replacing
        ? new Replacing(replacing)
        : new CountingSessionStore(store);
  }

  /**
   * The real store behind this one.
   *
   * @return the wrapped store
   */
  public SessionStore delegate() {
    return delegate;
  }

  /**
   * The number of {@code loadAndTouch} calls.
   *
   * @return the number of loads
   */
  public int loads() {
    return loads.get();
  }

  /**
   * The number of {@code save} calls.
   *
   * @return the number of saves
   */
  public int saves() {
    return saves.get();
  }

  /**
   * The number of {@code touch} calls.
   *
   * @return the number of touches
   */
  public int touches() {
    return touches.get();
  }

  /**
   * The number of {@code delete} calls.
   *
   * @return the number of deletes
   */
  public int deletes() {
    return deletes.get();
  }

  /**
   * The number of {@code replace} calls; always zero for a store that cannot replace.
   *
   * @return the number of replaces
   */
  public int replaces() {
    return replaces.get();
  }

  /**
   * The number of {@link PrincipalIndex} calls ({@code index}, {@code unindex}, {@code
   * sessionsOf}); always zero for a store without the capability.
   *
   * @return the number of index calls
   */
  public int indexCalls() {
    return indexCalls.get();
  }

  /**
   * Every call counted so far: loads, saves, touches, deletes, replaces and index calls.
   *
   * @return the number of calls of any kind
   */
  public int calls() {
    return loads() + saves() + touches() + deletes() + replaces() + indexCalls();
  }

  /**
   * The calls that change the store: saves, touches, deletes and replaces.
   *
   * @return the number of calls that change the store
   */
  public int writes() {
    return saves() + touches() + deletes() + replaces();
  }

  /**
   * Every key written by a save or a replace (the new key), oldest first, so a test can look at the
   * entry the manager wrote.
   *
   * @return an unmodifiable snapshot
   */
  public List<String> writtenKeys() {
    return List.copyOf(writtenKeys);
  }

  /**
   * The key of the latest save or replace.
   *
   * @return the key
   * @throws IllegalStateException before the first save or replace
   */
  public String lastWrittenKey() {
    List<String> keys = writtenKeys();
    if (keys.isEmpty()) {
      throw new IllegalStateException("no key has been written yet");
    }
    return keys.get(keys.size() - 1);
  }

  /** Sets every count to zero and forgets the written keys. */
  public void reset() {
    loads.set(0);
    saves.set(0);
    touches.set(0);
    deletes.set(0);
    replaces.set(0);
    indexCalls.set(0);
    writtenKeys.clear();
  }

  /**
   * From now on every call is counted and then fails with {@code failure} instead of reaching the
   * real store, until {@link #recover()}.
   *
   * @param failure what every call throws
   * @throws NullPointerException if {@code failure} is null
   */
  public void failWith(RuntimeException failure) {
    this.failure.set(requireNonNull(failure, "failure"));
  }

  /** Undoes {@link #failWith(RuntimeException)}: calls reach the real store again. */
  public void recover() {
    failure.set(null);
  }

  void enter(AtomicInteger counter) {
    counter.incrementAndGet();
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    enter(loads);
    return delegate.loadAndTouch(key, ttl);
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    enter(saves);
    writtenKeys.add(key);
    delegate.save(key, blob, ttl);
  }

  @Override
  public void touch(String key, Duration ttl) {
    enter(touches);
    delegate.touch(key, ttl);
  }

  @Override
  public void delete(String key) {
    enter(deletes);
    delegate.delete(key);
  }

  @Override
  public boolean isNonBlocking() {
    return delegate.isNonBlocking();
  }

  @Override
  public boolean isExternallyWritable() {
    return delegate.isExternallyWritable();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "CountingSessionStore{" + delegate.name() + "}";
  }

  static class Versioned extends CountingSessionStore implements VersionedSessionStore {
    private final VersionedSessionStore versioned;

    Versioned(VersionedSessionStore delegate) {
      super(delegate);
      this.versioned = delegate;
    }

    @Override
    public Stored loadVersioned(String key, Duration ttl) {
      super.enter(super.loads);
      return versioned.loadVersioned(key, ttl);
    }

    @Override
    public Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
      super.enter(super.saves);
      super.writtenKeys.add(key);
      return versioned.saveIf(key, condition, blob, ttl);
    }

    @Override
    public void invalidate(String key, Duration tombstoneTtl) {
      super.enter(super.deletes);
      versioned.invalidate(key, tombstoneTtl);
    }

    @Override
    public Outcome replaceIf(
        String oldKey,
        Condition condition,
        String newKey,
        byte[] blob,
        Duration ttl,
        Duration tombstoneTtl) {
      super.enter(super.replaces);
      super.writtenKeys.add(newKey);
      return versioned.replaceIf(oldKey, condition, newKey, blob, ttl, tombstoneTtl);
    }
  }

  static class ReplacingVersioned extends Versioned implements ReplacingSessionStore {
    private final ReplacingSessionStore replacing;

    ReplacingVersioned(VersionedSessionStore delegate) {
      super(delegate);
      this.replacing = (ReplacingSessionStore) delegate;
    }

    @Override
    public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
      // Private members are reached through the outer type: they are not inherited.
      CountingSessionStore counting = this;
      counting.enter(counting.replaces);
      counting.writtenKeys.add(newKey);
      replacing.replace(oldKey, newKey, blob, ttl);
    }
  }

  private static final class Replacing extends CountingSessionStore
      implements ReplacingSessionStore {
    private final ReplacingSessionStore replacing;

    Replacing(ReplacingSessionStore delegate) {
      super(delegate);
      this.replacing = delegate;
    }

    @Override
    public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
      super.enter(super.replaces);
      super.writtenKeys.add(newKey);
      replacing.replace(oldKey, newKey, blob, ttl);
    }
  }
}
