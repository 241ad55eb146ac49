package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.testing.CompiledClasses;
import io.sessionstate.testing.SpringSecurityValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JavaSerializationCodecTest {

  /** A value class of the application's own, allowed by its package. */
  record Cart(String owner, List<String> items, int total) implements Serializable {}

  enum Size {
    SMALL,
    LARGE
  }

  private final JavaSerializationCodec codec =
      JavaSerializationCodec.builder()
          .allowPackage("org.springframework.security")
          .allowClass(Cart.class)
          .allowClass(Size.class)
          .build();

  private Object roundTrip(Object value) {
    return codec.decode(codec.encode(value), Object.class);
  }

  @Test
  void roundTrip_springSecurityContext_keepsTokenAuthoritiesAndDetails() {
    var context = SpringSecurityValues.securityContext();
    SpringSecurityValues.assertSameSecurityContext(roundTrip(context), context);
  }

  @Test
  void roundTrip_springSavedRequest_keepsRedirectHeadersParametersLocalesAndCookies() {
    var saved = SpringSecurityValues.savedRequest();
    SpringSecurityValues.assertSameSavedRequest(roundTrip(saved), saved);
  }

  @Test
  void roundTrip_springCsrfToken_keepsNamesAndToken() {
    var token = SpringSecurityValues.csrfToken();
    SpringSecurityValues.assertSameCsrfToken(roundTrip(token), token);
  }

  @Test
  void roundTrip_springBadCredentialsException_keepsClassAndMessage() {
    var failure = SpringSecurityValues.badCredentials();
    SpringSecurityValues.assertSameBadCredentials(roundTrip(failure), failure);
  }

  @Test
  void roundTrip_jdkValueTypes_allowedWithoutRegistration() {
    List<Object> values =
        List.of(
            "text",
            42,
            42L,
            3.5d,
            true,
            'c',
            new BigDecimal("12.50"),
            UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
            Instant.ofEpochSecond(1_700_000_000L),
            Duration.ofMinutes(20),
            LocalDate.of(2025, 1, 31),
            ZonedDateTime.of(2025, 1, 31, 12, 0, 0, 0, ZoneId.of("Europe/Zurich")),
            List.of("a", "b"),
            Set.of(1),
            Map.of("k", 1, "l", 2),
            new ArrayList<>(List.of(1, 2)),
            new HashMap<>(Map.of("k", List.of("v"))),
            new TreeMap<>(Map.of("b", 2, "a", 1)),
            new LinkedHashSet<>(List.of("x", "y")),
            Collections.unmodifiableList(new ArrayList<>(List.of("u"))),
            Collections.singletonMap("s", 1),
            Collections.emptyList(),
            Arrays.asList("p", "q"),
            new int[] {1, 2, 3},
            new String[] {"s", "t"},
            Size.LARGE,
            new Cart("alice", List.of("apple"), 3));
    for (Object value : values) {
      Object decoded = roundTrip(value);
      if (value.getClass().isArray()) {
        assertThat(decoded).as(value.getClass().getTypeName()).isEqualTo(value);
      } else {
        assertThat(decoded).as(value.getClass().getTypeName()).isEqualTo(value);
        assertThat(decoded.getClass())
            .as(value.getClass().getTypeName())
            .isEqualTo(value.getClass());
      }
    }
  }

  @Test
  void decode_withTheValuesType_returnsIt() {
    byte[] bytes = codec.encode(new Cart("bob", List.of(), 0));
    assertThat(codec.decode(bytes, Cart.class).owner()).isEqualTo("bob");
    assertThat(codec.decode(codec.encode(7), int.class)).isEqualTo(7);
  }

  @Test
  void decode_wrongType_throwsNamingBothClasses() {
    byte[] bytes = codec.encode(new Cart("bob", List.of(), 0));
    assertThatThrownBy(() -> codec.decode(bytes, String.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.String: the bytes hold a "
                + Cart.class.getTypeName());
  }

  @Test
  void encode_classOutsideAllowList_throwsNamingTheClass() {
    JavaSerializationCodec strict = JavaSerializationCodec.builder().allowClass(Size.class).build();
    assertThatThrownBy(() -> strict.encode(new Cart("c", List.of(), 1)))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class "
                + Cart.class.getTypeName()
                + ": class "
                + Cart.class.getName()
                + " is not in the allow-list (add it with JavaSerializationCodec.builder()"
                + ".allowClass(...) or .allowPackage(...))");
  }

  @Test
  void encode_nestedClassOutsideAllowList_throwsNamingThatClass() {
    JavaSerializationCodec strict = JavaSerializationCodec.builder().allowClass(Size.class).build();
    List<Object> value = new ArrayList<>(List.of(new Cart("c", List.of(), 1)));
    assertThatThrownBy(() -> strict.encode(value))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith(
            "cannot encode value of class java.util.ArrayList: class " + Cart.class.getName());
  }

  @Test
  void encode_notSerializable_throwsNamingTheClass() {
    assertThatThrownBy(() -> codec.encode(new Object()))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class java.lang.Object: class java.lang.Object does not"
                + " implement java.io.Serializable");
  }

  @Test
  void encode_largerThanMaxBytes_throws() {
    JavaSerializationCodec small =
        JavaSerializationCodec.builder().allowClass(Size.class).maxBytes(100).build();
    assertThatThrownBy(() -> small.encode("x".repeat(200)))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class java.lang.String: it serializes to more than maxBytes"
                + " (100 bytes)");
  }

  @Test
  void decode_largerThanMaxBytes_throwsBeforeReading() {
    byte[] bytes = codec.encode("x".repeat(200));
    JavaSerializationCodec small =
        JavaSerializationCodec.builder().allowClass(Size.class).maxBytes(100).build();
    assertThatThrownBy(() -> small.decode(bytes, String.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.String: the value has "
                + bytes.length
                + " bytes, more than maxBytes (100)");
  }

  @Test
  void decode_classOutsideAllowList_throwsNamingTheClass() {
    byte[] bytes = codec.encode(new Cart("c", List.of(), 1));
    JavaSerializationCodec other = JavaSerializationCodec.builder().allowClass(Size.class).build();
    assertThatThrownBy(() -> other.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: class "
                + Cart.class.getName()
                + " is not in the allow-list (add it with JavaSerializationCodec.builder()"
                + ".allowClass(...) or .allowPackage(...))");
  }

  @Test
  void decode_jdkValueTypesOff_rejectsJdkCollections() {
    byte[] bytes = codec.encode(new ArrayList<>(List.of("a")));
    JavaSerializationCodec bare =
        JavaSerializationCodec.builder().allowClass(Size.class).jdkValueTypes(false).build();
    assertThatThrownBy(() -> bare.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith(
            "cannot decode value as java.lang.Object: class java.util.ArrayList is not in the"
                + " allow-list");
  }

  /**
   * The class in the bytes has a static initializer and a readObject that leave a mark. It is
   * compiled into two fresh loaders: the first writes the bytes, the second is the one decode loads
   * from, so any mark from the second loader came from decoding.
   */
  @Test
  void decode_classOutsideAllowList_neverLoadsInitializesOrRunsIt() throws Exception {
    String source =
        "package org.example.gadget;\n"
            + "public class Tripwire implements java.io.Serializable {\n"
            + "  private static final long serialVersionUID = 1L;\n"
            + "  static { mark(\"static\"); }\n"
            + "  private void readObject(java.io.ObjectInputStream in) throws Exception {\n"
            + "    in.defaultReadObject(); mark(\"readObject\");\n"
            + "  }\n"
            + "  private static void mark(String what) {\n"
            + "    String name = Tripwire.class.getClassLoader().getName();\n"
            + "    System.setProperty(\"tripwire.\" + name + \".\" + what, \"ran\");\n"
            + "  }\n"
            + "}\n";
    Map<String, String> sources = Map.of("org.example.gadget.Tripwire", source);
    String writer = "tripwire-writer-" + UUID.randomUUID();
    String reader = "tripwire-reader-" + UUID.randomUUID();
    byte[] bytes;
    try (URLClassLoader writing = CompiledClasses.load(writer, sources)) {
      bytes =
          plainSerialize(
              List.of(CompiledClasses.newInstance(writing, "org.example.gadget.Tripwire")));
    }
    try (URLClassLoader reading = CompiledClasses.load(reader, sources)) {
      JavaSerializationCodec strict =
          JavaSerializationCodec.builder()
              .allowPackage("org.example.shop")
              .classLoader(reading)
              .build();
      assertThatThrownBy(() -> strict.decode(bytes, Object.class))
          .isInstanceOf(SessionDataException.class)
          .hasMessageStartingWith(
              "cannot decode value as java.lang.Object: class org.example.gadget.Tripwire is not"
                  + " in the allow-list");
      assertThat(System.getProperty("tripwire." + reader + ".static")).isNull();
      assertThat(System.getProperty("tripwire." + reader + ".readObject")).isNull();
      assertThat(reading.getDefinedPackage("org.example.gadget")).as("never even loaded").isNull();

      // The control: allowed, the same bytes do run both, so the marks above would show.
      JavaSerializationCodec allowing =
          JavaSerializationCodec.builder()
              .allowPackage("org.example.gadget")
              .classLoader(reading)
              .build();
      assertThat((List<?>) allowing.decode(bytes, List.class)).hasSize(1);
      assertThat(System.getProperty("tripwire." + reader + ".static")).isEqualTo("ran");
      assertThat(System.getProperty("tripwire." + reader + ".readObject")).isEqualTo("ran");
    }
  }

  /**
   * The bytes claim an allowed Sub with no serializable superclass; the reading application's Sub
   * extends Base, a serializable class outside the list whose initializer and readObjectNoData
   * leave a mark. The stream never names Base, so only a check of the loaded Sub's superclasses
   * keeps Base's code from running when Sub is allocated.
   */
  @Test
  void decode_superclassOutsideAllowListLeftOutOfTheStream_isRefusedBeforeItRuns()
      throws Exception {
    String writer = "lone-sub-" + UUID.randomUUID();
    String reader = "sub-of-base-" + UUID.randomUUID();
    String sub = "org.example.shop.Sub";
    byte[] bytes;
    try (URLClassLoader writing =
        CompiledClasses.load(
            writer,
            Map.of(
                sub,
                "package org.example.shop;\n"
                    + "public class Sub implements java.io.Serializable {\n"
                    + "  private static final long serialVersionUID = 1L;\n"
                    + "}\n"))) {
      bytes = plainSerialize(CompiledClasses.newInstance(writing, sub));
    }
    Map<String, String> sources =
        Map.of(
            "org.other.Base",
            "package org.other;\n"
                + "public class Base implements java.io.Serializable {\n"
                + "  private static final long serialVersionUID = 1L;\n"
                + "  static { mark(\"static\"); }\n"
                + "  private void readObjectNoData() { mark(\"readObjectNoData\"); }\n"
                + "  private static void mark(String what) {\n"
                + "    String name = Base.class.getClassLoader().getName();\n"
                + "    System.setProperty(\"base.\" + name + \".\" + what, \"ran\");\n"
                + "  }\n"
                + "}\n",
            sub,
            "package org.example.shop;\n"
                + "public class Sub extends org.other.Base {\n"
                + "  private static final long serialVersionUID = 1L;\n"
                + "}\n");
    try (URLClassLoader reading = CompiledClasses.load(reader, sources)) {
      JavaSerializationCodec strict =
          JavaSerializationCodec.builder()
              .allowPackage("org.example.shop")
              .classLoader(reading)
              .build();
      assertThatThrownBy(() -> strict.decode(bytes, Object.class))
          .isInstanceOf(SessionDataException.class)
          .hasMessage(
              "cannot decode value as java.lang.Object: class org.other.Base is not in the"
                  + " allow-list (add it with JavaSerializationCodec.builder()"
                  + ".allowClass(...) or .allowPackage(...))");
      assertThat(System.getProperty("base." + reader + ".static")).isNull();
      assertThat(System.getProperty("base." + reader + ".readObjectNoData")).isNull();

      // The control: with Base allowed, the same bytes run both, so the marks above would show.
      JavaSerializationCodec allowing =
          JavaSerializationCodec.builder()
              .allowPackage("org.example.shop")
              .allowClass("org.other.Base")
              .classLoader(reading)
              .build();
      assertThat(allowing.decode(bytes, Object.class).getClass().getName()).isEqualTo(sub);
      assertThat(System.getProperty("base." + reader + ".static")).isEqualTo("ran");
      assertThat(System.getProperty("base." + reader + ".readObjectNoData")).isEqualTo("ran");
    }
  }

  @Test
  void decode_dynamicProxy_isRejected() throws IOException {
    Object proxy =
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Comparable.class, Serializable.class},
            new PlainHandler());
    byte[] bytes = plainSerialize(proxy);
    assertThatThrownBy(() -> codec.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: a dynamic proxy class, which is never"
                + " allowed, for [java.lang.Comparable, java.io.Serializable]");
  }

  /** A serializable handler, so the JDK writes the proxy without complaint. */
  static final class PlainHandler implements java.lang.reflect.InvocationHandler, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) {
      return 0;
    }
  }

  @Test
  void decode_trailingBytes_throws() {
    byte[] bytes = codec.encode("value");
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertThatThrownBy(() -> codec.decode(longer, String.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("cannot decode value as java.lang.String: unread bytes after the value: 3");
  }

  @Test
  void decode_truncated_throwsWithoutTheValue() {
    byte[] bytes = codec.encode("a secret value");
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 4);
    assertThatThrownBy(() -> codec.decode(cut, String.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("cannot decode value as java.lang.String: the bytes end before the value does");
  }

  @Test
  void decode_notSerializationBytes_throws() {
    assertThatThrownBy(() -> codec.decode(new byte[] {1, 2, 3, 4, 5}, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: the bytes are not a serialized value"
                + " (java.io.StreamCorruptedException)");
  }

  @Test
  void decode_deeperThanMaxDepth_throws() {
    JavaSerializationCodec shallow =
        JavaSerializationCodec.builder().allowClass(Size.class).maxDepth(3).build();
    byte[] bytes = codec.encode(nest(5));
    assertThatThrownBy(() -> shallow.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: nesting depth 4 exceeds maxDepth (3)");
  }

  /**
   * Nested sets sharing their children: hashing the root hashes every path, 2^levels of them. At 24
   * levels (1.4 KB) that is seconds of CPU; the default depth refuses it before the sets exist.
   */
  @Test
  void decode_nestedSetsSharingChildren_areRefusedByTheDefaultMaxDepth() {
    Set<Object> root = new HashSet<>();
    Set<Object> left = root;
    Set<Object> right = new HashSet<>();
    for (int level = 0; level < 24; level++) {
      Set<Object> marked = new HashSet<>(Set.of("mark"));
      Set<Object> empty = new HashSet<>();
      left.add(marked);
      left.add(empty);
      right.add(marked);
      right.add(empty);
      left = marked;
      right = empty;
    }
    byte[] bytes =
        JavaSerializationCodec.builder().allowClass(Size.class).maxDepth(100).build().encode(root);
    assertThatThrownBy(() -> codec.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: nesting depth 17 exceeds maxDepth (16)");
  }

  @Test
  void decode_arrayLongerThanMaxArrayLength_throws() {
    JavaSerializationCodec limited =
        JavaSerializationCodec.builder().allowClass(Size.class).maxArrayLength(10).build();
    byte[] bytes = codec.encode(new int[11]);
    assertThatThrownBy(() -> limited.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: an array of int of length 11 exceeds"
                + " maxArrayLength (10)");
  }

  @Test
  void decode_collectionClaimingMoreThanMaxArrayLength_throwsBeforeAllocating() {
    JavaSerializationCodec limited =
        JavaSerializationCodec.builder().allowClass(Size.class).maxArrayLength(10).build();
    byte[] bytes = codec.encode(new ArrayList<>(Collections.nCopies(11, "x")));
    assertThatThrownBy(() -> limited.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: an array of java.lang.Object of length 11"
                + " exceeds maxArrayLength (10)");
  }

  @Test
  void decode_moreReferencesThanMaxReferences_throws() {
    JavaSerializationCodec limited =
        JavaSerializationCodec.builder().allowClass(Size.class).maxReferences(5).build();
    byte[] bytes = codec.encode(nest(10));
    assertThatThrownBy(() -> limited.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("cannot decode value as java.lang.Object: more than maxReferences (5) objects");
  }

  @Test
  void decode_smallInputClaimingLargeArrays_isRefusedByTheBudget() {
    // 40,000 ints are 160,000 bytes claimed by an input of a few hundred: within maxArrayLength,
    // but not within twice the input or the 16 KiB floor.
    byte[] bytes = codec.encode(new ArrayList<>(List.of(new int[0])));
    byte[] forged = withArrayLength(bytes, 40_000);
    assertThatThrownBy(() -> codec.decode(forged, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith(
            "cannot decode value as java.lang.Object: its arrays claim more than 16384 bytes");
  }

  @Test
  void builder_withoutAllowList_failsNamingTheOptions() {
    assertThatThrownBy(() -> JavaSerializationCodec.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "JavaSerializationCodec needs an allow-list: call allowPackage(...) or allowClass(...)"
                + " for the packages and classes of the values you store, for example"
                + " allowPackage(\"org.springframework.security\")");
  }

  @Test
  void builder_jdkPackage_isRefused() {
    assertThatThrownBy(() -> JavaSerializationCodec.builder().allowPackage("javax.management"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowPackage must not name a JDK package, which holds deserialization gadgets;"
                + " allow the JDK classes you need one by one with allowClass: javax.management");
  }

  @Test
  void builder_packageWithWildcard_isRefused() {
    assertThatThrownBy(() -> JavaSerializationCodec.builder().allowPackage("com.example.*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowPackage must be a package name such as com.example.shop, without a trailing dot"
                + " or wildcard: com.example.*");
  }

  @Test
  void builder_badClassName_isRefused() {
    assertThatThrownBy(() -> JavaSerializationCodec.builder().allowClass("com.example."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowClass must be a binary class name such as com.example.Outer$Inner: com.example.");
  }

  @Test
  void builder_arrayClass_isRefused() {
    assertThatThrownBy(() -> JavaSerializationCodec.builder().allowClass(String[].class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowClass takes a class, not a primitive or an array type (arrays of allowed classes"
                + " are allowed): java.lang.String[]");
  }

  @Test
  void builder_nonPositiveLimits_areRefusedNamingTheOption() {
    var builder = JavaSerializationCodec.builder();
    assertThatThrownBy(() -> builder.maxDepth(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDepth must be positive: 0");
    assertThatThrownBy(() -> builder.maxReferences(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxReferences must be positive: -1");
    assertThatThrownBy(() -> builder.maxArrayLength(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxArrayLength must be positive: 0");
    assertThatThrownBy(() -> builder.maxBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be positive: 0");
  }

  static List<Object> nest(int depth) {
    List<Object> list = new ArrayList<>();
    for (int i = 1; i < depth; i++) {
      List<Object> outer = new ArrayList<>();
      outer.add(list);
      list = outer;
    }
    return list;
  }

  /** The bytes of one value, serialized with no allow-list at all, as an attacker would write. */
  static byte[] plainSerialize(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /** Replaces the length of the one empty int[] in the stream ("[I" ... 00 00 00 00). */
  private static byte[] withArrayLength(byte[] bytes, int length) {
    byte[] forged = bytes.clone();
    for (int i = forged.length - 4; i >= 0; i--) {
      if (forged[i] == 0 && forged[i + 1] == 0 && forged[i + 2] == 0 && forged[i + 3] == 0) {
        forged[i] = (byte) (length >>> 24);
        forged[i + 1] = (byte) (length >>> 16);
        forged[i + 2] = (byte) (length >>> 8);
        forged[i + 3] = (byte) length;
        return forged;
      }
    }
    throw new IllegalStateException("no array length found");
  }
}
