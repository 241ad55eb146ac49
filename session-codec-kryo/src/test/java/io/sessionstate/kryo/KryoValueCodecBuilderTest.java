package io.sessionstate.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.kryo.TestValues.Cart;
import io.sessionstate.kryo.TestValues.CartLine;
import io.sessionstate.kryo.TestValues.Colour;
import java.lang.reflect.InaccessibleObjectException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KryoValueCodecBuilderTest {

  @Test
  void maxValueSize_zero_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> KryoValueCodec.builder().maxValueSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxValueSize must be positive: 0");
  }

  @Test
  void maxValueSize_negative_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> KryoValueCodec.builder().maxValueSize(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxValueSize must be positive: -5");
  }

  @Test
  void register_null_throwsNullPointerException() {
    assertThatThrownBy(() -> KryoValueCodec.builder().register(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
    assertThatThrownBy(() -> KryoValueCodec.builder().register(null, 100))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
  }

  @Test
  void register_reservedId_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> KryoValueCodec.builder().register(Cart.class, 99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "id must be between 100 and 2147483645 (lower ids are reserved by KryoValueCodec): 99");
  }

  @Test
  void register_negativeId_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> KryoValueCodec.builder().register(Cart.class, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "id must be between 100 and 2147483645 (lower ids are reserved by KryoValueCodec): -1");
  }

  @Test
  void register_idTooLargeForKryo_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> KryoValueCodec.builder().register(Cart.class, Integer.MAX_VALUE - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "id must be between 100 and 2147483645 (lower ids are reserved by KryoValueCodec):"
                + " 2147483646");
  }

  @Test
  void register_largestId_roundTrips() {
    KryoValueCodec codec =
        KryoValueCodec.builder().register(CartLine.class, Integer.MAX_VALUE - 2).build();
    CartLine line = new CartLine("a", 1, 2);

    assertThat(codec.decode(codec.encode(line), CartLine.class)).isEqualTo(line);
  }

  @Test
  void register_sameClassTwice_throwsIllegalArgumentException() {
    KryoValueCodec.Builder builder = KryoValueCodec.builder().register(Cart.class);

    assertThatThrownBy(() -> builder.register(Cart.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type " + Cart.class.getName() + " is already registered");
    assertThatThrownBy(() -> builder.register(Cart.class, 150))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type " + Cart.class.getName() + " is already registered");
  }

  @Test
  void register_sameIdTwice_throwsIllegalArgumentException() {
    KryoValueCodec.Builder builder = KryoValueCodec.builder().register(Cart.class, 120);

    assertThatThrownBy(() -> builder.register(CartLine.class, 120))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id 120 is already registered for " + Cart.class.getName());
  }

  @Test
  void register_defaultType_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> KryoValueCodec.builder().register(ArrayList.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "type java.util.ArrayList is registered by default under id 14; do not register it");
    assertThatThrownBy(() -> KryoValueCodec.builder().register(String.class, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "type java.lang.String is registered by default under id 1; do not register it");
    assertThatThrownBy(() -> KryoValueCodec.builder().register(Long.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type java.lang.Long is registered by default under id 7; do not register it");
    assertThatThrownBy(() -> KryoValueCodec.builder().register(long.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type long is registered by default under id 7; do not register it");
  }

  @Test
  void register_interface_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> KryoValueCodec.builder().register(List.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "type must be a class, not an interface (register the implementation classes):"
                + " java.util.List");
  }

  @Test
  void register_abstractClass_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> KryoValueCodec.builder().register(AbstractList.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "type must not be abstract (register the concrete subclasses): java.util.AbstractList");
  }

  @Test
  void register_abstractEnumAndArray_areAccepted() {
    KryoValueCodec codec =
        KryoValueCodec.builder().register(Colour.class).register(Colour[].class).build();
    Colour[] colours = {Colour.GREEN, null, Colour.RED};

    assertThat(codec.decode(codec.encode(colours), Colour[].class)).containsExactly(colours);
  }

  @Test
  void build_classKryoCannotReach_throwsIllegalArgumentException() {
    // java.base does not open java.util.concurrent.atomic, so Kryo cannot reach the fields.
    KryoValueCodec.Builder builder = KryoValueCodec.builder().register(AtomicInteger.class);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "type java.util.concurrent.atomic.AtomicInteger cannot be registered with"
                + " KryoValueCodec: java.lang.reflect.InaccessibleObjectException: ")
        .hasCauseInstanceOf(InaccessibleObjectException.class);
  }

  @Test
  void build_defaults_maxValueSizeIsOneMebibyte() {
    KryoValueCodec codec = KryoValueCodec.builder().build();
    byte[] fits = new byte[(1 << 20) - 8];

    assertThat(KryoValueCodec.DEFAULT_MAX_VALUE_SIZE).isEqualTo(1 << 20);
    assertThat(codec.decode(codec.encode(fits), byte[].class)).isEqualTo(fits);
  }
}
