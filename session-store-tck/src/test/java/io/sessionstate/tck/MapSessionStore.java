package io.sessionstate.tck;

import static java.util.Objects.requireNonNull;

import io.sessionstate.SessionStoreException;
import io.sessionstate.spi.ReplacingSessionStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A small store over a map with a ticker of its own: the custom store the README's "Testing your
 * own store" section runs the suite for. Its map is the back door a test can reach.
 */
class MapSessionStore implements ReplacingSessionStore {
  record Entry(byte[] blob, long expiresAtNanos) {}

  final Map<String, Entry> entries = new ConcurrentHashMap<>();
  final LongSupplier nanos;
  private volatile boolean closed;

  MapSessionStore(LongSupplier nanos) {
    this.nanos = nanos;
  }

  @Override
  public String name() {
    return "map";
  }

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    checkOpen("load");
    Entry e = entries.computeIfPresent(key, (k, old) -> live(old) ? expiring(old.blob, ttl) : null);
    return e == null ? Optional.empty() : Optional.of(e.blob.clone());
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    checkOpen("save");
    entries.put(requireNonNull(key, "key"), expiring(blob.clone(), ttl));
  }

  @Override
  public void touch(String key, Duration ttl) {
    checkOpen("touch");
    entries.computeIfPresent(key, (k, old) -> live(old) ? expiring(old.blob, ttl) : null);
  }

  @Override
  public void delete(String key) {
    checkOpen("delete");
    entries.remove(key);
  }

  @Override
  public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    checkOpen("replace");
    entries.put(newKey, expiring(blob.clone(), ttl));
    entries.remove(oldKey);
  }

  @Override
  public void close() {
    closed = true;
  }

  boolean live(Entry entry) {
    return entry.expiresAtNanos - nanos.getAsLong() > 0;
  }

  Entry expiring(byte[] blob, Duration ttl) {
    return new Entry(blob, nanos.getAsLong() + ttl.toNanos());
  }

  private void checkOpen(String operation) {
    if (closed) {
      throw new SessionStoreException(name(), operation, "the store is closed", null);
    }
  }
}
