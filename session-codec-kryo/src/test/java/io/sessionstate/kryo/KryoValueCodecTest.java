package io.sessionstate.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionDataException;
import io.sessionstate.kryo.TestValues.Cart;
import io.sessionstate.kryo.TestValues.CartLine;
import io.sessionstate.kryo.TestValues.Colour;
import io.sessionstate.kryo.TestValues.Money;
import io.sessionstate.kryo.TestValues.Unregistered;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KryoValueCodecTest {
  private final KryoValueCodec codec = TestValues.registered().build();

  // ---- round trips

  static Stream<Arguments> defaultTypes() {
    return Stream.of(
        Arguments.of(0, 42),
        Arguments.of(1, "text"),
        Arguments.of(2, 1.5f),
        Arguments.of(3, true),
        Arguments.of(4, (byte) -3),
        Arguments.of(5, 'ß'),
        Arguments.of(6, (short) 300),
        Arguments.of(7, 1L << 40),
        Arguments.of(8, Math.PI),
        Arguments.of(10, new byte[] {0, 1, -128}),
        Arguments.of(11, new int[] {1, Integer.MIN_VALUE}),
        Arguments.of(12, new long[] {Long.MAX_VALUE}),
        Arguments.of(13, new String[] {"a", null}),
        Arguments.of(14, new ArrayList<>(List.of("a", 1))),
        Arguments.of(15, new LinkedList<>(List.of("b"))),
        Arguments.of(16, new HashMap<>(Map.of("k", 1))),
        Arguments.of(17, new LinkedHashMap<>(Map.of("k", 2))),
        Arguments.of(18, new TreeMap<>(Map.of("b", 1, "a", 2))),
        Arguments.of(19, new HashSet<>(List.of(1, 2))),
        Arguments.of(20, new LinkedHashSet<>(List.of(3, 1))),
        Arguments.of(21, new TreeSet<>(List.of("z", "y"))),
        Arguments.of(22, new BigInteger("123456789012345678901234567890")),
        Arguments.of(23, new BigDecimal("-1.000000000000000000001")),
        Arguments.of(24, UUID.fromString("01234567-89ab-cdef-0123-456789abcdef")),
        Arguments.of(25, Instant.parse("2024-02-29T12:34:56.789Z")),
        Arguments.of(26, Duration.ofMinutes(20)),
        Arguments.of(27, LocalDate.of(2024, 2, 29)),
        Arguments.of(28, LocalTime.of(23, 59, 1)),
        Arguments.of(29, LocalDateTime.of(2024, 2, 29, 1, 2)),
        Arguments.of(30, OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(2))),
        Arguments.of(31, ZonedDateTime.parse("2024-03-31T02:30:00+02:00[Europe/Berlin]")));
  }

  @ParameterizedTest
  @MethodSource("defaultTypes")
  void encode_defaultType_roundTripsUnderDocumentedId(int id, Object value) {
    byte[] bytes = codec.encode(value);

    // Kryo writes a class as the varint id + 2; every documented id fits one byte.
    assertThat(bytes[0]).isEqualTo((byte) (id + 2));
    assertThat(codec.decode(bytes, Object.class)).isEqualTo(value);
  }

  @Test
  void decode_recordWithNestedCollections_returnsEqualValue() {
    Cart cart = TestValues.cart();

    Cart decoded = codec.decode(codec.encode(cart), Cart.class);

    assertThat(decoded).isEqualTo(cart).isNotSameAs(cart);
    assertThat(decoded.lines()).isInstanceOf(ArrayList.class);
    assertThat(decoded.tags()).isInstanceOf(LinkedHashMap.class);
    assertThat(decoded.tags().keySet()).containsExactly("sale", "empty");
    assertThat(decoded.colour().hex()).isEqualTo("#0f0");
  }

  @Test
  void decode_nestedGenericCollections_returnsEqualValue() {
    Map<String, List<Map<Integer, String>>> value = new HashMap<>();
    List<Map<Integer, String>> list = new ArrayList<>();
    list.add(new TreeMap<>(Map.of(1, "one", 2, "two")));
    list.add(null);
    value.put("x", list);

    Object decoded = codec.decode(codec.encode(value), Map.class);

    assertThat(decoded).isEqualTo(value);
  }

  @Test
  void decode_longCollectionsOfNullsAndEmptyRecords_returnEqualValues() {
    List<Object> nulls = new ArrayList<>(java.util.Collections.nCopies(5000, null));
    List<Object> markers = new ArrayList<>();
    Map<Object, Object> map = new HashMap<>();
    Object[] array = new Object[5000];
    for (int i = 0; i < 5000; i++) {
      markers.add(new TestValues.Marker());
      map.put(i, null);
    }

    KryoValueCodec withArrays = TestValues.registered().register(Object[].class).build();

    assertThat(codec.decode(codec.encode(nulls), Object.class)).isEqualTo(nulls);
    assertThat(codec.decode(codec.encode(markers), Object.class)).isEqualTo(markers);
    assertThat(codec.decode(codec.encode(map), Object.class)).isEqualTo(map);
    assertThat(withArrays.decode(withArrays.encode(array), Object[].class)).isEqualTo(array);
  }

  @Test
  void decode_classWithoutNoArgConstructor_returnsEqualValue() {
    Money money = new Money("EUR", 1234);

    assertThat(codec.decode(codec.encode(money), Money.class)).isEqualTo(money);
  }

  @Test
  void decode_enumConstantWithBody_returnsSameConstant() {
    assertThat(codec.decode(codec.encode(Colour.RED), Colour.class)).isSameAs(Colour.RED);
  }

  @Test
  void decode_primitiveType_acceptsBoxedValue() {
    int value = codec.decode(codec.encode(42), int.class);
    long wide = codec.decode(codec.encode(7L), long.class);

    assertThat(value).isEqualTo(42);
    assertThat(wide).isEqualTo(7L);
  }

  @Test
  void decode_supertype_acceptsSubclassValue() {
    Object list = codec.decode(codec.encode(new ArrayList<>(List.of(1))), List.class);

    assertThat(list).isEqualTo(List.of(1));
  }

  @Test
  void encode_manyThreadsSharingOneCodec_allRoundTrip() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int task = 0; task < 64; task++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    Cart cart = TestValues.cart();
                    if (!codec.decode(codec.encode(cart), Cart.class).equals(cart)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- registration ids

  @Test
  void build_automaticIds_followRegistrationOrderAndSkipFixedIds() {
    KryoValueCodec codec =
        KryoValueCodec.builder()
            .register(CartLine.class)
            .register(Cart.class, 100)
            .register(Money.class)
            .build();

    assertThat(codec.encode(new CartLine("a", 1, 1))[0]).isEqualTo((byte) (101 + 2));
    assertThat(codec.encode(new Money("EUR", 1))[0]).isEqualTo((byte) (102 + 2));
  }

  @Test
  void decode_idRegisteredForOtherClass_throwsSessionDataException() {
    byte[] bytes = codec.encode(new CartLine("a", 1, 1));
    KryoValueCodec reordered =
        KryoValueCodec.builder().register(CartLine.class, 200).register(Cart.class, 101).build();

    assertThatThrownBy(() -> reordered.decode(bytes, CartLine.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith("cannot decode value as " + CartLine.class.getName() + ": ");
  }

  // ---- encode failures

  @Test
  void encode_unregisteredClass_throwsSessionDataExceptionNamingIt() {
    assertThatThrownBy(() -> codec.encode(new Unregistered("x")))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class "
                + Unregistered.class.getName()
                + ": class is not registered with KryoValueCodec"
                + " (register it in KryoValueCodec.builder().register(...))");
  }

  @Test
  void encode_unregisteredClassInsideCollection_namesBothClasses() {
    List<Object> list = new ArrayList<>(List.of("ok", new Unregistered("x")));

    assertThatThrownBy(() -> codec.encode(list))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class java.util.ArrayList: class "
                + Unregistered.class.getName()
                + " is not registered with KryoValueCodec"
                + " (register it in KryoValueCodec.builder().register(...))");
  }

  @Test
  void encode_valueOverMaxValueSize_throwsSessionDataException() {
    String value = "x".repeat(100);
    int size = codec.encode(value).length;
    KryoValueCodec exact = KryoValueCodec.builder().maxValueSize(size).build();
    KryoValueCodec small = KryoValueCodec.builder().maxValueSize(size - 1).build();

    assertThat(exact.decode(exact.encode(value), String.class)).isEqualTo(value);
    assertThatThrownBy(() -> small.encode(value))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class java.lang.String: it encodes to more than maxValueSize ("
                + (size - 1)
                + " bytes)");
  }

  @Test
  void encode_valueOverDefaultMaxValueSize_throwsSessionDataException() {
    byte[] value = new byte[KryoValueCodec.DEFAULT_MAX_VALUE_SIZE];

    assertThatThrownBy(() -> codec.encode(value))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class byte[]: it encodes to more than maxValueSize (1048576 bytes)");
  }

  @Test
  void encode_cycle_throwsSessionDataException() {
    List<Object> list = new ArrayList<>();
    list.add(list);

    assertThatThrownBy(() -> codec.encode(list))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith("cannot encode value of class java.util.ArrayList: ")
        .hasMessageContaining("depth");
  }

  @Test
  void encode_nestingWithinDepthLimit_roundTrips() {
    // Kryo counts two levels per collection: the collection and its element.
    Object value = nestedLists(CodecKryo.MAX_DEPTH / 2);

    assertThat(codec.decode(codec.encode(value), Object.class)).isEqualTo(value);
  }

  @Test
  void encode_nestingBeyondDepthLimit_throwsSessionDataException() {
    Object value = nestedLists(CodecKryo.MAX_DEPTH / 2 + 1);

    assertThatThrownBy(() -> codec.encode(value))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith("cannot encode value of class java.util.ArrayList: ")
        .hasMessageContaining("depth");
  }

  /** {@code depth} objects nested in each other: depth - 1 lists around one string. */
  private static Object nestedLists(int depth) {
    Object value = "leaf";
    for (int i = 1; i < depth; i++) {
      List<Object> list = new ArrayList<>();
      list.add(value);
      value = list;
    }
    return value;
  }

  @Test
  void encode_null_throwsNullPointerException() {
    assertThatThrownBy(() -> codec.encode(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value");
  }

  // ---- decode failures

  @Test
  void decode_wrongType_throwsSessionDataException() {
    byte[] bytes = codec.encode("text");

    assertThatThrownBy(() -> codec.decode(bytes, Integer.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("cannot decode value as java.lang.Integer: the bytes hold a java.lang.String");
  }

  @Test
  void decode_primitiveTypeOfOtherBox_throwsSessionDataException() {
    byte[] bytes = codec.encode(42L);

    assertThatThrownBy(() -> codec.decode(bytes, int.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("cannot decode value as int: the bytes hold a java.lang.Long");
  }

  @Test
  void decode_truncatedBytes_throwsSessionDataException() {
    byte[] bytes = codec.encode(TestValues.cart());

    for (int length = 0; length < bytes.length; length++) {
      byte[] truncated = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> codec.decode(truncated, Cart.class))
          .as("truncated to %d of %d bytes", length, bytes.length)
          .isInstanceOf(SessionDataException.class)
          .hasMessageStartingWith(
              "cannot decode value as "
                  + Cart.class.getName()
                  + (length == 0 ? ": " : " (stored class " + Cart.class.getName() + "): "));
    }
  }

  @Test
  void decode_trailingBytes_throwsSessionDataException() {
    byte[] bytes = Arrays.copyOf(codec.encode("text"), codec.encode("text").length + 2);

    assertThatThrownBy(() -> codec.decode(bytes, String.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("cannot decode value as java.lang.String: unread bytes after the value: 2");
  }

  @Test
  void decode_nullMarker_throwsSessionDataException() {
    assertThatThrownBy(() -> codec.decode(new byte[] {0}, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("cannot decode value as java.lang.Object: the bytes hold no value");
  }

  @Test
  void decode_unknownClassId_throwsSessionDataException() {
    // Id 99 + 2: reserved, never registered.
    assertThatThrownBy(() -> codec.decode(new byte[] {101, 0}, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith("cannot decode value as java.lang.Object: ")
        .hasMessageContaining("99");
  }

  @Test
  void decode_className_isRefusedWithoutLoadingIt() {
    // Class id 1 is Kryo's "class by name" marker, then a name id and an ASCII name.
    byte[] name = "java.lang.Thread".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] bytes = new byte[name.length + 2];
    bytes[0] = 1;
    bytes[1] = 1;
    System.arraycopy(name, 0, bytes, 2, name.length);
    bytes[bytes.length - 1] |= (byte) 0x80;

    assertThatThrownBy(() -> codec.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object:"
                + " class names are not accepted, only registered class ids");
  }

  static Stream<Arguments> hugeDeclaredLengths() {
    // A varint of 2^31 - 1 (or 2^29 - 1 for a string's flagged varint) after each type's id.
    byte[] varint = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
    byte[] stringVarint = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
    return Stream.of(
        Arguments.of(String.class, 268435454, concat(new byte[] {1 + 2}, stringVarint)),
        Arguments.of(byte[].class, 2147483646, concat(new byte[] {10 + 2}, varint)),
        Arguments.of(int[].class, 2147483646, concat(new byte[] {11 + 2}, varint)),
        Arguments.of(long[].class, 2147483646, concat(new byte[] {12 + 2}, varint)),
        Arguments.of(String[].class, 2147483646, concat(new byte[] {13 + 2}, varint)),
        Arguments.of(ArrayList.class, 1073741822, concat(new byte[] {14 + 2}, varint)),
        Arguments.of(HashMap.class, 2147483646, concat(new byte[] {16 + 2}, varint)),
        Arguments.of(HashSet.class, 1073741822, concat(new byte[] {19 + 2}, varint)),
        Arguments.of(BigInteger.class, 2147483646, concat(new byte[] {22 + 2}, varint)),
        Arguments.of(List.of(1, 2, 3).getClass(), 1073741822, concat(new byte[] {40 + 2}, varint)),
        Arguments.of(
            Collections.unmodifiableMap(new HashMap<>()).getClass(),
            2147483646,
            concat(new byte[] {53 + 2}, varint)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hugeDeclaredLengths")
  void decode_hugeDeclaredLength_throwsWithoutAllocating(
      Class<?> type, int declared, byte[] bytes) {
    assertThatThrownBy(() -> codec.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object (stored class "
                + type.getTypeName()
                + "): declared length "
                + declared
                + " exceeds the 0 bytes left")
        .hasRootCauseInstanceOf(com.esotericsoftware.kryo.kryo5.KryoException.class);
  }

  @Test
  void decode_nestingDeeperThanDepthLimit_throwsSessionDataException() {
    // ArrayList (id 14 + 2) with one element (count 1 + 1), nested far deeper than the limit.
    byte[] bytes = new byte[200_000];
    for (int i = 0; i < bytes.length; i += 2) {
      bytes[i] = 16;
      bytes[i + 1] = 2;
    }

    assertThatThrownBy(() -> codec.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object (stored class java.util.ArrayList):"
                + " Max depth exceeded: 100");
  }

  @Test
  void decode_failure_leavesCodecUsable() {
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> codec.decode(new byte[] {16, 4, 3}, Object.class))
          .isInstanceOf(SessionDataException.class);
      assertThatThrownBy(() -> codec.encode(new ArrayList<>(List.of(new Unregistered("x")))))
          .isInstanceOf(SessionDataException.class);
    }

    assertThat(codec.decode(codec.encode(TestValues.cart()), Cart.class))
        .isEqualTo(TestValues.cart());
  }

  @Test
  void decode_nullArguments_throwNullPointerException() {
    assertThatThrownBy(() -> codec.decode(null, String.class))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("bytes");
    assertThatThrownBy(() -> codec.decode(new byte[] {3, -127}, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] result = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }
}
