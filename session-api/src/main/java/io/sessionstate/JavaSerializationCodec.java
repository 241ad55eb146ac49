package io.sessionstate;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

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

  /** Exact names of the built-in JDK types; see the class Javadoc. */
  private static final Set<String> JDK_VALUE_TYPES =
      Set.of(
          "java.lang.String",
          "java.lang.Boolean",
          "java.lang.Byte",
          "java.lang.Character",
          "java.lang.Short",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Float",
          "java.lang.Double",
          "java.lang.Number",
          "java.lang.Enum",
          "java.lang.String$CaseInsensitiveComparator",
          "java.lang.Throwable",
          "java.lang.Exception",
          "java.lang.RuntimeException",
          "java.lang.StackTraceElement",
          "java.math.BigInteger",
          "java.math.BigDecimal",
          "java.util.ArrayList",
          "java.util.LinkedList",
          "java.util.ArrayDeque",
          "java.util.HashMap",
          "java.util.LinkedHashMap",
          "java.util.TreeMap",
          "java.util.HashSet",
          "java.util.LinkedHashSet",
          "java.util.TreeSet",
          "java.util.EnumMap",
          "java.util.EnumSet$SerializationProxy",
          "java.util.Date",
          "java.util.Locale",
          "java.util.UUID",
          "java.util.Arrays$ArrayList",
          "java.util.CollSer",
          "java.util.ImmutableCollections$List12",
          "java.util.ImmutableCollections$ListN",
          "java.util.ImmutableCollections$Set12",
          "java.util.ImmutableCollections$SetN",
          "java.util.ImmutableCollections$Map1",
          "java.util.ImmutableCollections$MapN",
          "java.util.Collections$UnmodifiableCollection",
          "java.util.Collections$UnmodifiableList",
          "java.util.Collections$UnmodifiableRandomAccessList",
          "java.util.Collections$UnmodifiableSet",
          "java.util.Collections$UnmodifiableSortedSet",
          "java.util.Collections$UnmodifiableNavigableSet",
          "java.util.Collections$UnmodifiableMap",
          "java.util.Collections$UnmodifiableSortedMap",
          "java.util.Collections$UnmodifiableNavigableMap",
          "java.util.Collections$EmptyList",
          "java.util.Collections$EmptySet",
          "java.util.Collections$EmptyMap",
          "java.util.Collections$SingletonList",
          "java.util.Collections$SingletonSet",
          "java.util.Collections$SingletonMap",
          "java.util.Collections$ReverseComparator");

  private static final List<String> JDK_VALUE_PACKAGES = List.of("java.time.");

  /**
   * Element types an array may always have: {@code ArrayList}, {@code HashMap} and their kind ask
   * the filter about {@code Object[]} and {@code Map.Entry[]} before allocating their storage.
   */
  private static final Set<String> ARRAY_ELEMENT_TYPES =
      Set.of("java.lang.Object", "java.util.Map$Entry");

  /** Packages whose classes include known deserialization gadgets; allowed class by class only. */
  private static final List<String> JDK_PACKAGES =
      List.of("java", "javax", "jdk", "sun", "com.sun");

  private static final Pattern PACKAGE_NAME =
      Pattern.compile(
          "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  private static final Pattern CLASS_NAME =
      Pattern.compile(
          "\\p{javaJavaIdentifierStart}[\\p{javaJavaIdentifierPart}$]*(\\.\\p{javaJavaIdentifierStart}[\\p{javaJavaIdentifierPart}$]*)*");

  private final boolean jdkValueTypes;
  private final Set<String> allowedClasses;
  private final List<String> allowedPackagePrefixes;
  private final int maxDepth;
  private final int maxReferences;
  private final int maxArrayLength;
  private final int maxBytes;
  private final ClassLoader classLoader;

  private JavaSerializationCodec(Builder builder) {
    this.jdkValueTypes = builder.jdkValueTypes;
    this.allowedClasses = Set.copyOf(builder.allowedClasses);
    List<String> prefixes = new ArrayList<>();
    for (String name : builder.allowedPackages) {
      prefixes.add(name + ".");
    }
    this.allowedPackagePrefixes = List.copyOf(prefixes);
    this.maxDepth = builder.maxDepth;
    this.maxReferences = builder.maxReferences;
    this.maxArrayLength = builder.maxArrayLength;
    this.maxBytes = builder.maxBytes;
    this.classLoader = builder.classLoader;
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
    BoundedOutput bytes = new BoundedOutput(maxBytes);
    try (CheckingOutputStream out = new CheckingOutputStream(bytes, this)) {
      out.writeObject(value);
    } catch (NotAllowedException e) {
      throw new SessionDataException(prefix + e.getMessage(), e);
    } catch (BoundedOutput.TooLargeException e) {
      throw new SessionDataException(
          prefix + "it serializes to more than maxBytes (" + maxBytes + " bytes)", e);
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
    if (bytes.length > maxBytes) {
      throw new SessionDataException(
          prefix
              + "the value has "
              + bytes.length
              + " bytes, more than maxBytes ("
              + maxBytes
              + ")");
    }
    ByteArrayInputStream input = new ByteArrayInputStream(bytes);
    DecodeFilter filter = new DecodeFilter(this, bytes.length);
    Object value;
    try (FilteringInputStream in = new FilteringInputStream(input, filter)) {
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
      return failure.getMessage();
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

  /** Whether a class or array name, as the stream spells it, is on the allow-list. */
  boolean allows(String name) {
    String element = name;
    boolean array = false;
    while (element.startsWith("[")) {
      array = true;
      element = element.substring(1);
    }
    if (array) {
      if (element.length() == 1) {
        return "ZBCSIJFD".indexOf(element.charAt(0)) >= 0;
      }
      if (!element.startsWith("L") || !element.endsWith(";")) {
        return false;
      }
      element = element.substring(1, element.length() - 1);
      if (ARRAY_ELEMENT_TYPES.contains(element)) {
        return true;
      }
    }
    if (allowedClasses.contains(element)) {
      return true;
    }
    for (String prefix : allowedPackagePrefixes) {
      if (element.startsWith(prefix)) {
        return true;
      }
    }
    if (jdkValueTypes) {
      if (JDK_VALUE_TYPES.contains(element)) {
        return true;
      }
      for (String prefix : JDK_VALUE_PACKAGES) {
        if (element.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code java.lang.String[]} for {@code [Ljava.lang.String;}, as a reader would write it. */
  private static String readable(String name) {
    int dimensions = 0;
    while (dimensions < name.length() && name.charAt(dimensions) == '[') {
      dimensions++;
    }
    if (dimensions == 0 || !name.endsWith(";") || name.charAt(dimensions) != 'L') {
      return name;
    }
    return name.substring(dimensions + 1, name.length() - 1) + "[]".repeat(dimensions);
  }

  static String notAllowed(String name) {
    return "class "
        + readable(name)
        + " is not in the allow-list (add it with JavaSerializationCodec.builder()"
        + ".allowClass(...) or .allowPackage(...))";
  }

  /**
   * Thrown by the output stream for a class it refuses. Unchecked on purpose: {@link
   * ObjectOutputStream#writeObject} answers an {@link IOException} by writing the exception itself
   * into the stream, which would pass through the same checks and replace the first failure.
   */
  private static final class NotAllowedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAllowedException(String message) {
      super(message, null, false, false);
    }
  }

  /** Refuses, while writing, every class that a decode would refuse. */
  private static final class CheckingOutputStream extends ObjectOutputStream {
    private final JavaSerializationCodec codec;

    /**
     * Set once the JDK writes one of its own stream exceptions after a failure (see {@link
     * NotAllowedException}); those bytes are discarded with the rest, so nothing is checked.
     */
    private boolean writingFailure;

    CheckingOutputStream(OutputStream out, JavaSerializationCodec codec) throws IOException {
      super(out);
      this.codec = codec;
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
      if (!writingFailure && !codec.allows(cl.getName())) {
        throw new NotAllowedException(notAllowed(cl.getName()));
      }
    }

    @Override
    protected void annotateProxyClass(Class<?> cl) {
      throw new NotAllowedException(
          "class " + cl.getName() + " is a dynamic proxy, which is never allowed");
    }
  }

  /** Checks the allow-list before a class is loaded, and loads through the chosen loader. */
  private static final class FilteringInputStream extends ObjectInputStream {
    private final DecodeFilter filter;

    FilteringInputStream(InputStream in, DecodeFilter filter) throws IOException {
      super(in);
      this.filter = filter;
      setObjectInputFilter(filter);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      String name = desc.getName();
      if (!filter.codec.allows(name)) {
        filter.reject(notAllowed(name));
        throw new InvalidClassException(name, "not in the allow-list");
      }
      ClassLoader loader = filter.codec.classLoader;
      Class<?> resolved =
          loader == null ? super.resolveClass(desc) : Class.forName(name, false, loader);
      // A stream may leave out a superclass's descriptor; the JDK then initializes the class and
      // its superclasses on allocation, before the filter sees them. Loading (above, without
      // initializing) resolved the superclasses, so they can be checked here by name first.
      for (Class<?> type = resolved.getSuperclass();
          type != null && Serializable.class.isAssignableFrom(type);
          type = type.getSuperclass()) {
        if (!filter.codec.allows(type.getName())) {
          filter.reject(notAllowed(type.getName()));
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

  /** The filter of one decode: the allow-list again, the limits and the array budget. */
  private static final class DecodeFilter implements ObjectInputFilter {
    final JavaSerializationCodec codec;
    private final long arrayBudget;
    private final ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
    private long arrayBytes;
    String rejection;

    DecodeFilter(JavaSerializationCodec codec, int inputLength) {
      this.codec = codec;
      this.arrayBudget = Math.max(2L * inputLength, ARRAY_BUDGET_FLOOR);
    }

    void reject(String reason) {
      if (rejection == null) {
        rejection = reason;
      }
    }

    @Override
    public Status checkInput(FilterInfo info) {
      String reason = check(info);
      if (reason != null) {
        reject(reason);
        return Status.REJECTED;
      }
      // A JVM-wide filter (jdk.serialFilter) keeps its say: it can refuse what the list allows.
      if (jvmWide != null && jvmWide.checkInput(info) == Status.REJECTED) {
        reject("the JVM-wide serial filter (jdk.serialFilter) rejects " + name(info.serialClass()));
        return Status.REJECTED;
      }
      return Status.ALLOWED;
    }

    private String check(FilterInfo info) {
      if (info.depth() > codec.maxDepth) {
        return "nesting depth " + info.depth() + " exceeds maxDepth (" + codec.maxDepth + ")";
      }
      if (info.references() > codec.maxReferences) {
        return "more than maxReferences (" + codec.maxReferences + ") objects";
      }
      if (info.streamBytes() > codec.maxBytes) {
        return "more than maxBytes (" + codec.maxBytes + ") bytes read";
      }
      Class<?> serialClass = info.serialClass();
      if (serialClass == null) {
        return null;
      }
      if (!codec.allows(serialClass.getName())) {
        return notAllowed(serialClass.getName());
      }
      long length = info.arrayLength();
      if (length >= 0) {
        if (length > codec.maxArrayLength) {
          return "an array of "
              + serialClass.getComponentType().getTypeName()
              + " of length "
              + length
              + " exceeds maxArrayLength ("
              + codec.maxArrayLength
              + ")";
        }
        arrayBytes += length * elementSize(serialClass.getComponentType());
        if (arrayBytes > arrayBudget) {
          return "its arrays claim more than "
              + arrayBudget
              + " bytes, the budget for a value of this size (at "
              + serialClass.getComponentType().getTypeName()
              + "[] of length "
              + length
              + ")";
        }
      }
      return null;
    }

    private static String name(Class<?> type) {
      return type == null ? "the stream's limits" : "class " + type.getName();
    }

    private static long elementSize(Class<?> component) {
      if (component == boolean.class || component == byte.class) {
        return 1;
      }
      if (component == char.class || component == short.class) {
        return 2;
      }
      if (component == long.class || component == double.class) {
        return 8;
      }
      // int, float, and references under compressed oops.
      return 4;
    }
  }

  /** A byte array output that refuses to grow past the limit, so encode never buffers more. */
  private static final class BoundedOutput extends java.io.ByteArrayOutputStream {
    private final int limit;

    BoundedOutput(int limit) {
      super(Math.min(256, limit));
      this.limit = limit;
    }

    @Override
    public void write(int b) {
      ensure(1);
      super.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      super.write(b, off, len);
    }

    private void ensure(int more) {
      if ((long) count + more > limit) {
        throw new TooLargeException();
      }
    }

    static final class TooLargeException extends RuntimeException {
      private static final long serialVersionUID = 1L;

      TooLargeException() {
        super(null, null, false, false);
      }
    }
  }

  /**
   * Collects the allow-list and limits for a {@link JavaSerializationCodec}. Not thread-safe; each
   * method validates its argument at once and throws {@link NullPointerException} for null.
   */
  public static final class Builder {
    private final Set<String> allowedClasses = new LinkedHashSet<>();
    private final Set<String> allowedPackages = new LinkedHashSet<>();
    private boolean jdkValueTypes = true;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private int maxReferences = DEFAULT_MAX_REFERENCES;
    private int maxArrayLength = DEFAULT_MAX_ARRAY_LENGTH;
    private int maxBytes = DEFAULT_MAX_BYTES;
    private ClassLoader classLoader;

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
      requireNonNull(packageName, "packageName");
      if (!PACKAGE_NAME.matcher(packageName).matches()) {
        throw new IllegalArgumentException(
            "allowPackage must be a package name such as com.example.shop, without a trailing dot"
                + " or wildcard: "
                + packageName);
      }
      for (String jdk : JDK_PACKAGES) {
        if (packageName.equals(jdk) || packageName.startsWith(jdk + ".")) {
          throw new IllegalArgumentException(
              "allowPackage must not name a JDK package, which holds deserialization gadgets;"
                  + " allow the JDK classes you need one by one with allowClass: "
                  + packageName);
        }
      }
      allowedPackages.add(packageName);
      return this;
    }

    /** Allows one class, exactly (not its subclasses). */
    public Builder allowClass(Class<?> type) {
      requireNonNull(type, "type");
      if (type.isPrimitive() || type.isArray()) {
        throw new IllegalArgumentException(
            "allowClass takes a class, not a primitive or an array type (arrays of allowed classes"
                + " are allowed): "
                + type.getTypeName());
      }
      allowedClasses.add(type.getName());
      return this;
    }

    /**
     * Allows one class by its binary name, exactly (not its subclasses): {@code
     * "com.example.Outer$Inner"} for a nested class.
     *
     * @throws IllegalArgumentException if the name is not a binary class name
     */
    public Builder allowClass(String className) {
      requireNonNull(className, "className");
      if (!CLASS_NAME.matcher(className).matches()) {
        throw new IllegalArgumentException(
            "allowClass must be a binary class name such as com.example.Outer$Inner: " + className);
      }
      allowedClasses.add(className);
      return this;
    }

    /**
     * Whether the built-in JDK types listed in the class Javadoc are allowed; default true. With
     * false, only the classes and packages allowed here are, and every JDK class a value uses must
     * be allowed with {@link #allowClass}.
     */
    public Builder jdkValueTypes(boolean allowed) {
      this.jdkValueTypes = allowed;
      return this;
    }

    /**
     * The deepest nesting of objects one decode may read; default {@value
     * JavaSerializationCodec#DEFAULT_MAX_DEPTH}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxDepth(int depth) {
      this.maxDepth = positive("maxDepth", depth);
      return this;
    }

    /**
     * The most objects, strings, arrays and class descriptors one decode may read; default {@value
     * JavaSerializationCodec#DEFAULT_MAX_REFERENCES}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxReferences(int references) {
      this.maxReferences = positive("maxReferences", references);
      return this;
    }

    /**
     * The longest array, or collection storage, one decode may allocate; default {@value
     * JavaSerializationCodec#DEFAULT_MAX_ARRAY_LENGTH}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxArrayLength(int length) {
      this.maxArrayLength = positive("maxArrayLength", length);
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
      this.maxBytes = positive("maxBytes", bytes);
      return this;
    }

    /**
     * The class loader that decode loads allowed classes from; by default, the JDK's choice for
     * {@link ObjectInputStream}: the loader of the nearest application class on the calling
     * thread's stack.
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = requireNonNull(loader, "loader");
      return this;
    }

    private static int positive(String option, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(option + " must be positive: " + value);
      }
      return value;
    }

    /**
     * Builds the codec.
     *
     * @throws IllegalStateException if neither {@link #allowPackage} nor {@link #allowClass} was
     *     called: the allow-list is required
     */
    public JavaSerializationCodec build() {
      if (allowedClasses.isEmpty() && allowedPackages.isEmpty()) {
        throw new IllegalStateException(
            "JavaSerializationCodec needs an allow-list: call allowPackage(...) or allowClass(...)"
                + " for the packages and classes of the values you store, for example"
                + " allowPackage(\"org.springframework.security\")");
      }
      return new JavaSerializationCodec(this);
    }
  }

  @Override
  public String toString() {
    List<String> allowed = new ArrayList<>(allowedPackagePrefixes);
    allowed.addAll(allowedClasses);
    Collections.sort(allowed);
    return "JavaSerializationCodec" + allowed;
  }
}
