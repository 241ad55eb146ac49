package io.sessionstate.kryo;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.Serializer;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.kryo5.serializers.MapSerializer;
import java.lang.reflect.Array;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The codec's serializers for collections, maps and object arrays: Kryo's wire formats, with the
 * capacity they reserve ahead of the elements drawn from the decode's budget ({@link
 * BoundedInput#reserve}), and the JDK's unmodifiable collections rebuilt from their elements
 * through public factories. Kryo's own serializers for those would add elements to the unmodifiable
 * instance (failing with {@code UnsupportedOperationException}) or reach into {@code java.util}'s
 * private fields, which {@code java.base} does not open.
 */
final class ContainerSerializers {
  private ContainerSerializers() {}

  /** An object reference in an array, with compressed class pointers or not. */
  private static final int REFERENCE_BYTES = 8;

  /** A hash table slot plus the share of a table that is at most half empty. */
  private static final int HASH_SLOT_BYTES = 16;

  /** Kryo's collection format; capacity from the budget. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static class BudgetedCollectionSerializer extends CollectionSerializer<Collection> {
    @Override
    protected Collection create(
        Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      if (type == ArrayList.class) {
        return new ArrayList<>(BoundedInput.of(input).reserve(size, REFERENCE_BYTES));
      }
      if (type == HashSet.class) {
        int granted = BoundedInput.of(input).reserve(size, HASH_SLOT_BYTES);
        return new HashSet<>(Math.max((int) (granted / 0.75f) + 1, 16));
      }
      // Kryo's create would also ensureCapacity on an ArrayList subclass; without it, the list
      // grows as its elements arrive.
      return kryo.newInstance(type);
    }
  }

  /** Kryo's map format; capacity from the budget. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static class BudgetedMapSerializer extends MapSerializer<Map> {
    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      if (type == HashMap.class) {
        int granted = BoundedInput.of(input).reserve(size, HASH_SLOT_BYTES);
        return new HashMap<>((int) (granted / 0.75f) + 1);
      }
      return kryo.newInstance(type);
    }
  }

  /**
   * A JDK collection that cannot be filled after it is made: its elements are read into a mutable
   * collection (an {@code ArrayList}, or a {@code TreeSet} with the written comparator when {@code
   * sorted}), which {@code rebuild} turns into an equal collection of the same kind.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class RebuiltCollectionSerializer extends BudgetedCollectionSerializer {
    private final boolean sorted;
    private final Function<Collection<Object>, Collection<Object>> rebuild;

    RebuiltCollectionSerializer(
        boolean sorted, Function<Collection<Object>, Collection<Object>> rebuild) {
      this.sorted = sorted;
      this.rebuild = rebuild;
    }

    @Override
    protected void writeHeader(Kryo kryo, Output output, Collection collection) {
      if (sorted) {
        kryo.writeClassAndObject(output, ((SortedSet) collection).comparator());
      }
    }

    @Override
    protected Collection create(
        Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      if (sorted) {
        return new TreeSet<>((Comparator) kryo.readClassAndObject(input));
      }
      return super.create(kryo, input, ArrayList.class, size);
    }

    @Override
    public @Nullable Collection read(Kryo kryo, Input input, Class<? extends Collection> type) {
      Collection elements = super.read(kryo, input, type);
      return elements == null ? null : rebuild.apply(elements);
    }

    @Override
    public Collection copy(Kryo kryo, Collection original) {
      return original;
    }
  }

  /** As {@link RebuiltCollectionSerializer}, for maps: read into a {@code LinkedHashMap}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class RebuiltMapSerializer extends BudgetedMapSerializer {
    private final boolean sorted;
    private final Function<Map<Object, Object>, Map<Object, Object>> rebuild;

    RebuiltMapSerializer(
        boolean sorted, Function<Map<Object, Object>, Map<Object, Object>> rebuild) {
      this.sorted = sorted;
      this.rebuild = rebuild;
    }

    @Override
    protected void writeHeader(Kryo kryo, Output output, Map map) {
      if (sorted) {
        kryo.writeClassAndObject(output, ((SortedMap) map).comparator());
      }
    }

    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      if (sorted) {
        return new TreeMap<>((Comparator) kryo.readClassAndObject(input));
      }
      // A LinkedHashMap keeps the written order, which is the order the original iterated in.
      return new LinkedHashMap<>();
    }

    @Override
    public @Nullable Map read(Kryo kryo, Input input, Class<? extends Map> type) {
      Map elements = super.read(kryo, input, type);
      return elements == null ? null : rebuild.apply(elements);
    }

    @Override
    public Map copy(Kryo kryo, Map original) {
      return original;
    }
  }

  /**
   * {@code List.of}, {@code Stream.toList()} and their sublists: {@code Stream.toList()} allows
   * nulls, {@code List.of} does not, and both are unmodifiable lists that compare equal.
   */
  static Collection<Object> immutableList(Collection<Object> elements) {
    Object[] array = elements.toArray();
    for (Object element : array) {
      if (element == null) {
        return Arrays.stream(array).toList();
      }
    }
    return List.of(array);
  }

  static Collection<Object> immutableSet(Collection<Object> elements) {
    return Set.of(elements.toArray());
  }

  static Map<Object, Object> immutableMap(Map<Object, Object> entries) {
    return Map.copyOf(entries);
  }

  static Collection<Object> unmodifiableCollection(Collection<Object> elements) {
    return Collections.unmodifiableCollection(elements);
  }

  /** Over an {@code ArrayList}: the random-access kind, which is what almost every list is. */
  static Collection<Object> unmodifiableList(Collection<Object> elements) {
    return Collections.unmodifiableList((List<Object>) elements);
  }

  /** The kind that wraps a list without random access, kept as such. */
  static Collection<Object> unmodifiableSequentialList(Collection<Object> elements) {
    return Collections.unmodifiableList(new java.util.LinkedList<>(elements));
  }

  /** In the written order: the original's iteration order, which a read-only set never changes. */
  static Collection<Object> unmodifiableSet(Collection<Object> elements) {
    return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(elements));
  }

  static Collection<Object> unmodifiableSortedSet(Collection<Object> elements) {
    return Collections.unmodifiableSortedSet((SortedSet<Object>) elements);
  }

  static Collection<Object> unmodifiableNavigableSet(Collection<Object> elements) {
    return Collections.unmodifiableNavigableSet((NavigableSet<Object>) elements);
  }

  static Map<Object, Object> unmodifiableMap(Map<Object, Object> entries) {
    return Collections.unmodifiableMap(entries);
  }

  static Map<Object, Object> unmodifiableSortedMap(Map<Object, Object> entries) {
    return Collections.unmodifiableSortedMap((SortedMap<Object, Object>) entries);
  }

  static Map<Object, Object> unmodifiableNavigableMap(Map<Object, Object> entries) {
    return Collections.unmodifiableNavigableMap((NavigableMap<Object, Object>) entries);
  }

  static Collection<Object> arraysAsList(Collection<Object> elements) {
    return Arrays.asList(elements.toArray());
  }

  /** A JDK singleton (a comparator, an empty collection): no bytes, the same instance back. */
  static final class SingletonSerializer extends Serializer<Object> {
    private final Object instance;

    SingletonSerializer(Object instance) {
      super(false, true);
      this.instance = Objects.requireNonNull(instance);
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {}

    @Override
    public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
      return instance;
    }
  }

  /**
   * Kryo's object array format (the length + 1, then each element with its class, or without it
   * when the component type is final), with the array allocated from the budget: a length beyond
   * what is left is read into a growing list first, so that only elements that are really there
   * take memory.
   */
  static final class ReferenceArraySerializer extends Serializer<@Nullable Object[]> {
    private final Class<?> componentType;
    private final boolean sameType;

    ReferenceArraySerializer(Class<?> arrayType) {
      super(true);
      this.componentType = arrayType.getComponentType();
      this.sameType = Modifier.isFinal(componentType.getModifiers());
    }

    @Override
    public void write(Kryo kryo, Output output, @Nullable Object @Nullable [] array) {
      if (array == null) {
        output.writeByte(Kryo.NULL);
        return;
      }
      output.writeVarInt(array.length + 1, true);
      if (sameType) {
        Serializer<?> serializer = kryo.getSerializer(componentType);
        for (Object element : array) {
          kryo.writeObjectOrNull(output, element, serializer);
        }
      } else {
        for (Object element : array) {
          kryo.writeClassAndObject(output, element);
        }
      }
    }

    @Override
    public @Nullable Object @Nullable [] read(
        Kryo kryo, Input input, Class<? extends @Nullable Object[]> type) {
      int lengthPlusOne = input.readVarInt(true);
      if (lengthPlusOne == Kryo.NULL) {
        return null;
      }
      int length = lengthPlusOne - 1;
      BoundedInput bounded = BoundedInput.of(input);
      bounded.requireElements(length);
      Serializer<?> serializer = sameType ? kryo.getSerializer(componentType) : null;
      if (bounded.reserve(length, REFERENCE_BYTES) == length) {
        @Nullable Object[] array = (@Nullable Object[]) Array.newInstance(componentType, length);
        for (int i = 0; i < length; i++) {
          array[i] = readElement(kryo, input, serializer);
        }
        return array;
      }
      List<@Nullable Object> elements = new ArrayList<>();
      for (int i = 0; i < length; i++) {
        elements.add(readElement(kryo, input, serializer));
      }
      return elements.toArray((@Nullable Object[]) Array.newInstance(componentType, length));
    }

    private @Nullable Object readElement(
        Kryo kryo, Input input, @Nullable Serializer<?> serializer) {
      return serializer == null
          ? kryo.readClassAndObject(input)
          : kryo.readObjectOrNull(input, componentType, serializer);
    }

    @Override
    public @Nullable Object[] copy(Kryo kryo, @Nullable Object[] original) {
      throw new UnsupportedOperationException("KryoValueCodec does not copy");
    }
  }
}
