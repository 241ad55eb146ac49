package io.sessionstate.jackson;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.sessionstate.SessionDataException;
import io.sessionstate.ValueCodec;
import java.lang.invoke.MethodType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link ValueCodec} that stores values as JSON through <a
 * href="https://github.com/FasterXML/jackson">Jackson 3</a> ({@code tools.jackson}). Instances are
 * immutable and thread-safe; every method throws {@link NullPointerException} for a null argument.
 * The codec holds one {@link JsonMapper} and no other resource, so there is nothing to close.
 *
 * <pre>{@code
 * ValueCodec codec = JacksonValueCodec.builder()
 *     .allowPackage("com.example.shop")
 *     .build();
 * }</pre>
 *
 * <h2>What is stored</h2>
 *
 * A string, boolean, number ({@code Integer}, {@code Long}, {@code Short}, {@code Byte}, {@code
 * Double}, {@code Float}, {@code BigInteger}, {@code BigDecimal}) or {@code byte[]} is stored as
 * plain JSON, without a type id: {@code "text"}, {@code 42}, {@code true}, a base64 string. Decode
 * these with their own class (or primitive): decoded as {@code Object}, JSON gives back what it
 * holds, an {@code Integer}, {@code Long} or {@code Double} by the number's form and a {@code
 * String} for a {@code byte[]}.
 *
 * <p>Every other value is stored as its JSON object (or array) with a type id, the class name, in a
 * {@code "@class"} property (or, for a value that is not a JSON object, as {@code ["<class>",
 * value]}), and inside it a type id appears only where the declared type does not say what the
 * value is: a field or element declared as {@code Object}, an interface or an abstract class
 * (Jackson's {@link DefaultTyping#OBJECT_AND_NON_CONCRETE}). A field declared as a concrete class
 * carries no id and is read as that class, so a subclass value there is read as its declared class;
 * annotate such a field with {@link JsonTypeInfo} to keep the subclass. This keeps the JSON small
 * and readable and makes the allow-list below decide exactly the places where the bytes choose a
 * class.
 *
 * <h2>The allow-list of polymorphic types</h2>
 *
 * A type id in the bytes is only followed if it names a class on the allow-list, which is empty by
 * default: {@link Builder#allowPackage} and {@link Builder#allowClass} add to it. The JDK's own
 * collections and value types are allowed too unless {@link Builder#jdkValueTypes(boolean)} turns
 * them off: {@code ArrayList}, {@code LinkedList}, {@code HashMap}, {@code LinkedHashMap}, {@code
 * TreeMap}, {@code HashSet}, {@code LinkedHashSet}, {@code TreeSet}, {@code List.of}/{@code
 * Set.of}/{@code Map.of}'s classes, the unmodifiable, empty and singleton collections of {@code
 * Collections}, {@code Arrays.asList}'s list, the boxed numbers, {@code BigInteger}, {@code
 * BigDecimal}, {@code UUID}, {@code Date}, {@code Locale} and {@code java.time}'s types (which
 * Jackson 3 reads itself). The class a decode asks for ({@code decode(bytes, Cart.class)}) is
 * allowed for that decode as well, since the code names it, not the bytes: a value read back as its
 * own class needs no entry. An array is allowed when its component type is, at any nesting: arrays
 * of primitives and of {@code Object} always (each element of an {@code Object[]} carries its own
 * type id), others when the component class is on the list ({@code String[]} with the JDK value
 * types). Anything else the bytes name must be on the list.
 *
 * <p>{@link #encode} reads back what it wrote under the same list and refuses a value whose JSON
 * names a class the list would refuse on read, so such a value fails where it is set, with a {@link
 * SessionDataException} naming the class, instead of being lost on the next request.
 *
 * <h2>Spring Security</h2>
 *
 * Spring Security 7 ships Jackson 3 modules for its session objects ({@code
 * org.springframework.security.jackson.SecurityJacksonModules}); add them with {@link
 * Builder#mapper} and allow its package. Its modules switch the mapper to Jackson's {@link
 * DefaultTyping#NON_FINAL} typing (a type id on every non-final value), which their deserializers
 * expect; the validator they bring is consulted after the allow-list, never instead of it:
 *
 * <pre>{@code
 * ClassLoader loader = getClass().getClassLoader();
 * ValueCodec codec = JacksonValueCodec.builder()
 *     .allowPackage("org.springframework.security")
 *     .mapper(mapper -> mapper.addModules(SecurityJacksonModules.getModules(loader)))
 *     .build();
 * }</pre>
 *
 * <h2>Limits and failures</h2>
 *
 * Unknown properties are ignored, so a value written by a build whose class had more fields still
 * reads. Decoding refuses more than {@link Builder#maxBytes} bytes (default {@value
 * #DEFAULT_MAX_BYTES}) and JSON nested deeper than {@value #MAX_NESTING_DEPTH} levels; JSON has no
 * length prefixes, so no input can make a decode allocate for elements it does not contain. Every
 * failure is a {@link SessionDataException} whose message names the class where one is known and
 * never quotes the JSON.
 */
public final class JacksonValueCodec implements ValueCodec {

  /** The default {@link Builder#maxBytes}: 1 MiB. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  /** The deepest JSON nesting decode reads; a session value is never near it. */
  static final int MAX_NESTING_DEPTH = 100;

  /** Stored without a type id; see the class Javadoc. */
  private static final Set<Class<?>> PLAIN_TYPES =
      Set.of(
          String.class,
          Boolean.class,
          Integer.class,
          Long.class,
          Short.class,
          Byte.class,
          Double.class,
          Float.class,
          BigInteger.class,
          BigDecimal.class,
          byte[].class);

  private final int maxBytes;
  private final ObjectWriter rootWriter;
  private final JsonMapper mapper;
  private final JsonMapper plainMapper;
  private final ClassValue<ObjectReader> readers;

  private JacksonValueCodec(CodecOptions options) {
    this.maxBytes = options.maxBytes();
    AllowListValidator validator = options.validator();
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxDocumentLength(maxBytes)
                    .build())
            .build();
    this.plainMapper =
        JsonMapper.builder(factory)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    JsonMapper.Builder mapperBuilder =
        new AllowListMapperBuilder(factory, validator)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .activateDefaultTyping(
                validator, DefaultTyping.OBJECT_AND_NON_CONCRETE, JsonTypeInfo.As.PROPERTY);
    for (Consumer<JsonMapper.Builder> customizer : options.customizers()) {
      customizer.accept(mapperBuilder);
    }
    this.mapper = mapperBuilder.build();
    ObjectReader rootReader = mapper.readerFor(Object.class);
    // One reader per requested class, made once: a reader made per call would find its root
    // deserializer again each time.
    this.readers =
        new ClassValue<>() {
          @Override
          protected ObjectReader computeValue(Class<?> type) {
            return rootReader.withAttribute(AllowListValidator.REQUESTED_TYPE, type.getName());
          }
        };
    this.rootWriter = mapper.writerFor(Object.class);
  }

  /**
   * Returns a builder with an empty allow-list, the JDK value types and the default options.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes a value as JSON, then reads the JSON back as {@link #decode}{@code (bytes,
   * value.getClass())} would, and refuses the value if that read fails: a type id naming a class
   * outside the allow-list (an {@code ArrayDeque} in a field declared as {@code Object}, say), or a
   * class Jackson can write but not create. Such a value is refused here, where the caller sets it,
   * instead of being stored and lost on the next read. The check costs one decode per encode (with
   * Spring Security's modules, whose deserializers are slow, most of a millisecond for a security
   * context). The value's own class is allowed for the check, as for a decode that asks for it;
   * code that reads values as {@code Object} (the Servlet bridge's attributes) needs that class on
   * the allow-list as well.
   *
   * @throws SessionDataException if Jackson cannot write the value, the JSON would not read back,
   *     or it is larger than {@link Builder#maxBytes}; the message names the value's class and,
   *     where known, the class at fault
   */
  @Override
  public byte[] encode(Object value) {
    requireNonNull(value, "value");
    Class<?> type = value.getClass();
    String prefix = "cannot encode value of class " + type.getTypeName() + ": ";
    boolean plain = PLAIN_TYPES.contains(type);
    byte[] bytes;
    try {
      ObjectWriter writer = plain ? plainMapper.writerFor(type) : rootWriter;
      bytes = writer.writeValueAsBytes(value);
    } catch (JacksonException | StackOverflowError e) {
      throw new SessionDataException(prefix + describe(e), e);
    }
    if (bytes.length > maxBytes) {
      throw new SessionDataException(
          prefix
              + "it encodes to "
              + bytes.length
              + " bytes, more than maxBytes ("
              + maxBytes
              + ")");
    }
    if (!plain) {
      // Jackson writes a type id for whatever class it meets, while the allow-list decides on
      // read: without this check a value the list refuses would be stored and then lost.
      // Jackson may read a JDK collection back as another class of the same kind, so the check is
      // that the read succeeds, not which class it gives.
      try {
        readers.get(type).readValue(bytes);
      } catch (JacksonException | StackOverflowError e) {
        throw new SessionDataException(prefix + "it would not read back: " + describe(e), e);
      }
    }
    return bytes;
  }

  /**
   * Reads JSON that {@link #encode} wrote as an instance of {@code type}. A primitive {@code type}
   * such as {@code int.class} accepts its boxed values.
   *
   * @throws SessionDataException if the bytes are not JSON of a {@code type}, name a class outside
   *     the allow-list, exceed a limit, or hold null; the message names the class where known
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
    Class<?> boxed = MethodType.methodType(type).wrap().returnType();
    Object value;
    try {
      // The stored type id decides the class, under the allow-list; the class the code asks for
      // is allowed too for this one read, since the code names it, not the bytes.
      ObjectReader reader =
          PLAIN_TYPES.contains(boxed) ? plainMapper.readerFor(boxed) : readers.get(boxed);
      value = reader.readValue(bytes);
    } catch (JacksonException | StackOverflowError e) {
      throw new SessionDataException(prefix + describe(e), e);
    }
    if (value == null) {
      throw new SessionDataException(prefix + "the bytes hold no value");
    }
    if (!boxed.isInstance(value)) {
      throw new SessionDataException(prefix + "the bytes hold a " + value.getClass().getTypeName());
    }
    @SuppressWarnings("unchecked") // checked just above, against the boxed form of T
    T result = (T) value;
    return result;
  }

  /** Jackson's own messages quote the JSON; these name only types. */
  private static String describe(Throwable failure) {
    if (failure instanceof InvalidTypeIdException) {
      String id = ((InvalidTypeIdException) failure).getTypeId();
      return id == null
          ? "a polymorphic value has no type id"
          : "class "
              + id
              + " is not in the allow-list or not found (allow it with"
              + " JacksonValueCodec.builder().allowClass(...) or .allowPackage(...))";
    }
    if (failure instanceof StackOverflowError) {
      return "the value nests too deeply";
    }
    if (failure instanceof tools.jackson.core.exc.StreamConstraintsException) {
      return "the JSON exceeds a limit (nesting depth " + MAX_NESTING_DEPTH + " or maxBytes)";
    }
    if (failure instanceof tools.jackson.databind.exc.InvalidDefinitionException) {
      tools.jackson.databind.JavaType type =
          ((tools.jackson.databind.exc.InvalidDefinitionException) failure).getType();
      return "Jackson cannot handle "
          + (type == null ? "one of its classes" : "class " + type.getRawClass().getTypeName())
          + " ("
          + failure.getClass().getSimpleName()
          + ")";
    }
    return "the bytes are not JSON of this shape (" + failure.getClass().getSimpleName() + ")";
  }

  /**
   * Collects the allow-list and options for a {@link JacksonValueCodec}. Not thread-safe; each
   * method validates its argument at once and throws {@link NullPointerException} for null.
   */
  public static final class Builder {
    private final CodecOptions options = new CodecOptions();

    private Builder() {}

    /**
     * Allows type ids naming any class in a package or its subpackages, such as {@code
     * "com.example.shop"}. JDK packages ({@code java}, {@code javax}, {@code jdk}, {@code sun},
     * {@code com.sun} and below) can only be allowed class by class, with {@link #allowClass}.
     *
     * @param packageName the package's name, such as {@code "com.example.shop"}
     * @return this builder
     * @throws IllegalArgumentException if the name is not a package name or names a JDK package
     */
    public Builder allowPackage(String packageName) {
      options.allowPackage(packageName);
      return this;
    }

    /**
     * Allows type ids naming exactly this class.
     *
     * @param type the class to allow
     * @return this builder
     */
    public Builder allowClass(Class<?> type) {
      options.allowClass(type);
      return this;
    }

    /**
     * Allows type ids naming exactly this class, by binary name ({@code
     * "com.example.Outer$Inner"}).
     *
     * @param className the class's binary name
     * @return this builder
     * @throws IllegalArgumentException if the name is not a binary class name
     */
    public Builder allowClass(String className) {
      options.allowClass(className);
      return this;
    }

    /**
     * Whether the JDK collections and value types listed in the class Javadoc may appear as type
     * ids; default true.
     *
     * @param allowed whether the JDK collections and value types are allowed
     * @return this builder
     */
    public Builder jdkValueTypes(boolean allowed) {
      options.jdkValueTypes(allowed);
      return this;
    }

    /**
     * The largest JSON value, in bytes, for both encode and decode; default {@value
     * JacksonValueCodec#DEFAULT_MAX_BYTES} (1 MiB).
     *
     * @param bytes the largest value in bytes, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxBytes(int bytes) {
      options.maxBytes(bytes);
      return this;
    }

    /**
     * Customizes the codec's {@link JsonMapper} after the codec's own settings, for example to add
     * modules. Customizers run in the order given, at {@link #build()}. A customizer can undo the
     * codec's settings (default typing, the allow-list, ignoring unknown properties); the
     * guarantees in the class Javadoc then no longer hold.
     *
     * @param customizer changes the mapper's builder; it must not undo the allow-list
     * @return this builder
     */
    public Builder mapper(Consumer<JsonMapper.Builder> customizer) {
      options.mapper(customizer);
      return this;
    }

    /**
     * Builds the codec and its mapper.
     *
     * @return the codec, immutable and thread-safe
     */
    public JacksonValueCodec build() {
      return new JacksonValueCodec(options);
    }
  }
}
