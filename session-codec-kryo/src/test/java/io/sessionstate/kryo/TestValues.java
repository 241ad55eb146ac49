package io.sessionstate.kryo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Application-like value types shared by the tests. */
final class TestValues {
  private TestValues() {}

  public record CartLine(String sku, int quantity, long priceCents) {}

  public record Cart(
      String owner, List<CartLine> lines, Map<String, Set<Integer>> tags, Colour colour) {}

  /** Constants with bodies make the enum class abstract and each constant a subclass. */
  public enum Colour {
    RED {
      @Override
      String hex() {
        return "#f00";
      }
    },
    GREEN {
      @Override
      String hex() {
        return "#0f0";
      }
    };

    abstract String hex();
  }

  /** Encodes to no bytes at all. */
  public record Marker() {}

  /** Never registered. */
  public record Unregistered(String name) {}

  /** A class with no no-arg constructor and private final fields. */
  public static final class Money {
    private final String currency;
    private final long cents;

    public Money(String currency, long cents) {
      this.currency = currency;
      this.cents = cents;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Money m && m.currency.equals(currency) && m.cents == cents;
    }

    @Override
    public int hashCode() {
      return Objects.hash(currency, cents);
    }

    @Override
    public String toString() {
      return currency + " " + cents;
    }
  }

  static KryoValueCodec.Builder registered() {
    return KryoValueCodec.builder()
        .register(Cart.class, 100)
        .register(CartLine.class, 101)
        .register(Colour.class, 102)
        .register(Money.class, 103)
        .register(Marker.class, 104);
  }

  static Cart cart() {
    List<CartLine> lines = new ArrayList<>();
    lines.add(new CartLine("sku-1", 2, 1999));
    lines.add(new CartLine("sku-ü", 1, -5));
    Map<String, Set<Integer>> tags = new LinkedHashMap<>();
    tags.put("sale", new LinkedHashSet<>(List.of(1, 2, 3)));
    tags.put("empty", new LinkedHashSet<>());
    return new Cart("alice", lines, tags, Colour.GREEN);
  }

  /** A value of every kind the fuzz corpus and the round-trip tests start from. */
  static List<Object> corpus() {
    List<Object> values = new ArrayList<>();
    values.add("plain ascii");
    values.add("ünïcödé ✓ and more text to make it longer than a few bytes");
    values.add("");
    values.add(42);
    values.add(-7L);
    values.add(3.5d);
    values.add(true);
    values.add(new byte[] {1, 2, 3, -1});
    values.add(new int[] {1, -2, 300000});
    values.add(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE});
    values.add(new String[] {"a", null, "ö"});
    values.add(new ArrayList<>(List.of("x", 1, 2L)));
    Map<String, Object> nested = new HashMap<>();
    nested.put("list", new ArrayList<>(List.of(new ArrayList<>(List.of(1, 2)))));
    nested.put("map", new HashMap<>(Map.of("k", "v")));
    values.add(nested);
    values.add(cart());
    values.add(new Money("EUR", 1234));
    values.add(Colour.RED);
    return values;
  }
}
