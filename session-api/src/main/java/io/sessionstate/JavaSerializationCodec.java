package io.sessionstate;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ValueCodec} over the JDK's own serialization ({@link ObjectOutputStream} and {@link
 * ObjectInputStream}), with an allow-list of classes that {@link #decode} checks before any class
 * is loaded or instantiated. It stores any {@link java.io.Serializable} object graph exactly as
 * Java serialization does (shared references and cycles included), so the classes of libraries that
 * were written for it, such as Spring Security's security context, authentication tokens, saved
 * requests, CSRF tokens and authentication exceptions, work without any registration beyond their
 * package:
 *
 * <pre>{@code
 * ValueCodec codec = JavaSerializationCodec.builder()
 *     .allowPackage("org.springframework.security")
 *     .allowPackage("com.example.shop")
 *     .build();
 * }</pre>
 *
 * Instances are immutable and thread-safe; every method throws {@link NullPointerException} for a
 * null argument. The codec holds no resource, so there is nothing to close.
 *
 * <h2>What is allowed</h2>
 *
 * A class in the stream is allowed if it is one of the built-in JDK types below (unless {@link
 * Builder#jdkValueTypes(boolean)} turned them off), is named by {@link Builder#allowClass}, or lies
 * in a package named by {@link Builder#allowPackage} or one of its subpackages. An array is allowed
 * if its element type is a primitive, {@code Object}, {@code Map.Entry} or an allowed class (the
 * elements are checked one by one as they are read). Dynamic proxy classes are never allowed. A
 * serializable class's serializable superclasses appear in the stream too and must be allowed
 * likewise: {@code allowPackage} covers a library's own hierarchy. The check runs in {@link
 * ObjectInputStream#resolveClass}, before the class is even loaded, and again in the stream's
 * {@link ObjectInputFilter}. Once an allowed class is loaded (not initialized), {@code
 * resolveClass} also checks its serializable superclasses by name, whether or not the stream names
 * them, since allocating the class would initialize them. So no static initializer, {@code
 * readObject}, {@code readObjectNoData} or {@code readResolve} of a serializable class outside the
 * list runs. A superclass that is not serializable is outside these checks, as in any Java
 * serialization: allocating an allowed class initializes it and runs its no-arg constructor. {@link
 * #encode} applies the same list, so a value that could not be read back is refused when it is
 * written.
 *
 * <p>The built-in JDK types, chosen because they run no code but their own on the way in:
 *
 * <ul>
 *   <li>{@code java.lang}: {@code Boolean}, {@code Byte}, {@code Character}, {@code Short}, {@code
 *       Integer}, {@code Long}, {@code Float}, {@code Double} and their superclass {@code Number};
 *       {@code Enum} (the superclass of every enum; the enum itself must be allowed); {@code
 *       String.CASE_INSENSITIVE_ORDER}'s class; {@code Throwable}, {@code Exception}, {@code
 *       RuntimeException} and {@code StackTraceElement}, the superclasses and fields of any
 *       serialized exception; {@code String} (for arrays of strings: a string itself needs no
 *       entry).
 *   <li>{@code java.math}: {@code BigInteger}, {@code BigDecimal}.
 *   <li>{@code java.time} and its subpackages (every value there is written through {@code
 *       java.time.Ser}).
 *   <li>{@code java.util}: {@code ArrayList}, {@code LinkedList}, {@code ArrayDeque}, {@code
 *       HashMap}, {@code LinkedHashMap}, {@code TreeMap}, {@code HashSet}, {@code LinkedHashSet},
 *       {@code TreeSet}, {@code EnumMap}, {@code EnumSet}'s serial proxy, {@code Date}, {@code
 *       Locale}, {@code UUID}; {@code Arrays.asList}'s list; the unmodifiable, empty and singleton
 *       collections and maps of {@code Collections} and {@code Collections.reverseOrder()}; and
 *       {@code java.util.CollSer}, the serial proxy of {@code List.of}, {@code Set.of} and {@code
 *       Map.of}, with the classes of {@code java.util.ImmutableCollections} it resolves to (the JDK
 *       filters the result of {@code readResolve} too).
 * </ul>
 *
 * <h2>Limits</h2>
 *
 * Every decode is also bounded, by the stream's filter, before the bytes can make it allocate:
 * nesting depth ({@link Builder#maxDepth}, default {@value #DEFAULT_MAX_DEPTH}), object references
 * ({@link Builder#maxReferences}, default {@value #DEFAULT_MAX_REFERENCES}), the length of any one
 * array, including the arrays that collections such as {@code ArrayList} and {@code HashMap}
 * allocate for the size their bytes claim ({@link Builder#maxArrayLength}, default {@value
 * #DEFAULT_MAX_ARRAY_LENGTH}), and the bytes of one value ({@link Builder#maxBytes}, default
 * {@value #DEFAULT_MAX_BYTES}, which {@link #encode} applies too). Beyond these, the arrays of one
 * decode together may claim at most twice the input's size or {@value #ARRAY_BUDGET_FLOOR} bytes,
 * whichever is more (a reference counted as 4 bytes), so a small input that claims a large
 * collection at every level of nesting is refused before those collections are allocated. Only a
 * list or map holding thousands of nulls could reach that budget honestly.
 *
 * <p>The limits bound allocation, not CPU. Sets nested inside each other that share their children
 * (a {@code HashSet} graph of n levels in about 57 n bytes) make a decode hash 2<sup>n</sup> times,
 * so the default depth is low: Spring Security's security context needs 7 and a saved request 4,
 * and at depth 16 such a graph costs some 30,000 hash computations, tens of milliseconds. Raise
 * {@link Builder#maxDepth} only for values that need it, and only with verified bytes (below).
 *
 * <p>One cost no filter sees: {@link ObjectInputStream} sizes its buffer for a string or class name
 * from the length its header claims (at most 65,535 characters) before reading the characters, so a
 * small input whose last string claims that length makes one decode allocate up to about 210 KiB
 * before it fails at the end of the bytes. That is bounded, but above twice a small input's size.
 *
 * <h2>Only for verified bytes</h2>
 *
 * The allow-list keeps foreign classes out, but an allowed class still runs its own {@code
 * readObject} on whatever the bytes say. Use this codec where {@link #decode} sees only bytes this
 * application wrote: with the session manager's blob integrity on (the default for networked
 * stores), or over the in-process memory store. Every failure, including an {@link
 * OutOfMemoryError} or {@link StackOverflowError} while reading, is a {@link SessionDataException}
 * whose message names the class where one is known and never contains the value.
 *
 * <h2>Evolving classes</h2>
 *
 * Java serialization matches fields by name and type and compares each class's {@code
 * serialVersionUID}: a class that declares one keeps reading values stored before a field was added
 * (the new field takes its default value) or removed (the stored field is skipped); a renamed field
 * reads as its default value. A class without an explicit {@code serialVersionUID}, a renamed class
 * or a deleted class makes the value unreadable.
 */
public final class JavaSerializationCodec implements ValueCodec {

  /** The default {@link Builder#maxDepth}. */
  public static final int DEFAULT_MAX_DEPTH = 16;

  /** The default {@link Builder#maxReferences}. */
  public static final int DEFAULT_MAX_REFERENCES = 100_000;

  /** The default {@link Builder#maxArrayLength}. */
  public static final int DEFAULT_MAX_ARRAY_LENGTH = 100_000;

  /** The default {@link Builder#maxBytes}: 1 MiB. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  /** The least that the arrays of one decode may claim together, in bytes: 16 KiB. */
  static final int ARRAY_BUDGET_FLOOR = 16 << 10;

  private final SerialAllowList allowList;
  private final SerialDecodeFilter.Limits limits;

  /** The loader to resolve classes with; null for the JDK's default resolution. */
  private final @Nullable ClassLoader classLoader;

  private JavaSerializationCodec(SerialOptions options) {
    this.allowList = options.allowList();
    this.limits = options.limits();
    this.classLoader = options.classLoader();
  }

  /** Returns a builder with an empty allow-list, the built-in JDK types and the default limits. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Serializes a value and every object it refers to.
   *
   * @throws SessionDataException if the value or an object it refers to is not serializable or of a
   *     class outside the allow-list, if the value serializes to more than {@link Builder#maxBytes}
   *     bytes, or if serialization fails in any other way; the message names the value's class and,
   *     where known, the class at fault
   */
  @Override
  public byte[] encode(Object value) {
    requireNonNull(value, "value");
    String prefix = "cannot encode value of class " + value.getClass().getTypeName() + ": ";
    SerialBoundedOutput bytes = new SerialBoundedOutput(limits.maxBytes());
    try (SerialOutputStream out = new SerialOutputStream(bytes, allowList)) {
      out.writeObject(value);
    } catch (SerialOutputStream.NotAllowedException e) {
      throw new SessionDataException(prefix + e.getMessage(), e);
    } catch (SerialBoundedOutput.TooLargeException e) {
      throw new SessionDataException(
          prefix + "it serializes to more than maxBytes (" + limits.maxBytes() + " bytes)", e);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      throw new SessionDataException(prefix + describe(e), e);
    }
    return bytes.toByteArray();
  }

  /**
   * Deserializes bytes that {@link #encode} wrote into an instance of {@code type}. A primitive
   * {@code type} such as {@code int.class} accepts its boxed values. The bytes must hold exactly
   * one object, with nothing after it.
   *
   * @throws SessionDataException if the bytes name a class outside the allow-list or a class that
   *     cannot be found or is incompatible with the one stored, exceed a limit, are truncated,
   *     corrupt or followed by more bytes, or hold a value that is not a {@code type}; also for any
   *     other failure while reading, including running out of memory or stack
   */
  @Override
  public <T> T decode(byte[] bytes, Class<T> type) {
    requireNonNull(bytes, "bytes");
    requireNonNull(type, "type");
    String prefix = "cannot decode value as " + type.getTypeName() + ": ";
    if (bytes.length > limits.maxBytes()) {
      throw new SessionDataException(
          prefix
              + "the value has "
              + bytes.length
              + " bytes, more than maxBytes ("
              + limits.maxBytes()
              + ")");
    }
    ByteArrayInputStream input = new ByteArrayInputStream(bytes);
    SerialDecodeFilter filter = new SerialDecodeFilter(allowList, limits, bytes.length);
    Object value;
    try (SerialInputStream in = new SerialInputStream(input, filter, classLoader)) {
      value = in.readObject();
    } catch (Throwable failure) {
      rethrowIfJvmBroken(failure);
      String rejection = filter.rejection;
      if (rejection != null) {
        throw new SessionDataException(prefix + rejection, failure);
      }
      throw new SessionDataException(prefix + describe(failure), failure);
    }
    if (input.available() != 0) {
      throw new SessionDataException(prefix + "unread bytes after the value: " + input.available());
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
   * A failure described by its type and, where the JDK names one, the class concerned; never the
   * exception's own message, which for some JDK exceptions quotes the data being read.
   */
  private static String describe(Throwable failure) {
    if (failure instanceof InvalidClassException
        && ((InvalidClassException) failure).classname != null) {
      InvalidClassException invalid = (InvalidClassException) failure;
      return "class "
          + invalid.classname
          + " is incompatible with the stored one ("
          + failure.getClass().getName()
          + ")";
    }
    if (failure instanceof ClassNotFoundException) {
      return "class " + failure.getMessage() + " is not found";
    }
    if (failure instanceof java.io.EOFException) {
      return "the bytes end before the value does";
    }
    if (failure instanceof ClassCastException) {
      // The JDK's message names the two classes and nothing else.
      return String.valueOf(failure.getMessage());
    }
    return "the bytes are not a serialized value (" + failure.getClass().getName() + ")";
  }

  /** See the Kryo codec: out-of-memory and stack overflow here are one input's, not the JVM's. */
  private static void rethrowIfJvmBroken(Throwable failure) {
    if (failure instanceof VirtualMachineError
        && !(failure instanceof OutOfMemoryError)
        && !(failure instanceof StackOverflowError)) {
      throw (VirtualMachineError) failure;
    }
  }

  /**
   * Collects the allow-list and limits for a {@link JavaSerializationCodec}. Not thread-safe; each
   * method validates its argument at once and throws {@link NullPointerException} for null.
   */
  public static final class Builder {
    private final SerialOptions options = new SerialOptions();

    private Builder() {}

    /**
     * Allows every class in a package and its subpackages, such as {@code
     * "org.springframework.security"}. The JDK's own packages ({@code java}, {@code javax}, {@code
     * jdk}, {@code sun}, {@code com.sun} and below) hold known deserialization gadgets and can only
     * be allowed class by class, with {@link #allowClass}.
     *
     * @throws IllegalArgumentException if the name is not a package name (no trailing dot or
     *     wildcard) or names a JDK package
     */
    public Builder allowPackage(String packageName) {
      options.allowPackage(packageName);
      return this;
    }

    /** Allows one class, exactly (not its subclasses). */
    public Builder allowClass(Class<?> type) {
      options.allowClass(type);
      return this;
    }

    /**
     * Allows one class by its binary name, exactly (not its subclasses): {@code
     * "com.example.Outer$Inner"} for a nested class.
     *
     * @throws IllegalArgumentException if the name is not a binary class name
     */
    public Builder allowClass(String className) {
      options.allowClass(className);
      return this;
    }

    /**
     * Whether the built-in JDK types listed in the class Javadoc are allowed; default true. With
     * false, only the classes and packages allowed here are, and every JDK class a value uses must
     * be allowed with {@link #allowClass}.
     */
    public Builder jdkValueTypes(boolean allowed) {
      options.jdkValueTypes(allowed);
      return this;
    }

    /**
     * The deepest nesting of objects one decode may read; default {@value
     * JavaSerializationCodec#DEFAULT_MAX_DEPTH}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxDepth(int depth) {
      options.maxDepth(depth);
      return this;
    }

    /**
     * The most objects, strings, arrays and class descriptors one decode may read; default {@value
     * JavaSerializationCodec#DEFAULT_MAX_REFERENCES}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxReferences(int references) {
      options.maxReferences(references);
      return this;
    }

    /**
     * The longest array, or collection storage, one decode may allocate; default {@value
     * JavaSerializationCodec#DEFAULT_MAX_ARRAY_LENGTH}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxArrayLength(int length) {
      options.maxArrayLength(length);
      return this;
    }

    /**
     * The largest serialized value, in bytes, for both {@link JavaSerializationCodec#encode} and
     * {@link JavaSerializationCodec#decode}; default {@value
     * JavaSerializationCodec#DEFAULT_MAX_BYTES} (1 MiB).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxBytes(int bytes) {
      options.maxBytes(bytes);
      return this;
    }

    /**
     * The class loader that decode loads allowed classes from; by default, the JDK's choice for
     * {@link ObjectInputStream}: the loader of the nearest application class on the calling
     * thread's stack.
     */
    public Builder classLoader(ClassLoader loader) {
      options.classLoader(loader);
      return this;
    }

    /**
     * Builds the codec.
     *
     * @throws IllegalStateException if neither {@link #allowPackage} nor {@link #allowClass} was
     *     called: the allow-list is required
     */
    public JavaSerializationCodec build() {
      options.requireAllowList();
      return new JavaSerializationCodec(options);
    }
  }

  @Override
  public String toString() {
    return "JavaSerializationCodec" + allowList;
  }
}
