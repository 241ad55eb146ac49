package io.sessionstate;

import io.sessionstate.spi.ReplacingSessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real store over a map, for the core tests: fake time, a count of every call, and faults on
 * demand (a failure, or a call that blocks until released). The store contract itself is tested by
 * the contract suite against the real stores.
 */
final class TestStore implements ReplacingSessionStore {
  private record Entry(byte[] blob, long expiresAtNanos) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final boolean inProcess;
  final AtomicLong nanos = new AtomicLong();
  final AtomicInteger loads = new AtomicInteger();
  final AtomicInteger saves = new AtomicInteger();
  final AtomicInteger touches = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicInteger replaces = new AtomicInteger();
  final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  volatile CountDownLatch block;

  /** How long a blocked call waits before it fails, as a networked store's own timeout does. */
  volatile Duration operationTimeout = Duration.ofSeconds(30);

  /** The thread of every call, in order. */
  final List<Thread> callThreads = new CopyOnWriteArrayList<>();

  /** Runs after a load has read its entry and before it returns. */
  volatile Runnable afterLoadRead = () -> {};

  TestStore(boolean inProcess) {
    this.inProcess = inProcess;
  }

  static TestStore inProcess() {
    return new TestStore(true);
  }

  static TestStore networked() {
    return new TestStore(false);
  }

  int calls() {
    return loads.get() + saves.get() + touches.get() + deletes.get() + replaces.get();
  }

  void elapse(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  int size() {
    entries.values().removeIf(e -> e.expiresAtNanos <= nanos.get());
    return entries.size();
  }

  Optional<byte[]> peek(String key) {
    Entry e = entries.get(key);
    return e == null || e.expiresAtNanos <= nanos.get()
        ? Optional.empty()
        : Optional.of(e.blob.clone());
  }

  /** Writes bytes under a key behind the library's back, as anyone with store access could. */
  void put(String key, byte[] blob) {
    entries.put(key, new Entry(blob.clone(), Long.MAX_VALUE));
  }

  Duration remainingTtl(String key) {
    return Duration.ofNanos(entries.get(key).expiresAtNanos - nanos.get());
  }

  java.util.Set<String> keys() {
    return entries.keySet();
  }

  private void enter(String operation) {
    callThreads.add(Thread.currentThread());
    CountDownLatch latch = block;
    if (latch != null) {
      try {
        Duration timeout = operationTimeout;
        if (!latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
          // What a networked store's own socket timeout does behind a server that froze.
          throw new SessionStoreException(
              name(), operation, "no reply within the operation timeout of " + timeout, null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public String name() {
    return "test";
  }

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    loads.incrementAndGet();
    enter("load");
    Entry e = entries.get(key);
    if (e == null || e.expiresAtNanos <= nanos.get()) {
      return Optional.empty();
    }
    entries.put(key, new Entry(e.blob, nanos.get() + ttl.toNanos()));
    afterLoadRead.run();
    return Optional.of(e.blob.clone());
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    saves.incrementAndGet();
    enter("save");
    entries.put(key, new Entry(blob.clone(), nanos.get() + ttl.toNanos()));
  }

  @Override
  public void touch(String key, Duration ttl) {
    touches.incrementAndGet();
    enter("touch");
    entries.computeIfPresent(key, (k, e) -> new Entry(e.blob, nanos.get() + ttl.toNanos()));
  }

  @Override
  public void delete(String key) {
    deletes.incrementAndGet();
    enter("delete");
    entries.remove(key);
  }

  @Override
  public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    replaces.incrementAndGet();
    enter("replace");
    entries.put(newKey, new Entry(blob.clone(), nanos.get() + ttl.toNanos()));
    entries.remove(oldKey);
  }

  @Override
  public boolean isNonBlocking() {
    return inProcess;
  }

  @Override
  public boolean isExternallyWritable() {
    return !inProcess;
  }

  @Override
  public void close() {
    entries.clear();
  }
}
