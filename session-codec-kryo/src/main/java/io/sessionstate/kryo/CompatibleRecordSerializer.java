package io.sessionstate.kryo;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.Serializer;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.util.ObjectMap;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a record by component name, the way {@code CompatibleFieldSerializer} writes a class by
 * field name, so that a record keeps its other components when one is added, removed or renamed:
 * the component names once per record class per value, then each component's value with its class.
 * A component the bytes lack gets its type's default (null, 0, false); a name the record lacks is
 * read and dropped. The record is built through its canonical constructor, so its validation runs.
 */
final class CompatibleRecordSerializer<T> extends Serializer<T> {
  private final Class<T> type;
  private final String[] names;
  private final Method[] accessors;
  private final Class<?>[] boxedTypes;
  private final @Nullable Object[] defaults;
  private final Map<String, Integer> indexByName = new HashMap<>();
  private final Constructor<T> constructor;

  CompatibleRecordSerializer(Class<T> type) {
    super(false, true);
    this.type = type;
    RecordComponent[] components = type.getRecordComponents();
    names = new String[components.length];
    accessors = new Method[components.length];
    boxedTypes = new Class<?>[components.length];
    defaults = new @Nullable Object[components.length];
    Class<?>[] parameterTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      names[i] = component.getName();
      accessors[i] = accessible(component.getAccessor());
      parameterTypes[i] = component.getType();
      boxedTypes[i] = MethodType.methodType(component.getType()).wrap().returnType();
      defaults[i] =
          component.getType().isPrimitive()
              ? Array.get(Array.newInstance(component.getType(), 1), 0)
              : null;
      indexByName.put(names[i], i);
    }
    try {
      constructor = accessible(type.getDeclaredConstructor(parameterTypes));
    } catch (NoSuchMethodException e) {
      throw new KryoException("record " + type.getName() + " has no canonical constructor", e);
    }
  }

  private <M extends java.lang.reflect.Executable> M accessible(M member) {
    if (!member.trySetAccessible()) {
      throw new KryoException(
          "record "
              + type.getName()
              + " is not accessible to module io.sessionstate.kryo: make it public in an exported"
              + " package, or open its package to io.sessionstate.kryo");
    }
    return member;
  }

  @Override
  public void write(Kryo kryo, Output output, T record) {
    @SuppressWarnings("unchecked") // Kryo's graph context is a raw ObjectMap
    ObjectMap<Object, Object> context = kryo.getGraphContext();
    if (!context.containsKey(this)) {
      context.put(this, null);
      output.writeVarInt(names.length, true);
      for (String name : names) {
        output.writeString(name);
      }
    }
    for (int i = 0; i < accessors.length; i++) {
      Object value;
      try {
        value = accessors[i].invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new KryoException("cannot read component " + names[i] + " of " + type.getName(), e);
      }
      try {
        kryo.writeClassAndObject(output, value);
      } catch (KryoException e) {
        e.addTrace(names[i] + " (" + type.getName() + ")");
        throw e;
      }
    }
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> ignored) {
    @SuppressWarnings("unchecked") // Kryo's graph context is a raw ObjectMap
    ObjectMap<Object, Object> context = kryo.getGraphContext();
    int[] indexes = (int[]) context.get(this);
    if (indexes == null) {
      indexes = readNames(input);
      context.put(this, indexes);
    }
    @Nullable Object[] arguments = defaults.clone();
    for (int index : indexes) {
      Object value;
      try {
        value = kryo.readClassAndObject(input);
      } catch (KryoException e) {
        e.addTrace(
            (index < 0 ? "a removed component" : names[index]) + " (" + type.getName() + ")");
        throw e;
      }
      if (index < 0) {
        continue;
      }
      // defaults[index] is non-null exactly for a primitive component, which null cannot fill.
      boolean fits = value == null ? defaults[index] == null : boxedTypes[index].isInstance(value);
      if (!fits) {
        throw new KryoException(
            "component "
                + names[index]
                + " of "
                + type.getName()
                + " is a "
                + boxedTypes[index].getName()
                + ", the bytes hold "
                + (value == null ? "null" : "a " + value.getClass().getName()));
      }
      arguments[index] = value;
    }
    try {
      return constructor.newInstance(arguments);
    } catch (InvocationTargetException e) {
      // The record's own validation refused the values; its message may quote them.
      throw new KryoException(
          "the canonical constructor of "
              + type.getName()
              + " threw "
              + Objects.requireNonNullElse(e.getCause(), e).getClass().getName());
    } catch (ReflectiveOperationException e) {
      throw new KryoException("cannot construct " + type.getName(), e);
    }
  }

  /** The component index of each written name, -1 for a name this version of the record lacks. */
  private int[] readNames(Input input) {
    int start = input.position();
    int count = input.readVarInt(true);
    BoundedInput bounded = BoundedInput.of(input);
    bounded.requireElements(count);
    if (bounded.reserve(count, Integer.BYTES) < count) {
      input.setPosition(start);
      throw new KryoException(
          "record " + type.getName() + ": declared " + count + " components, beyond the budget");
    }
    int[] indexes = new int[count];
    for (int i = 0; i < count; i++) {
      Integer index = indexByName.get(input.readString());
      indexes[i] = index == null ? -1 : index;
    }
    return indexes;
  }
}
