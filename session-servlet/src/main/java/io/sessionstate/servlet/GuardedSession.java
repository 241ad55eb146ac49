package io.sessionstate.servlet;

import io.sessionstate.Session;
import io.sessionstate.TempData;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The core session as the request attribute {@link SessionFilter#SESSION_ATTRIBUTE} hands it out:
 * the request's session until the filter is done with it, after which every change throws, since it
 * was committed and a change would be lost without a word. Reads keep working.
 */
final class GuardedSession implements Session {
  private final Session session;
  private final RequestCycle cycle;

  GuardedSession(Session session, RequestCycle cycle) {
    this.session = session;
    this.cycle = cycle;
  }

  @Override
  public String id() {
    return session.id();
  }

  @Override
  public boolean isAvailable() {
    return session.isAvailable();
  }

  @Override
  public Instant createdAt() {
    return session.createdAt();
  }

  @Override
  public boolean isNew() {
    return session.isNew();
  }

  @Override
  public Set<String> keys() {
    return session.keys();
  }

  @Override
  public CompletableFuture<Void> loadAsync() {
    return session.loadAsync();
  }

  @Override
  public CompletableFuture<Void> commitAsync() {
    return session.commitAsync();
  }

  @Override
  public Optional<byte[]> tryGetValue(String key) {
    return session.tryGetValue(key);
  }

  @Override
  public void set(String key, byte[] value) {
    cycle.checkOpen("set");
    session.set(key, value);
  }

  @Override
  public void remove(String key) {
    cycle.checkOpen("remove");
    session.remove(key);
  }

  @Override
  public void clear() {
    cycle.checkOpen("clear");
    session.clear();
  }

  @Override
  public Optional<String> getString(String key) {
    return session.getString(key);
  }

  @Override
  public void setString(String key, String value) {
    cycle.checkOpen("setString");
    session.setString(key, value);
  }

  @Override
  public Optional<Integer> getInt32(String key) {
    return session.getInt32(key);
  }

  @Override
  public void setInt32(String key, int value) {
    cycle.checkOpen("setInt32");
    session.setInt32(key, value);
  }

  @Override
  public Optional<Long> getLong(String key) {
    return session.getLong(key);
  }

  @Override
  public void setLong(String key, long value) {
    cycle.checkOpen("setLong");
    session.setLong(key, value);
  }

  @Override
  public <T> Optional<T> getObject(String key, Class<T> type) {
    return session.getObject(key, type);
  }

  @Override
  public void setObject(String key, Object value) {
    cycle.checkOpen("setObject");
    session.setObject(key, value);
  }

  @Override
  public void regenerateId() {
    cycle.checkOpen("regenerateId");
    session.regenerateId();
  }

  @Override
  public void invalidate() {
    cycle.checkOpen("invalidate");
    session.invalidate();
  }

  @Override
  public void bindPrincipal(String principal) {
    cycle.checkOpen("bindPrincipal");
    session.bindPrincipal(principal);
  }

  @Override
  public void unbindPrincipal() {
    cycle.checkOpen("unbindPrincipal");
    session.unbindPrincipal();
  }

  @Override
  public Optional<String> principal() {
    return session.principal();
  }

  @Override
  public Duration idleTimeout() {
    return session.idleTimeout();
  }

  @Override
  public void setIdleTimeout(Duration idleTimeout) {
    cycle.checkOpen("setIdleTimeout");
    session.setIdleTimeout(idleTimeout);
  }

  /** Reading TempData consumes it, which is a change: so it is guarded like a write. */
  @Override
  public TempData tempData() {
    cycle.checkOpen("tempData");
    return session.tempData();
  }

  @Override
  public String toString() {
    return "GuardedSession{" + session + "}";
  }
}
