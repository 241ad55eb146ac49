package io.sessionstate.servlet;

import io.sessionstate.spi.SessionStore;
import java.time.Duration;
import java.util.Optional;

/** Passes every call on to a real store, keeping the expiry of the last call that set one. */
final class TtlRecordingStore implements SessionStore {
  private final SessionStore delegate;
  volatile Duration lastTtl;

  TtlRecordingStore(SessionStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    lastTtl = ttl;
    return delegate.loadAndTouch(key, ttl);
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    lastTtl = ttl;
    delegate.save(key, blob, ttl);
  }

  @Override
  public void touch(String key, Duration ttl) {
    lastTtl = ttl;
    delegate.touch(key, ttl);
  }

  @Override
  public void delete(String key) {
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
