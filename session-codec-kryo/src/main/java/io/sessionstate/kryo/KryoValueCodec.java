package io.sessionstate.kryo;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.util.Pool;
import io.sessionstate.SessionDataException;
import io.sessionstate.ValueCodec;
import java.lang.invoke.MethodType;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ValueCodec} that writes object values with <a
 * href="https://github.com/EsotericSoftware/kryo">Kryo</a> (the relocated {@code kryo5} artifact)
 * with class registration required: the bytes of a value can only ever produce instances of the
 * classes registered here. Instances are immutable and thread-safe; every method throws {@link
 * NullPointerException} for a null argument. The codec holds a small pool of Kryo instances and no
 * other resource, so there is nothing to close.
 *
 * <pre>{@code
 * ValueCodec codec = KryoValueCodec.builder()
 *     .register(Cart.class, 100)
 *     .register(CartLine.class, 101)
 *     .build();
 * }</pre>
 *
 * <h2>Only for verified bytes</h2>
 *
 * Kryo is not safe on hostile bytes: registration keeps foreign classes out, but a registered
 * class's constructor or setters still run on whatever the bytes say. Use this codec only where
 * {@link #decode} sees nothing but bytes this application wrote: with the session manager's blob
 * integrity on (the default for networked stores), or over a store nobody else can write to (the
 * in-process memory store, where integrity is off by default). As defence in depth, {@code decode}
 * reports every failure, including an {@link OutOfMemoryError} or {@link StackOverflowError} inside
 * Kryo, as a {@link SessionDataException} whose message names the stored class where the bytes got
 * that far, and never quotes a value; it refuses any class name in the input, refuses any declared
 * string, array, collection or map length larger than the bytes that are left, and stops at a
 * nesting depth of {@value CodecKryo#MAX_DEPTH} (a collection counts twice: itself and its element,
 * so about 50 nested collections). A value nested deeper than that fails at {@link #encode}
 * already. Capacity reserved ahead of the elements (an {@code ArrayList}'s or object array's slots,
 * a hash table) comes from one budget per decode of {@code max(value size / 2, 32 KiB)} bytes,
 * shared by every nested collection; past it, collections grow as their elements arrive. So what a
 * decode allocates beyond the objects it returns stays within that budget. Every element of a
 * collection or map is written with its own class id or null marker (Kryo's generics and same-class
 * optimizations are off), so that each element takes at least one byte, which is what makes the
 * length check exact.
 *
 * <h2>Changing classes between deployments</h2>
 *
 * Classes are written field by field with each field's name (Kryo's {@code
 * CompatibleFieldSerializer}), records component by component with each component's name, the names
 * once per class per value. A server reading a value written by another version of the class keeps
 * every field both versions have: a field the bytes lack keeps the value the class's no-arg
 * constructor gives it (or null, 0, false without one; a record component gets null, 0, false), and
 * a field the class lacks is read and dropped, which needs its value's class to be registered
 * still. A renamed field is a removed one plus an added one. A field whose type changed, a class id
 * that is no longer registered, or a class registered under another id fails the whole value with a
 * {@link SessionDataException}. Enums are written by ordinal: add constants at the end only.
 * Exceptions are written as their message and cause only (see below).
 *
 * <h2>Registration ids</h2>
 *
 * A value's bytes name its classes by registration id, so every server that shares a session store
 * must register the same classes under the same ids. {@link Builder#register(Class, int)} fixes an
 * id, which is the safe choice for rolling deployments; {@link Builder#register(Class)} takes the
 * next free id from {@value #FIRST_USER_ID} up, in registration order. Ids below {@value
 * #FIRST_USER_ID} are reserved; these are registered by default, under ids that never change:
 *
 * <table>
 *   <caption>Default registrations</caption>
 *   <tr><th>id</th><th>type</th></tr>
 *   <tr><td>0</td><td>{@code int}, {@link Integer}</td></tr>
 *   <tr><td>1</td><td>{@link String}</td></tr>
 *   <tr><td>2</td><td>{@code float}, {@link Float}</td></tr>
 *   <tr><td>3</td><td>{@code boolean}, {@link Boolean}</td></tr>
 *   <tr><td>4</td><td>{@code byte}, {@link Byte}</td></tr>
 *   <tr><td>5</td><td>{@code char}, {@link Character}</td></tr>
 *   <tr><td>6</td><td>{@code short}, {@link Short}</td></tr>
 *   <tr><td>7</td><td>{@code long}, {@link Long}</td></tr>
 *   <tr><td>8</td><td>{@code double}, {@link Double}</td></tr>
 *   <tr><td>9</td><td>{@code void}, {@link Void}</td></tr>
 *   <tr><td>10</td><td>{@code byte[]}</td></tr>
 *   <tr><td>11</td><td>{@code int[]}</td></tr>
 *   <tr><td>12</td><td>{@code long[]}</td></tr>
 *   <tr><td>13</td><td>{@code String[]}</td></tr>
 *   <tr><td>14</td><td>{@link ArrayList}</td></tr>
 *   <tr><td>15</td><td>{@link LinkedList}</td></tr>
 *   <tr><td>16</td><td>{@link HashMap}</td></tr>
 *   <tr><td>17</td><td>{@link LinkedHashMap}</td></tr>
 *   <tr><td>18</td><td>{@link TreeMap} (natural order; a comparator must be registered)</td></tr>
 *   <tr><td>19</td><td>{@link HashSet}</td></tr>
 *   <tr><td>20</td><td>{@link LinkedHashSet}</td></tr>
 *   <tr><td>21</td><td>{@link TreeSet} (natural order; a comparator must be registered)</td></tr>
 *   <tr><td>22</td><td>{@link BigInteger}</td></tr>
 *   <tr><td>23</td><td>{@link BigDecimal}</td></tr>
 *   <tr><td>24</td><td>{@link UUID}</td></tr>
 *   <tr><td>25</td><td>{@link Instant}</td></tr>
 *   <tr><td>26</td><td>{@link Duration}</td></tr>
 *   <tr><td>27</td><td>{@link LocalDate}</td></tr>
 *   <tr><td>28</td><td>{@link LocalTime}</td></tr>
 *   <tr><td>29</td><td>{@link LocalDateTime}</td></tr>
 *   <tr><td>30</td><td>{@link OffsetDateTime}</td></tr>
 *   <tr><td>31</td><td>{@link ZonedDateTime}</td></tr>
 *   <tr><td>32</td><td>{@link Locale}</td></tr>
 *   <tr><td>33&ndash;35</td><td>{@link Collections#emptyList()}, {@code emptySet()},
 *       {@code emptyMap()}</td></tr>
 *   <tr><td>36&ndash;38</td><td>{@link Collections#singletonList}, {@code singleton},
 *       {@code singletonMap}</td></tr>
 *   <tr><td>39&ndash;41</td><td>{@link List#of} (its two classes) and its sublists; also
 *       {@code Stream.toList()}</td></tr>
 *   <tr><td>42&ndash;43</td><td>{@link Set#of} (its two classes)</td></tr>
 *   <tr><td>44&ndash;45</td><td>{@link Map#of} (its two classes), {@code Map.copyOf}</td></tr>
 *   <tr><td>46</td><td>{@link Arrays#asList}</td></tr>
 *   <tr><td>47&ndash;55</td><td>{@link Collections#unmodifiableCollection},
 *       {@code unmodifiableList} (both classes), {@code unmodifiableSet},
 *       {@code unmodifiableSortedSet}, {@code unmodifiableNavigableSet}, {@code unmodifiableMap},
 *       {@code unmodifiableSortedMap}, {@code unmodifiableNavigableMap}</td></tr>
 *   <tr><td>56&ndash;57</td><td>{@link Collections#emptyNavigableSet()},
 *       {@code emptyNavigableMap()} (also {@code emptySortedSet()}, {@code emptySortedMap()})</td></tr>
 *   <tr><td>58&ndash;60</td><td>{@link Comparator#naturalOrder()}, {@link Comparator#reverseOrder()},
 *       {@link String#CASE_INSENSITIVE_ORDER}</td></tr>
 * </table>
 *
 * <p>The JDK's unmodifiable collections read back as equal unmodifiable collections of the same
 * kind, rebuilt from their elements (an unmodifiable set or map in its original iteration order; a
 * sorted one with its comparator, which must be registered unless it is one of the three above).
 * Object graphs are written as trees: a shared object is written once per reference, and a cycle
 * fails at {@code encode}. Classes need no no-arg constructor (Objenesis makes them without one).
 * An exception class is written as its message and cause and read back through its public {@code
 * (String, Throwable)} or {@code (String)} constructor, without its stack trace, suppressed
 * exceptions or fields of its own. On the module path, a registered class's package must be open to
 * {@code com.esotericsoftware.kryo.kryo5} unless the class and the members Kryo uses are public,
 * and a record's package must be open to {@code io.sessionstate.kryo} unless the record is public
 * in an exported package.
 */
public final class KryoValueCodec implements ValueCodec {

  /** The lowest id an application class can be registered under. */
  public static final int FIRST_USER_ID = 100;

  /** The default {@link Builder#maxValueSize}: 1 MiB. */
  public static final int DEFAULT_MAX_VALUE_SIZE = 1 << 20;

  /**
   * Idle Kryo instances kept for reuse; more threads than this still get an instance each, and the
   * surplus is dropped when freed.
   */
  private static final int POOL_CAPACITY = 32;

  /** Most session values are small; the output grows, by doubling, up to maxValueSize. */
  private static final int INITIAL_BUFFER_SIZE = 256;

  private final int maxValueSize;
  private final Pool<CodecKryo> pool;

  private KryoValueCodec(Map<Class<?>, Integer> registrations, int maxValueSize) {
    this.maxValueSize = maxValueSize;
    this.pool =
        new Pool<>(true, false, POOL_CAPACITY) {
          @Override
          protected CodecKryo create() {
            return new CodecKryo(registrations);
          }
        };
    // A class Kryo cannot handle fails here, in build(), rather than at the first encode.
    pool.free(new CodecKryo(registrations));
  }

  /** Returns a builder with no application classes registered and the default options. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Encodes a value of a registered class, with every object it refers to.
   *
   * @throws SessionDataException if the value or an object it refers to is of an unregistered
   *     class, if it encodes to more than {@link Builder#maxValueSize} bytes, if it nests deeper
   *     than the depth limit or has a cycle, or if Kryo fails in any other way; the message names
   *     the value's class
   */
  @Override
  public byte[] encode(Object value) {
    requireNonNull(value, "value");
    CodecKryo kryo = null;
    boolean reusable = false;
    try {
      kryo = pool.obtain();
      Output output = new Output(Math.min(INITIAL_BUFFER_SIZE, maxValueSize), maxValueSize);
      kryo.writeClassAndObject(output, value);
      reusable = true;
      return output.toBytes();
    } catch (Throwable failure) {
      reusable = isReusableAfter(failure);
      throw encodeFailure(kryo, value, failure);
    } finally {
      if (reusable) {
        pool.free(kryo);
      }
    }
  }

  /**
   * Whether a Kryo instance can go back to the pool after {@code failure}. Kryo unwinds its depth
   * in finally blocks and resets its per-value state (class ids, graph context) when the outermost
   * call ends, thrown or not, and the codec turns off the generics state that it would not unwind;
   * so a failed value leaves a clean instance, and a stream of bad values does not cost a new
   * instance (and its reflection) each. A VirtualMachineError may have struck inside one of those
   * finally blocks, so that instance is dropped.
   */
  private static boolean isReusableAfter(Throwable failure) {
    return !(failure instanceof VirtualMachineError);
  }

  private SessionDataException encodeFailure(
      @Nullable CodecKryo kryo, Object value, Throwable failure) {
    rethrowIfJvmBroken(failure);
    String prefix = "cannot encode value of class " + value.getClass().getTypeName() + ": ";
    Class<?> unregistered = kryo == null ? null : kryo.unregisteredClassIn(failure);
    if (unregistered != null) {
      String which =
          unregistered == value.getClass() ? "class" : "class " + unregistered.getTypeName();
      return new SessionDataException(
          prefix
              + which
              + " is not registered with KryoValueCodec"
              + " (register it in KryoValueCodec.builder().register(...))",
          failure);
    }
    if (hasCause(failure, KryoBufferOverflowException.class)) {
      return new SessionDataException(
          prefix + "it encodes to more than maxValueSize (" + maxValueSize + " bytes)", failure);
    }
    return new SessionDataException(prefix + describe(failure), failure);
  }

  /**
   * Decodes bytes that {@link #encode} wrote into an instance of {@code type}. A primitive {@code
   * type} such as {@code int.class} accepts its boxed values. The bytes must hold exactly one
   * value, with nothing after it.
   *
   * @throws SessionDataException if the bytes are truncated, corrupt or followed by more bytes,
   *     name an unregistered class id, hold no value, or hold a value that is not a {@code type};
   *     also for any other failure inside Kryo, including running out of memory or stack
   */
  @Override
  public <T> T decode(byte[] bytes, Class<T> type) {
    requireNonNull(bytes, "bytes");
    requireNonNull(type, "type");
    String prefix = "cannot decode value as " + type.getTypeName();
    CodecKryo kryo = null;
    boolean reusable = false;
    BoundedInput input = new BoundedInput(bytes);
    Object value;
    try {
      kryo = pool.obtain();
      kryo.startDecode();
      value = kryo.readClassAndObject(input);
      reusable = true;
    } catch (Throwable failure) {
      rethrowIfJvmBroken(failure);
      reusable = isReusableAfter(failure);
      Class<?> stored = kryo == null ? null : kryo.topLevelClass();
      String storedClass = stored == null ? "" : " (stored class " + stored.getTypeName() + ")";
      throw new SessionDataException(prefix + storedClass + ": " + describe(failure), failure);
    } finally {
      if (reusable) {
        pool.free(kryo);
      }
    }
    prefix += ": ";
    int trailing = bytes.length - input.position();
    if (trailing != 0) {
      throw new SessionDataException(prefix + "unread bytes after the value: " + trailing);
    }
    if (value == null) {
      throw new SessionDataException(prefix + "the bytes hold no value");
    }
    Class<?> boxed = MethodType.methodType(type).wrap().returnType();
    if (!boxed.isInstance(value)) {
      throw new SessionDataException(prefix + "the bytes hold a " + value.getClass().getTypeName());
    }
    @SuppressWarnings("unchecked") // checked just above, against the boxed form of T
    T result = (T) value;
    return result;
  }

  /**
   * What went wrong, in words that never quote a value. Kryo's own messages and the codec's checks
   * name classes, fields and lengths, and Kryo's serialization trace says which field of which
   * class was being read; any other exception (a constructor's validation, a collection refusing a
   * duplicate) may quote the value it refused, so only its class is named.
   */
  static String describe(Throwable failure) {
    Throwable leaf = failure;
    KryoException innermostKryo = failure instanceof KryoException ? (KryoException) failure : null;
    while (leaf.getCause() != null && leaf.getCause() != leaf) {
      leaf = leaf.getCause();
      if (leaf instanceof KryoException) {
        innermostKryo = (KryoException) leaf;
      }
    }
    if (leaf instanceof KryoException) {
      return String.valueOf(leaf.getMessage());
    }
    String description = leaf.getClass().getName();
    if (innermostKryo != null) {
      String message = String.valueOf(innermostKryo.getMessage());
      int trace = message.indexOf("Serialization trace:");
      if (trace >= 0) {
        description += "\n" + message.substring(trace);
      }
    }
    return description;
  }

  /**
   * OutOfMemoryError and StackOverflowError are caught with the rest: from Kryo on bad bytes they
   * mean one oversized allocation that failed (so the heap was never filled) or a nesting that
   * unwound, and the thread and JVM are fine. The other VirtualMachineErrors (InternalError,
   * UnknownError) say the JVM itself is broken, which no input can cause and no caller can repair.
   */
  private static void rethrowIfJvmBroken(Throwable failure) {
    if (failure instanceof VirtualMachineError
        && !(failure instanceof OutOfMemoryError)
        && !(failure instanceof StackOverflowError)) {
      throw (VirtualMachineError) failure;
    }
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Collects registrations and options for a {@link KryoValueCodec}. Not thread-safe; each method
   * validates its argument at once and throws {@link NullPointerException} for null.
   */
  public static final class Builder {
    private final CodecOptions options = new CodecOptions();

    private Builder() {}

    /**
     * Registers an application class under the next free id from {@value
     * KryoValueCodec#FIRST_USER_ID} up, in the order of registration, skipping ids given to {@link
     * #register(Class, int)}. Every server that shares a store must register the same classes in
     * the same order.
     *
     * @throws IllegalArgumentException if the class is registered already, here or by default, or
     *     is an interface or an abstract class other than an enum
     */
    public Builder register(Class<?> type) {
      options.register(type);
      return this;
    }

    /**
     * Registers an application class under a fixed id, from {@value KryoValueCodec#FIRST_USER_ID}
     * up. Fixed ids keep stored sessions readable when registrations are added or reordered.
     *
     * @throws IllegalArgumentException if the class or the id is registered already, the id is out
     *     of range, or the class is an interface or an abstract class other than an enum
     */
    public Builder register(Class<?> type, int id) {
      options.register(type, id);
      return this;
    }

    /**
     * The largest encoded value, in bytes; default {@value KryoValueCodec#DEFAULT_MAX_VALUE_SIZE}
     * (1 MiB). {@link KryoValueCodec#encode} never buffers more than this. It does not limit {@code
     * decode}, so that lowering it does not make sessions already stored unreadable.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder maxValueSize(int bytes) {
      options.maxValueSize(bytes);
      return this;
    }

    /**
     * Builds the codec, creating its first Kryo instance now.
     *
     * @throws IllegalArgumentException if Kryo cannot handle a registered class, for example
     *     because its package is not open to Kryo on the module path
     */
    public KryoValueCodec build() {
      return new KryoValueCodec(options.registrations(), options.maxValueSize());
    }
  }
}
