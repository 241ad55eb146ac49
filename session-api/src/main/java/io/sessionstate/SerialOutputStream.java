package io.sessionstate;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/** Refuses, while writing, every class that a decode would refuse. */
final class SerialOutputStream extends ObjectOutputStream {
  private final SerialAllowList allowList;

  /**
   * Set once the JDK writes one of its own stream exceptions after a failure (see {@link
   * NotAllowedException}); those bytes are discarded with the rest, so nothing is checked.
   */
  private boolean writingFailure;

  SerialOutputStream(OutputStream out, SerialAllowList allowList) throws IOException {
    super(out);
    this.allowList = allowList;
    enableReplaceObject(true);
  }

  /** Called for every object before it is written: refuses what is not serializable here. */
  @Override
  protected Object replaceObject(Object obj) {
    if (!(obj instanceof java.io.Serializable) && !writingFailure) {
      throw new NotAllowedException(
          "class " + obj.getClass().getName() + " does not implement java.io.Serializable");
    }
    return obj;
  }

  /** Called once for every class descriptor written, superclasses and arrays included. */
  @Override
  protected void annotateClass(Class<?> cl) {
    if (java.io.ObjectStreamException.class.isAssignableFrom(cl)) {
      writingFailure = true;
    }
    if (!writingFailure && !allowList.allows(cl.getName())) {
      throw new NotAllowedException(SerialAllowList.notAllowed(cl.getName()));
    }
  }

  @Override
  protected void annotateProxyClass(Class<?> cl) {
    throw new NotAllowedException(
        "class " + cl.getName() + " is a dynamic proxy, which is never allowed");
  }

  /**
   * Thrown by the output stream for a class it refuses. Unchecked on purpose: {@link
   * ObjectOutputStream#writeObject} answers an {@link IOException} by writing the exception itself
   * into the stream, which would pass through the same checks and replace the first failure.
   */
  static final class NotAllowedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAllowedException(String message) {
      super(message, null, false, false);
    }
  }
}
