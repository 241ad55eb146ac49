package io.sessionstate.servlet;

import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store (the memory store) behind a decorator that counts every call and, when told to,
 * fails every call the way a store that lost its server would.
 */
final class CountingStore implements SessionStore {
  private final SessionStore delegate;
  final AtomicInteger loads = new AtomicInteger();
  final AtomicInteger saves = new AtomicInteger();
  final AtomicInteger touches = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicBoolean failing = new AtomicBoolean();

  CountingStore(SessionStore delegate) {
    this.delegate = delegate;
  }

  int calls() {
    return loads.get() + saves.get() + touches.get() + deletes.get();
  }

  int writes() {
    return saves.get() + touches.get() + deletes.get();
  }

  private void maybeFail(String operation) {
    if (failing.get()) {
      throw new IllegalStateException("test store is down (" + operation + ")");
    }
  }

  @Override
  public String name() {
    return "counting-" + delegate.name();
  }

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    loads.incrementAndGet();
    maybeFail("load");
    return delegate.loadAndTouch(key, ttl);
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    saves.incrementAndGet();
    maybeFail("save");
    delegate.save(key, blob, ttl);
  }

  @Override
  public void touch(String key, Duration ttl) {
    touches.incrementAndGet();
    maybeFail("touch");
    delegate.touch(key, ttl);
  }

  @Override
  public void delete(String key) {
    deletes.incrementAndGet();
    maybeFail("delete");
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
}
