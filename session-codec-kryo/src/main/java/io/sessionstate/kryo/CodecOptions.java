package io.sessionstate.kryo;

import static io.sessionstate.kryo.KryoValueCodec.DEFAULT_MAX_VALUE_SIZE;
import static io.sessionstate.kryo.KryoValueCodec.FIRST_USER_ID;
import static java.util.Objects.requireNonNull;

import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The registrations and options of a {@link KryoValueCodec.Builder}: each call checks its argument
 * at once, against the default registrations too, and {@link #registrations()} gives every class
 * its id. Not thread-safe.
 */
final class CodecOptions {

  /** The highest id Kryo can write: it stores {@code id + 2} as an int. */
  private static final int MAX_USER_ID = Integer.MAX_VALUE - 2;

  /**
   * Kryo registers these itself in its constructor; the ids are documented in {@link
   * KryoValueCodec}.
   */
  private static final Map<Class<?>, Integer> KRYO_BUILT_INS =
      Map.ofEntries(
          Map.entry(int.class, 0),
          Map.entry(Integer.class, 0),
          Map.entry(String.class, 1),
          Map.entry(float.class, 2),
          Map.entry(Float.class, 2),
          Map.entry(boolean.class, 3),
          Map.entry(Boolean.class, 3),
          Map.entry(byte.class, 4),
          Map.entry(Byte.class, 4),
          Map.entry(char.class, 5),
          Map.entry(Character.class, 5),
          Map.entry(short.class, 6),
          Map.entry(Short.class, 6),
          Map.entry(long.class, 7),
          Map.entry(Long.class, 7),
          Map.entry(double.class, 8),
          Map.entry(Double.class, 8),
          Map.entry(void.class, 9),
          Map.entry(Void.class, 9));

  /** Registered by the codec; part of the stored format, so an id here never changes. */
  private static final Map<Class<?>, Integer> CODEC_DEFAULTS = codecDefaults();

  private static Map<Class<?>, Integer> codecDefaults() {
    Map<Class<?>, Integer> ids = new LinkedHashMap<>();
    ids.put(byte[].class, 10);
    ids.put(int[].class, 11);
    ids.put(long[].class, 12);
    ids.put(String[].class, 13);
    ids.put(ArrayList.class, 14);
    ids.put(LinkedList.class, 15);
    ids.put(HashMap.class, 16);
    ids.put(LinkedHashMap.class, 17);
    ids.put(TreeMap.class, 18);
    ids.put(HashSet.class, 19);
    ids.put(LinkedHashSet.class, 20);
    ids.put(TreeSet.class, 21);
    ids.put(BigInteger.class, 22);
    ids.put(BigDecimal.class, 23);
    ids.put(UUID.class, 24);
    ids.put(Instant.class, 25);
    ids.put(Duration.class, 26);
    ids.put(LocalDate.class, 27);
    ids.put(LocalTime.class, 28);
    ids.put(LocalDateTime.class, 29);
    ids.put(OffsetDateTime.class, 30);
    ids.put(ZonedDateTime.class, 31);
    ids.putAll(CodecKryo.jdkTypes());
    return Collections.unmodifiableMap(ids);
  }

  /** Registration order matters for ids taken automatically; null marks such a registration. */
  private final Map<Class<?>, Integer> registrations = new LinkedHashMap<>();

  private final Map<Integer, Class<?>> explicitIds = new HashMap<>();
  private int maxValueSize = DEFAULT_MAX_VALUE_SIZE;

  void register(Class<?> type) {
    requireNonNull(type, "type");
    checkRegistrable(type);
    registrations.put(type, null);
  }

  void register(Class<?> type, int id) {
    requireNonNull(type, "type");
    if (id < FIRST_USER_ID || id > MAX_USER_ID) {
      throw new IllegalArgumentException(
          "id must be between "
              + FIRST_USER_ID
              + " and "
              + MAX_USER_ID
              + " (lower ids are reserved by KryoValueCodec): "
              + id);
    }
    checkRegistrable(type);
    Class<?> holder = explicitIds.get(id);
    if (holder != null) {
      throw new IllegalArgumentException(
          "id " + id + " is already registered for " + holder.getTypeName());
    }
    registrations.put(type, id);
    explicitIds.put(id, type);
  }

  private void checkRegistrable(Class<?> type) {
    Integer defaultId = defaultId(type);
    if (defaultId != null) {
      throw new IllegalArgumentException(
          "type "
              + type.getTypeName()
              + " is registered by default under id "
              + defaultId
              + "; do not register it");
    }
    if (registrations.containsKey(type)) {
      throw new IllegalArgumentException("type " + type.getTypeName() + " is already registered");
    }
    if (type.isInterface()) {
      throw new IllegalArgumentException(
          "type must be a class, not an interface (register the implementation classes): "
              + type.getTypeName());
    }
    // An array class reports itself abstract; an enum whose constants have bodies is abstract
    // and is what Kryo looks up for those constants.
    if (Modifier.isAbstract(type.getModifiers()) && !type.isArray() && !type.isEnum()) {
      throw new IllegalArgumentException(
          "type must not be abstract (register the concrete subclasses): " + type.getTypeName());
    }
  }

  private static @Nullable Integer defaultId(Class<?> type) {
    Integer id = KRYO_BUILT_INS.get(type);
    return id != null ? id : CODEC_DEFAULTS.get(type);
  }

  void maxValueSize(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxValueSize must be positive: " + bytes);
    }
    maxValueSize = bytes;
  }

  int maxValueSize() {
    return maxValueSize;
  }

  /**
   * Every class the codec registers with its id: the codec's defaults, then the application's
   * classes in registration order, each without a fixed id taking the next one that is free.
   */
  Map<Class<?>, Integer> registrations() {
    Map<Class<?>, Integer> all = new LinkedHashMap<>(CODEC_DEFAULTS);
    int next = FIRST_USER_ID;
    for (Map.Entry<Class<?>, Integer> registration : registrations.entrySet()) {
      Integer id = registration.getValue();
      if (id == null) {
        while (explicitIds.containsKey(next)) {
          next++;
        }
        id = next++;
      }
      all.put(registration.getKey(), id);
    }
    return Collections.unmodifiableMap(all);
  }
}
