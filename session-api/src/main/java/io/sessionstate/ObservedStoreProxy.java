package io.sessionstate;

import io.sessionstate.SessionObserver.StoreOperation;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The observed store for a store with a capability {@link ObservedStore} does not know: a dynamic
 * proxy that implements every {@link SessionStore} interface the store does, so the manager still
 * finds the capability. Calls of the known operations are observed as {@link ObservedStore}
 * observes them; a call of an unknown capability's method is passed on and timed as {@link
 * StoreOperation#OTHER}. Slower than the subclasses of {@link ObservedStore} by a reflective call,
 * which is why it is only the fallback. Thread-safe if the wrapped store is.
 */
final class ObservedStoreProxy implements InvocationHandler {
  private final SessionStore store;
  // Observes the known operations; only those the proxy's interfaces declare are ever called.
  private final ObservedStore known;

  private ObservedStoreProxy(SessionStore store, SessionObserver observer) {
    this.store = store;
    this.known = new ObservedStore(store, observer);
  }

  static SessionStore wrap(SessionStore store, SessionObserver observer, Set<Class<?>> interfaces) {
    return (SessionStore)
        Proxy.newProxyInstance(
            store.getClass().getClassLoader(),
            interfaces.toArray(new Class<?>[0]),
            new ObservedStoreProxy(store, observer));
  }

  @Override
  public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args)
      throws Throwable {
    Class<?> declaring = method.getDeclaringClass();
    if (declaring == Object.class) {
      return switch (method.getName()) {
        case "equals" -> args != null && proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> known.toString();
      };
    }
    if (declaring == SessionStore.class
        || declaring == ReplacingSessionStore.class
        || declaring == VersionedSessionStore.class) {
      return known(method.getName(), args == null ? new Object[0] : args);
    }
    return other(method, args);
  }

  private @Nullable Object known(String method, Object[] a) {
    return switch (method) {
      case "name" -> known.name();
      case "loadAndTouch" -> known.loadAndTouch((String) a[0], (Duration) a[1]);
      case "save" -> {
        known.save((String) a[0], (byte[]) a[1], (Duration) a[2]);
        yield null;
      }
      case "touch" -> {
        known.touch((String) a[0], (Duration) a[1]);
        yield null;
      }
      case "delete" -> {
        known.delete((String) a[0]);
        yield null;
      }
      case "isNonBlocking" -> known.isNonBlocking();
      case "isExternallyWritable" -> known.isExternallyWritable();
      case "close" -> {
        known.close();
        yield null;
      }
      case "replace" -> {
        known.replace((String) a[0], (String) a[1], (byte[]) a[2], (Duration) a[3]);
        yield null;
      }
      case "loadVersioned" -> known.loadVersioned((String) a[0], (Duration) a[1]);
      case "saveIf" ->
          known.saveIf((String) a[0], (Condition) a[1], (byte[]) a[2], (Duration) a[3]);
      case "invalidate" -> {
        known.invalidate((String) a[0], (Duration) a[1]);
        yield null;
      }
      case "replaceIf" ->
          known.replaceIf(
              (String) a[0],
              (Condition) a[1],
              (String) a[2],
              (byte[]) a[3],
              (Duration) a[4],
              (Duration) a[5]);
      default ->
          throw new IllegalStateException("an SPI method this release does not know: " + method);
    };
  }

  /** A method of a capability this release does not know: passed on, timed as OTHER. */
  private @Nullable Object other(Method method, Object @Nullable [] args) throws Throwable {
    long start = System.nanoTime();
    @Nullable Object result;
    try {
      result = method.invoke(store, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RuntimeException r) {
        known.failed(StoreOperation.OTHER, start, r);
      }
      throw cause;
    }
    known.observe(StoreOperation.OTHER, SessionObserver.StoreOutcome.OK, start, -1, -1);
    return result;
  }
}
