package io.sessionstate.kryo;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.Serializer;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes an exception as its message and its cause, and reads it back through its public {@code
 * (String, Throwable)} or {@code (String)} constructor. Kryo's field serializer cannot write an
 * exception at all: {@code Throwable}'s fields are private to {@code java.base}, and its {@code
 * cause} field points at the exception itself until a cause is set. The stack trace, suppressed
 * exceptions and any field of the subclass are not kept; what a session holds an exception for (a
 * sign-in failure to show on the next page) is its type and message.
 */
final class ThrowableSerializer<T extends Throwable> extends Serializer<T> {
  private static final StackTraceElement[] NO_STACK_TRACE = new StackTraceElement[0];

  private final Class<T> type;
  private final @Nullable Constructor<T> withCause;
  private final @Nullable Constructor<T> messageOnly;

  ThrowableSerializer(Class<T> type) {
    super(false, true);
    this.type = type;
    this.withCause = publicConstructor(type, String.class, Throwable.class);
    this.messageOnly = publicConstructor(type, String.class);
    if (withCause == null && messageOnly == null) {
      throw new KryoException(
          "exception "
              + type.getName()
              + " has no public (String, Throwable) or (String) constructor to read it back with");
    }
  }

  private static <T> @Nullable Constructor<T> publicConstructor(
      Class<T> type, Class<?>... parameters) {
    try {
      return type.getConstructor(parameters);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  @Override
  public void write(Kryo kryo, Output output, T exception) {
    output.writeString(exception.getMessage());
    Throwable cause = exception.getCause();
    kryo.writeClassAndObject(output, cause == exception ? null : cause);
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> ignored) {
    String message = input.readString();
    Object cause = kryo.readClassAndObject(input);
    if (cause != null && !(cause instanceof Throwable)) {
      throw new KryoException(
          "the cause of " + type.getName() + " is a " + cause.getClass().getName());
    }
    T exception;
    try {
      if (withCause != null) {
        exception = withCause.newInstance(message, cause);
      } else {
        // The constructor refused a type with neither constructor.
        exception = Objects.requireNonNull(messageOnly, "messageOnly").newInstance(message);
        if (cause != null) {
          exception.initCause((Throwable) cause);
        }
      }
    } catch (InvocationTargetException e) {
      throw new KryoException(
          "the constructor of "
              + type.getName()
              + " threw "
              + Objects.requireNonNullElse(e.getCause(), e).getClass().getName());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new KryoException("cannot construct " + type.getName() + ": " + e.getClass().getName());
    }
    // The trace the constructor just filled in is the decoder's, not where the exception arose.
    exception.setStackTrace(NO_STACK_TRACE);
    return exception;
  }
}
