package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeLogTest {

  @Test
  void applyTo_keepsTheKeysTheRequestDidNotWrite() {
    ChangeLog log = new ChangeLog();
    log.set("cart.1", bytes("apple"));

    Map<String, byte[]> merged = log.applyTo(stored("count", "7", "cart.2", "pear"));

    assertThat(merged.keySet()).containsExactly("count", "cart.2", "cart.1");
    assertThat(new String(merged.get("count"), StandardCharsets.UTF_8)).isEqualTo("7");
  }

  @Test
  void applyTo_aRemovalRemovesEvenAValueAnotherRequestSet() {
    ChangeLog log = new ChangeLog();
    log.set("user", bytes("ada"));
    log.remove("user");

    assertThat(log.applyTo(stored("user", "grace", "count", "1")).keySet())
        .containsExactly("count");
  }

  @Test
  void applyTo_aClearWipesTheStoredValues_butKeepsWhatTheRequestSetAfterIt() {
    ChangeLog log = new ChangeLog();
    log.set("before", bytes("x"));
    log.clear();
    log.set("after", bytes("y"));

    assertThat(log.applyTo(stored("count", "1")).keySet()).containsExactly("after");
  }

  @Test
  void reset_forgetsEverything() {
    ChangeLog log = new ChangeLog();
    log.clear();
    log.set("a", bytes("1"));

    log.reset();

    assertThat(log.isEmpty()).isTrue();
    assertThat(log.applyTo(stored("count", "1")).keySet()).containsExactly("count");
  }

  private static Map<String, byte[]> stored(String... keysAndValues) {
    LinkedHashMap<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], bytes(keysAndValues[i + 1]));
    }
    return m;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
