package io.sessionstate.tck;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that counts each call and passes it on to the store under test, so the contract suite can
 * count the round trips the session manager makes. It is a decorator, not a mock: every call
 * reaches the real store. Thread-safe; nulls are passed on for the real store to reject.
 */
class CountingSessionStore implements SessionStore {
  private final SessionStore delegate;
  final AtomicInteger loads = new AtomicInteger();
  final AtomicInteger saves = new AtomicInteger();
  final AtomicInteger touches = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicInteger replaces = new AtomicInteger();

  /** Every key written by a save or a replace, in order, so tests can look at the raw store. */
  final List<String> writtenKeys = new CopyOnWriteArrayList<>();

  CountingSessionStore(SessionStore delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  /**
   * Wraps {@code store}, keeping its optional capabilities: the manager must take the same path
   * through a counted store as through the real one.
   */
  static CountingSessionStore wrap(SessionStore store) {
    return store instanceof ReplacingSessionStore replacing
        ? new Replacing(replacing)
        : new CountingSessionStore(store);
  }

  SessionStore delegate() {
    return delegate;
  }

  int calls() {
    return loads.get() + saves.get() + touches.get() + deletes.get() + replaces.get();
  }

  void reset() {
    loads.set(0);
    saves.set(0);
    touches.set(0);
    deletes.set(0);
    replaces.set(0);
    writtenKeys.clear();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    loads.incrementAndGet();
    return delegate.loadAndTouch(key, ttl);
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    saves.incrementAndGet();
    writtenKeys.add(key);
    delegate.save(key, blob, ttl);
  }

  @Override
  public void touch(String key, Duration ttl) {
    touches.incrementAndGet();
    delegate.touch(key, ttl);
  }

  @Override
  public void delete(String key) {
    deletes.incrementAndGet();
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

  private static final class Replacing extends CountingSessionStore
      implements ReplacingSessionStore {
    private final ReplacingSessionStore replacing;

    Replacing(ReplacingSessionStore delegate) {
      super(delegate);
      this.replacing = delegate;
    }

    @Override
    public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
      replaces.incrementAndGet();
      writtenKeys.add(newKey);
      replacing.replace(oldKey, newKey, blob, ttl);
    }
  }
}
