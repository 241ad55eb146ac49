package io.sessionstate;

import io.sessionstate.SessionObserver.Event;
import io.sessionstate.SessionObserver.StoreOperation;
import io.sessionstate.SessionObserver.StoreOutcome;
import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store that times every call to the store it wraps and tells a {@link SessionObserver}: the
 * operation, its outcome, its duration and the size of the blob it carried, never a key or a blob's
 * contents. A conditional write that meets another version, or finds the session gone, is also told
 * as a {@link Event#CONFLICT} or a {@link Event#DROPPED_WRITE}.
 *
 * <p>{@link #wrap} keeps every capability of the wrapped store: the optional interfaces this class
 * knows ({@link ReplacingSessionStore}, {@link VersionedSessionStore}) through a subclass that
 * declares exactly those, and any other one through {@link ObservedStoreProxy}, so a capability
 * added to the SPI later is never hidden from the manager. The {@link PrincipalIndex} is the
 * exception: the manager calls it on the store itself, off the request path, so the decorator
 * neither declares nor observes it. Thread-safe if the wrapped store is.
 */
class ObservedStore implements SessionStore {
  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

  /** The capabilities the subclasses below declare; any other one goes through the proxy. */
  static final Set<Class<?>> KNOWN_CAPABILITIES =
      Set.of(SessionStore.class, ReplacingSessionStore.class, VersionedSessionStore.class);

  /** The capabilities the manager calls on the store itself, never through this decorator. */
  static final Set<Class<?>> UNOBSERVED_CAPABILITIES = Set.of(PrincipalIndex.class);

  final SessionStore store;
  final SessionObserver observer;
  final String name;

  ObservedStore(SessionStore store, SessionObserver observer) {
    this.store = store;
    this.observer = observer;
    this.name = store.name();
  }

  /**
   * {@code store} observed by {@code observer}, implementing every interface of the SPI that {@code
   * store} implements; {@code store} itself when the observer is {@link SessionObserver#NONE}.
   */
  static SessionStore wrap(SessionStore store, SessionObserver observer) {
    if (observer == SessionObserver.NONE) {
      return store;
    }
    Set<Class<?>> capabilities = capabilities(store.getClass());
    capabilities.removeAll(UNOBSERVED_CAPABILITIES);
    if (!KNOWN_CAPABILITIES.containsAll(capabilities)) {
      return ObservedStoreProxy.wrap(store, observer, capabilities);
    }
    boolean replacing = store instanceof ReplacingSessionStore;
    if (store instanceof VersionedSessionStore) {
      return replacing ? new ReplacingVersioned(store, observer) : new Versioned(store, observer);
    }
    return replacing ? new Replacing(store, observer) : new ObservedStore(store, observer);
  }

  /** Every interface {@code type} implements that is a {@link SessionStore}. */
  static Set<Class<?>> capabilities(Class<?> type) {
    Set<Class<?>> found = new LinkedHashSet<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      addInterfaces(c, found);
    }
    return found;
  }

  private static void addInterfaces(Class<?> type, Set<Class<?>> found) {
    for (Class<?> i : type.getInterfaces()) {
      if (SessionStore.class.isAssignableFrom(i) && found.add(i)) {
        addInterfaces(i, found);
      }
    }
  }

  // ---- the plain operations

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
    long start = System.nanoTime();
    Optional<byte[]> blob;
    try {
      blob = store.loadAndTouch(key, ttl);
    } catch (RuntimeException e) {
      failed(StoreOperation.LOAD, start, e);
      throw e;
    }
    if (blob.isPresent()) {
      observe(StoreOperation.LOAD, StoreOutcome.OK, start, blob.get().length, -1);
    } else {
      ended(StoreOperation.LOAD, StoreOutcome.ABSENT, start, null);
    }
    return blob;
  }

  @Override
  public void save(String key, byte[] blob, Duration ttl) {
    long start = System.nanoTime();
    try {
      store.save(key, blob, ttl);
    } catch (RuntimeException e) {
      failed(StoreOperation.SAVE, start, e);
      throw e;
    }
    ended(StoreOperation.SAVE, StoreOutcome.OK, start, blob);
  }

  @Override
  public void touch(String key, Duration ttl) {
    long start = System.nanoTime();
    try {
      store.touch(key, ttl);
    } catch (RuntimeException e) {
      failed(StoreOperation.TOUCH, start, e);
      throw e;
    }
    ended(StoreOperation.TOUCH, StoreOutcome.OK, start, null);
  }

  @Override
  public void delete(String key) {
    long start = System.nanoTime();
    try {
      store.delete(key);
    } catch (RuntimeException e) {
      failed(StoreOperation.DELETE, start, e);
      throw e;
    }
    ended(StoreOperation.DELETE, StoreOutcome.OK, start, null);
  }

  @Override
  public boolean isNonBlocking() {
    return store.isNonBlocking();
  }

  @Override
  public boolean isExternallyWritable() {
    return store.isExternallyWritable();
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return "observed " + store;
  }

  // ---- the capabilities' operations; only the subclasses that declare them are ever called so

  public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
    long start = System.nanoTime();
    try {
      ((ReplacingSessionStore) store).replace(oldKey, newKey, blob, ttl);
    } catch (RuntimeException e) {
      failed(StoreOperation.REPLACE, start, e);
      throw e;
    }
    ended(StoreOperation.REPLACE, StoreOutcome.OK, start, blob);
  }

  public Stored loadVersioned(String key, Duration ttl) {
    long start = System.nanoTime();
    Stored stored;
    try {
      stored = ((VersionedSessionStore) store).loadVersioned(key, ttl);
    } catch (RuntimeException e) {
      failed(StoreOperation.LOAD, start, e);
      throw e;
    }
    if (stored.state() == Stored.State.PRESENT) {
      // The size only: the blob itself would be one more copy per load.
      observe(StoreOperation.LOAD, StoreOutcome.OK, start, stored.blobLength(), -1);
    } else {
      ended(StoreOperation.LOAD, StoreOutcome.ABSENT, start, null);
    }
    return stored;
  }

  public Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl) {
    long start = System.nanoTime();
    Outcome outcome;
    try {
      outcome = ((VersionedSessionStore) store).saveIf(key, condition, blob, ttl);
    } catch (RuntimeException e) {
      failed(StoreOperation.CONDITIONAL_SAVE, start, e);
      throw e;
    }
    conditionalEnded(StoreOperation.CONDITIONAL_SAVE, outcome, start, blob);
    return outcome;
  }

  public void invalidate(String key, Duration tombstoneTtl) {
    long start = System.nanoTime();
    try {
      ((VersionedSessionStore) store).invalidate(key, tombstoneTtl);
    } catch (RuntimeException e) {
      failed(StoreOperation.INVALIDATE, start, e);
      throw e;
    }
    ended(StoreOperation.INVALIDATE, StoreOutcome.OK, start, null);
  }

  public Outcome replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl) {
    long start = System.nanoTime();
    Outcome outcome;
    try {
      outcome =
          ((VersionedSessionStore) store)
              .replaceIf(oldKey, condition, newKey, blob, ttl, tombstoneTtl);
    } catch (RuntimeException e) {
      failed(StoreOperation.CONDITIONAL_REPLACE, start, e);
      throw e;
    }
    conditionalEnded(StoreOperation.CONDITIONAL_REPLACE, outcome, start, blob);
    return outcome;
  }

  // ---- telling the observer

  private void conditionalEnded(
      StoreOperation operation, Outcome outcome, long start, byte[] blob) {
    switch (outcome.status()) {
      case SAVED -> ended(operation, StoreOutcome.OK, start, blob);
      case CONFLICT -> {
        ended(operation, StoreOutcome.CONFLICT, start, blob);
        event(Event.CONFLICT);
      }
      case GONE -> {
        ended(operation, StoreOutcome.ABSENT, start, blob);
        event(Event.DROPPED_WRITE);
      }
    }
  }

  /** A call that ended without an error; the value count is read from a written blob only. */
  final void ended(
      StoreOperation operation, StoreOutcome outcome, long start, byte @Nullable [] written) {
    observe(
        operation,
        outcome,
        start,
        written == null ? -1 : written.length,
        written == null ? -1 : BlobFormat.entryCount(written));
  }

  final void observe(
      StoreOperation operation, StoreOutcome outcome, long start, int blobBytes, int valueCount) {
    long nanos = System.nanoTime() - start;
    try {
      observer.storeCall(name, operation, outcome, null, nanos, blobBytes, valueCount);
    } catch (RuntimeException e) {
      log.warn("SessionObserver threw from storeCall", e);
    }
  }

  final void failed(StoreOperation operation, long start, RuntimeException error) {
    long nanos = System.nanoTime() - start;
    try {
      observer.storeCall(
          name,
          operation,
          isTimeout(error) ? StoreOutcome.TIMEOUT : StoreOutcome.ERROR,
          errorType(error),
          nanos,
          -1,
          -1);
    } catch (RuntimeException e) {
      log.warn("SessionObserver threw from storeCall", e);
    }
  }

  final void event(Event event) {
    try {
      observer.sessionEvent(name, event);
    } catch (RuntimeException e) {
      log.warn("SessionObserver threw from sessionEvent", e);
    }
  }

  // A cause chain is short; the bound only keeps a cyclic one from looping.
  private static final int MAX_CAUSES = 16;

  /** Whether the store gave up waiting on its server, as far as the JDK's types tell. */
  static boolean isTimeout(Throwable error) {
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      if (t instanceof SessionTimeoutException
          || t instanceof TimeoutException
          || t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The class of the store's own error: the first cause that is not one of ours, which says more
   * ({@code JedisConnectionException}, {@code PSQLException}) than the wrapper does.
   */
  static Class<? extends Throwable> errorType(Throwable error) {
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      if (!(t instanceof SessionException)) {
        return t.getClass();
      }
    }
    return error.getClass();
  }

  // ---- one class per combination of the known capabilities

  /** A store that can also move a key in one call. */
  static final class Replacing extends ObservedStore implements ReplacingSessionStore {
    Replacing(SessionStore store, SessionObserver observer) {
      super(store, observer);
    }
  }

  /** A store with versions. */
  static final class Versioned extends ObservedStore implements VersionedSessionStore {
    Versioned(SessionStore store, SessionObserver observer) {
      super(store, observer);
    }
  }

  /** A store with versions that can also move a key in one call. */
  static final class ReplacingVersioned extends ObservedStore
      implements ReplacingSessionStore, VersionedSessionStore {
    ReplacingVersioned(SessionStore store, SessionObserver observer) {
      super(store, observer);
    }
  }
}
