package io.sessionstate.example;

import java.util.ArrayList;
import java.util.List;

/**
 * A visitor's cart, kept in the session as one object value through the Kryo codec, which knows
 * this record because {@link ExampleApp} registers it. Every change makes a new cart.
 *
 * @param items the item names, in the order they were added
 */
record Cart(List<String> items) {

  /** Bounds the session's size: a visitor cannot grow it past the manager's limits by adding. */
  static final int MAX_ITEMS = 50;

  Cart {
    items = List.copyOf(items);
  }

  static Cart empty() {
    return new Cart(List.of());
  }

  Cart with(String item) {
    List<String> next = new ArrayList<>(items);
    next.add(item);
    return new Cart(next);
  }

  Cart without(int index) {
    List<String> next = new ArrayList<>(items);
    next.remove(index);
    return new Cart(next);
  }
}
