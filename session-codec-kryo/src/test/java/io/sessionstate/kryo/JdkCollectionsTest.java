package io.sessionstate.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionDataException;
import io.sessionstate.kryo.TestValues.CartLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JdkCollectionsTest {
  private final KryoValueCodec codec = TestValues.registered().build();

  static Stream<Arguments> jdkValues() {
    TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.addAll(List.of("a", "c", "b"));
    TreeMap<String, Integer> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.put("Accept", 1);
    caseInsensitive.put("host", 2);
    List<String> withNull = new ArrayList<>(Arrays.asList("a", null, "b"));
    return Stream.of(
        Arguments.of(32, Locale.forLanguageTag("de-CH")),
        Arguments.of(33, Collections.emptyList()),
        Arguments.of(34, Collections.emptySet()),
        Arguments.of(35, Collections.emptyMap()),
        Arguments.of(36, Collections.singletonList("a")),
        Arguments.of(37, Collections.singleton(1)),
        Arguments.of(38, Collections.singletonMap("k", 1)),
        Arguments.of(39, List.of("a")),
        Arguments.of(39, List.of("a", "b")),
        Arguments.of(40, List.of()),
        Arguments.of(40, List.of("a", "b", "c")),
        Arguments.of(40, withNull.stream().toList()),
        Arguments.of(42, Set.of("a")),
        Arguments.of(43, Set.of("a", "b", "c")),
        Arguments.of(44, Map.of("k", 1)),
        Arguments.of(45, Map.of("k", 1, "l", 2, "m", 3)),
        Arguments.of(44, Map.copyOf(Map.of("k", List.of(1)))),
        Arguments.of(46, Arrays.asList("a", null, "b")),
        Arguments.of(47, Collections.unmodifiableCollection(new ArrayList<>(List.of(1, 2)))),
        Arguments.of(48, Collections.unmodifiableList(new LinkedList<>(List.of("a", "b")))),
        Arguments.of(49, Collections.unmodifiableList(withNull)),
        Arguments.of(50, Collections.unmodifiableSet(new LinkedHashSet<>(List.of(3, 1, 2)))),
        Arguments.of(51, Collections.unmodifiableSortedSet(reversed)),
        Arguments.of(52, Collections.unmodifiableNavigableSet(reversed)),
        Arguments.of(53, Collections.unmodifiableMap(new LinkedHashMap<>(Map.of("k", "v")))),
        Arguments.of(54, Collections.unmodifiableSortedMap(caseInsensitive)),
        Arguments.of(55, Collections.unmodifiableNavigableMap(caseInsensitive)),
        Arguments.of(56, Collections.emptySortedSet()),
        Arguments.of(57, Collections.emptyNavigableMap()),
        Arguments.of(58, Comparator.naturalOrder()),
        Arguments.of(59, Comparator.reverseOrder()),
        Arguments.of(60, String.CASE_INSENSITIVE_ORDER));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("jdkValues")
  void decode_jdkType_returnsEqualValueOfSameClassUnderDocumentedId(int id, Object value) {
    byte[] bytes = codec.encode(value);

    Object decoded = codec.decode(bytes, Object.class);

    assertThat(bytes[0]).isEqualTo((byte) (id + 2));
    assertThat(decoded).hasSameClassAs(value);
    if (id == 47) {
      // An unmodifiableCollection has identity equality; its elements are what must match.
      assertThat(List.copyOf((Collection<?>) decoded))
          .isEqualTo(List.copyOf((Collection<?>) value));
    } else {
      assertThat(decoded).isEqualTo(value);
    }
  }

  @Test
  void decode_sublistOfListOf_readsBackAsEqualListOf() {
    List<String> sublist = List.of("a", "b", "c", "d").subList(1, 3);

    Object decoded = codec.decode(codec.encode(sublist), Object.class);

    assertThat(decoded).isEqualTo(List.of("b", "c")).hasSameClassAs(List.of("b", "c"));
  }

  @Test
  @SuppressWarnings("unchecked") // decode(bytes, Set.class) is a raw Set
  void decode_listOf_isUnmodifiableAndSetAttributeStyleValueWorks() {
    List<String> decoded = codec.decode(codec.encode(List.of("a")), List.class);

    assertThat(decoded).containsExactly("a");
    assertThatThrownBy(() -> decoded.add("b")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void decode_unmodifiableListInsideRegisteredRecord_readsBack() {
    // The shape of Spring Security's AbstractAuthenticationToken.authorities, which Kryo's own
    // collection serializer fails on with UnsupportedOperationException.
    record Holder(Collection<CartLine> lines) {}
    KryoValueCodec withHolder = TestValues.registered().register(Holder.class, 150).build();
    Holder holder =
        new Holder(Collections.unmodifiableList(new ArrayList<>(List.of(new CartLine("a", 1, 2)))));

    Holder decoded = withHolder.decode(withHolder.encode(holder), Holder.class);

    assertThat(decoded).isEqualTo(holder);
    assertThat(decoded.lines()).hasSameClassAs(holder.lines());
  }

  @Test
  @SuppressWarnings("unchecked") // decode(bytes, Set.class) is a raw Set
  void decode_sortedWrappers_keepTheirComparator() {
    TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.addAll(List.of("a", "c", "b"));
    TreeMap<String, Integer> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Accept", 1);

    NavigableSet<Object> set =
        codec.decode(
            codec.encode(Collections.unmodifiableNavigableSet(reversed)), NavigableSet.class);
    SortedMap<?, ?> map =
        codec.decode(codec.encode(Collections.unmodifiableSortedMap(headers)), SortedMap.class);

    assertThat(set).containsExactly("c", "b", "a");
    assertThat(set.comparator()).isSameAs(Comparator.reverseOrder());
    assertThat(map.comparator()).isSameAs(String.CASE_INSENSITIVE_ORDER);
    assertThat(map.get("ACCEPT")).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("unchecked") // decode(bytes, Set.class) is a raw Set
  void decode_unmodifiableSetOfSortedSet_keepsIterationOrder() {
    // Spring Security's User.authorities: unmodifiableSet over a TreeSet with a private comparator.
    // The wrapper hides the comparator; the order it iterated in is what is kept.
    TreeSet<String> sorted = new TreeSet<>(Comparator.reverseOrder());
    sorted.addAll(List.of("ROLE_A", "ROLE_C", "ROLE_B"));

    Set<Object> decoded =
        codec.decode(codec.encode(Collections.unmodifiableSet(sorted)), Set.class);

    assertThat(decoded).containsExactly("ROLE_C", "ROLE_B", "ROLE_A");
  }

  @Test
  void encode_sortedWrapperWithUnregisteredComparator_namesTheComparator() {
    Comparator<String> byLength = new ByLength();
    TreeSet<String> set = new TreeSet<>(byLength);
    set.add("a");
    SortedSet<String> value = Collections.unmodifiableSortedSet(set);

    assertThatThrownBy(() -> codec.encode(value))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class "
                + value.getClass().getName()
                + ": class "
                + ByLength.class.getName()
                + " is not registered with KryoValueCodec"
                + " (register it in KryoValueCodec.builder().register(...))");
  }

  @Test
  void decode_setOfWithDuplicateElements_throwsWithoutQuotingTheElement() {
    // Set.of("secret", "other") with the second element's bytes overwritten by the first's.
    byte[] bytes = codec.encode(Set.of("secret", "xxxxxx"));
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    int first = text.indexOf("secre");
    int second = text.indexOf("xxxxx");
    System.arraycopy(bytes, first, bytes, second, 6);

    assertThatThrownBy(() -> codec.decode(bytes, Set.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.util.Set (stored class "
                + Set.of("secret", "xxxxxx").getClass().getName()
                + "): java.lang.IllegalArgumentException")
        .hasMessageNotContaining("secret");
  }

  @Test
  void decode_nestedMapsOfJdkCollections_roundTrip() {
    Map<String, Object> value = new HashMap<>();
    value.put("roles", Set.of("a", "b"));
    value.put("names", Collections.unmodifiableList(new ArrayList<>(List.of("x"))));
    value.put("tree", Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of(1, List.of()))));
    value.put("set", new HashSet<>(List.of(Map.of("k", "v"))));

    assertThat(codec.decode(codec.encode(value), Object.class)).isEqualTo(value);
  }

  /** A comparator nobody registered. */
  static final class ByLength implements Comparator<String>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(String a, String b) {
      return Integer.compare(a.length(), b.length());
    }
  }

  @Test
  void decode_sortedMapWrapper_isUnmodifiable() {
    NavigableMap<?, ?> decoded =
        codec.decode(
            codec.encode(Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of("a", 1)))),
            NavigableMap.class);

    assertThatThrownBy(decoded::clear).isInstanceOf(UnsupportedOperationException.class);
  }
}
