package io.sessionstate.kryo;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.Registration;
import com.esotericsoftware.kryo.kryo5.Serializer;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.objenesis.strategy.StdInstantiatorStrategy;
import com.esotericsoftware.kryo.kryo5.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.kryo5.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.kryo5.serializers.MapSerializer;
import com.esotericsoftware.kryo.kryo5.util.DefaultClassResolver;
import com.esotericsoftware.kryo.kryo5.util.DefaultInstantiatorStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One Kryo instance configured the codec's way. Not thread-safe: the codec hands each instance to
 * one thread at a time through its pool.
 */
final class CodecKryo extends Kryo {

  /**
   * Deep enough for any realistic session value; shallow enough that a malicious nesting fails with
   * a Kryo exception long before the thread stack runs out. Kryo counts it on write too, so a value
   * that encodes always decodes.
   */
  static final int MAX_DEPTH = 100;

  /**
   * The serializers of the JDK types the codec registers by default that Kryo cannot read back
   * itself, by class. The classes are taken from live instances, since most are private to {@code
   * java.util}.
   */
  private static final Map<Class<?>, JdkType> JDK_SERIALIZERS = jdkSerializers();

  /** The message of the last unregistered-class failure, compared by identity on failure. */
  private @Nullable String unregisteredMessage;

  private @Nullable Class<?> unregisteredClass;

  /** The class of the value being decoded, once its id is read. */
  private @Nullable Class<?> topLevelClass;

  CodecKryo(Map<Class<?>, Integer> registrations) {
    super(new NameRefusingClassResolver(), null);
    setRegistrationRequired(true);
    // References would let a value share or cycle objects, at the cost of a map per operation; a
    // cycle instead fails at encode, on the depth limit.
    setReferences(false);
    setMaxDepth(MAX_DEPTH);
    // Generics would let collection and map serializers drop the class id of each element, and with
    // it the one byte per element that CountCheckingSerializer relies on.
    setOptimizedGenerics(false);
    // A class's no-arg constructor when it has one (so field initializers run), else Objenesis:
    // classes without one still decode. Registration still decides which classes can be made.
    setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    // Kryo ships this serializer but does not make it a default; the field serializer it would use
    // instead needs deep reflection into java.base.
    addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
    registrations.forEach(this::registerChecked);
  }

  /**
   * The JDK types registered by default beyond Kryo's own, with their ids: part of the stored
   * format, so an id here never changes. Where a JDK makes two of these expressions one class, the
   * first id is kept and the other stays unused.
   */
  static Map<Class<?>, Integer> jdkTypes() {
    Map<Class<?>, Integer> ids = new LinkedHashMap<>();
    JDK_SERIALIZERS.forEach((type, entry) -> ids.put(type, entry.id()));
    return Collections.unmodifiableMap(ids);
  }

  /** A registration id and the serializer to make for it. */
  private record JdkType(int id, Supplier<Serializer<?>> serializer) {}

  private static void jdk(
      Map<Class<?>, JdkType> map, int id, Class<?> type, Supplier<Serializer<?>> serializer) {
    map.putIfAbsent(type, new JdkType(id, serializer));
  }

  private static Map<Class<?>, JdkType> jdkSerializers() {
    Map<Class<?>, JdkType> map = new LinkedHashMap<>();
    jdk(map, 32, Locale.class, DefaultSerializers.LocaleSerializer::new);
    jdk(map, 33, Collections.emptyList().getClass(), () -> singleton(Collections.emptyList()));
    jdk(map, 34, Collections.emptySet().getClass(), () -> singleton(Collections.emptySet()));
    jdk(map, 35, Collections.emptyMap().getClass(), () -> singleton(Collections.emptyMap()));
    jdk(
        map,
        36,
        Collections.singletonList(1).getClass(),
        DefaultSerializers.CollectionsSingletonListSerializer::new);
    jdk(
        map,
        37,
        Collections.singleton(1).getClass(),
        DefaultSerializers.CollectionsSingletonSetSerializer::new);
    jdk(
        map,
        38,
        Collections.singletonMap(1, 1).getClass(),
        DefaultSerializers.CollectionsSingletonMapSerializer::new);
    Supplier<Serializer<?>> immutableList = () -> rebuilt(ContainerSerializers::immutableList);
    jdk(map, 39, List.of(1).getClass(), immutableList);
    jdk(map, 40, List.of(1, 2, 3).getClass(), immutableList);
    jdk(map, 41, List.of(1, 2, 3).subList(0, 2).getClass(), immutableList);
    Supplier<Serializer<?>> immutableSet = () -> rebuilt(ContainerSerializers::immutableSet);
    jdk(map, 42, Set.of(1).getClass(), immutableSet);
    jdk(map, 43, Set.of(1, 2, 3).getClass(), immutableSet);
    Supplier<Serializer<?>> immutableMap =
        () -> rebuiltMap(false, ContainerSerializers::immutableMap);
    jdk(map, 44, Map.of(1, 1).getClass(), immutableMap);
    jdk(map, 45, Map.of(1, 1, 2, 2).getClass(), immutableMap);
    jdk(map, 46, Arrays.asList(1).getClass(), () -> rebuilt(ContainerSerializers::arraysAsList));
    jdk(
        map,
        47,
        Collections.unmodifiableCollection(new ArrayList<>()).getClass(),
        () -> rebuilt(ContainerSerializers::unmodifiableCollection));
    Supplier<Serializer<?>> unmodifiableList =
        () -> rebuilt(ContainerSerializers::unmodifiableList);
    jdk(
        map,
        48,
        Collections.unmodifiableList(new LinkedList<>()).getClass(),
        () -> rebuilt(ContainerSerializers::unmodifiableSequentialList));
    jdk(map, 49, Collections.unmodifiableList(new ArrayList<>()).getClass(), unmodifiableList);
    jdk(
        map,
        50,
        Collections.unmodifiableSet(new HashSet<>()).getClass(),
        () -> rebuilt(ContainerSerializers::unmodifiableSet));
    jdk(
        map,
        51,
        Collections.unmodifiableSortedSet(new TreeSet<>()).getClass(),
        () -> rebuiltSorted(ContainerSerializers::unmodifiableSortedSet));
    jdk(
        map,
        52,
        Collections.unmodifiableNavigableSet(new TreeSet<>()).getClass(),
        () -> rebuiltSorted(ContainerSerializers::unmodifiableNavigableSet));
    jdk(
        map,
        53,
        Collections.unmodifiableMap(new HashMap<>()).getClass(),
        () -> rebuiltMap(false, ContainerSerializers::unmodifiableMap));
    jdk(
        map,
        54,
        Collections.unmodifiableSortedMap(new TreeMap<>()).getClass(),
        () -> rebuiltMap(true, ContainerSerializers::unmodifiableSortedMap));
    jdk(
        map,
        55,
        Collections.unmodifiableNavigableMap(new TreeMap<>()).getClass(),
        () -> rebuiltMap(true, ContainerSerializers::unmodifiableNavigableMap));
    jdk(
        map,
        56,
        Collections.emptyNavigableSet().getClass(),
        () -> singleton(Collections.emptyNavigableSet()));
    jdk(
        map,
        57,
        Collections.emptyNavigableMap().getClass(),
        () -> singleton(Collections.emptyNavigableMap()));
    jdk(map, 58, Comparator.naturalOrder().getClass(), () -> singleton(Comparator.naturalOrder()));
    jdk(map, 59, Comparator.reverseOrder().getClass(), () -> singleton(Comparator.reverseOrder()));
    jdk(
        map,
        60,
        String.CASE_INSENSITIVE_ORDER.getClass(),
        () -> singleton(String.CASE_INSENSITIVE_ORDER));
    return Collections.unmodifiableMap(map);
  }

  private static Serializer<?> singleton(Object instance) {
    return new ContainerSerializers.SingletonSerializer(instance);
  }

  private static Serializer<?> rebuilt(Function<Collection<Object>, Collection<Object>> rebuild) {
    return new ContainerSerializers.RebuiltCollectionSerializer(false, rebuild);
  }

  private static Serializer<?> rebuiltSorted(
      Function<Collection<Object>, Collection<Object>> rebuild) {
    return new ContainerSerializers.RebuiltCollectionSerializer(true, rebuild);
  }

  private static Serializer<?> rebuiltMap(
      boolean sorted, Function<Map<Object, Object>, Map<Object, Object>> rebuild) {
    return new ContainerSerializers.RebuiltMapSerializer(sorted, rebuild);
  }

  private void registerChecked(Class<?> type, int id) {
    try {
      register(type, id);
    } catch (RuntimeException e) {
      // Kryo builds the serializer here, and fails here when it cannot reach a class's fields or
      // constructor; the builder reports it instead of the first encode.
      throw new IllegalArgumentException(
          "type " + type.getTypeName() + " cannot be registered with KryoValueCodec: " + e, e);
    }
  }

  /**
   * The codec's serializer for each registered class: the JDK collections above; records and other
   * classes by field name, so that adding or removing a field keeps the rest; exceptions by message
   * and cause; arrays, collections and maps with their capacity from the decode's budget.
   *
   * <p>Kryo's collection serializer writes the elements of a one-class collection without a
   * per-element marker, so a list of nulls or of field-less records takes a few bytes whatever its
   * length, and no check on the declared length could tell a real one from a forged one. Routing
   * every element through {@link AnyValueSerializer} gives each its class id or null marker: at
   * least one byte, so the length can be checked against the bytes left. Maps and arrays already
   * write each element with at least one byte.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Serializer getDefaultSerializer(Class type) {
    JdkType jdk = JDK_SERIALIZERS.get(type);
    Serializer serializer;
    if (jdk != null) {
      serializer = jdk.serializer().get();
    } else if (type.isRecord()) {
      return new CompatibleRecordSerializer<>(type);
    } else if (Throwable.class.isAssignableFrom(type)) {
      return new ThrowableSerializer<>(type);
    } else if (type.isArray() && !type.getComponentType().isPrimitive()) {
      return new ContainerSerializers.ReferenceArraySerializer(type);
    } else {
      serializer = super.getDefaultSerializer(type);
      if (serializer.getClass() == CollectionSerializer.class) {
        serializer = new ContainerSerializers.BudgetedCollectionSerializer();
      } else if (serializer.getClass() == MapSerializer.class) {
        serializer = new ContainerSerializers.BudgetedMapSerializer();
      }
    }
    if (serializer instanceof CollectionSerializer) {
      ((CollectionSerializer) serializer)
          .setElementClass(Object.class, AnyValueSerializer.INSTANCE);
      ((CollectionSerializer) serializer).setElementsCanBeNull(true);
      return new CountCheckingSerializer<>(serializer, true);
    }
    if (serializer instanceof MapSerializer || type.isArray()) {
      return new CountCheckingSerializer<>(serializer, false);
    }
    return serializer;
  }

  /** Classes with no serializer of their own are written by field name. */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  protected Serializer newDefaultSerializer(Class type) {
    return new CompatibleClassSerializer<>(this, type);
  }

  /** Notes the class of the value being decoded, for the failure message. */
  @Override
  public Registration readClass(Input input) {
    Registration registration = super.readClass(input);
    // Serializers read field classes at depth 1 too; the first class read is the value's.
    if (getDepth() == 1 && topLevelClass == null && registration != null) {
      topLevelClass = registration.getType();
    }
    return registration;
  }

  /** Forgets the previous decode's class; called before each decode. */
  void startDecode() {
    topLevelClass = null;
  }

  /** The class of the value the last decode read, or null if it failed before its class id. */
  @Nullable Class<?> topLevelClass() {
    return topLevelClass;
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected String unregisteredClassMessage(Class type) {
    unregisteredClass = type;
    unregisteredMessage = super.unregisteredClassMessage(type);
    return unregisteredMessage;
  }

  /**
   * The class whose missing registration caused {@code failure}, or null if something else did. The
   * message identity ties the failure to this instance's own lookup, not to an exception some
   * serializer made up with similar text.
   */
  @Nullable Class<?> unregisteredClassIn(Throwable failure) {
    if (unregisteredMessage == null) {
      return null;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException && t.getMessage() == unregisteredMessage) {
        return unregisteredClass;
      }
    }
    return null;
  }

  /** Writes any value with its class id, or the null marker, as a collection element. */
  private static final class AnyValueSerializer extends Serializer<Object> {
    static final AnyValueSerializer INSTANCE = new AnyValueSerializer();

    private AnyValueSerializer() {
      super(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Object value) {
      kryo.writeClassAndObject(output, value);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
      return kryo.readClassAndObject(input);
    }
  }

  /**
   * With registration required, the codec never writes a class by name, so a name in the input is
   * corrupt data; refusing it here keeps the decoder from even loading a class the bytes name.
   */
  private static final class NameRefusingClassResolver extends DefaultClassResolver {
    @Override
    protected Registration readName(Input input) {
      throw new KryoException("class names are not accepted, only registered class ids");
    }
  }
}
