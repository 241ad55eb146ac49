package io.sessionstate;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Checks the allow-list before a class is loaded, and loads through the chosen loader. */
final class SerialInputStream extends ObjectInputStream {
  private final SerialDecodeFilter filter;
  private final @Nullable ClassLoader loader;

  /** {@code loader} null: the JDK's choice, as for any {@link ObjectInputStream}. */
  SerialInputStream(InputStream in, SerialDecodeFilter filter, @Nullable ClassLoader loader)
      throws IOException {
    super(in);
    this.filter = filter;
    this.loader = loader;
    setObjectInputFilter(filter);
  }

  @Override
  protected Class<?> resolveClass(ObjectStreamClass desc)
      throws IOException, ClassNotFoundException {
    String name = desc.getName();
    if (!filter.allowList.allows(name)) {
      filter.reject(SerialAllowList.notAllowed(name));
      throw new InvalidClassException(name, "not in the allow-list");
    }
    Class<?> resolved =
        loader == null ? super.resolveClass(desc) : Class.forName(name, false, loader);
    // A stream may leave out a superclass's descriptor; the JDK then initializes the class and
    // its superclasses on allocation, before the filter sees them. Loading (above, without
    // initializing) resolved the superclasses, so they can be checked here by name first.
    for (Class<?> type = resolved.getSuperclass();
        type != null && Serializable.class.isAssignableFrom(type);
        type = type.getSuperclass()) {
      if (!filter.allowList.allows(type.getName())) {
        filter.reject(SerialAllowList.notAllowed(type.getName()));
        throw new InvalidClassException(type.getName(), "not in the allow-list");
      }
    }
    return resolved;
  }

  @Override
  protected Class<?> resolveProxyClass(String[] interfaces) throws IOException {
    String message =
        "a dynamic proxy class, which is never allowed, for " + Arrays.toString(interfaces);
    filter.reject(message);
    throw new InvalidClassException(message);
  }
}
