package io.sessionstate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module as its users meet it, read from the compiled {@code module-info} in {@code
 * target/classes} (the same way whether the tests run on the class path or the module path): the
 * packages it exports, and the modules it hands on to whoever requires it. A module is required
 * transitively only when this module's public signatures name its types; anything else would put an
 * implementation library on every user's module graph.
 */
class ModuleTest {
  private static final ModuleDescriptor MODULE = compiledDescriptor();

  @Test
  void name_isTheOneUsersRequire() {
    assertThat(MODULE.name()).isEqualTo("io.sessionstate.micrometer");
  }

  @Test
  void exports_theMetricsPackageOnly_toEveryModule() {
    assertThat(MODULE.exports())
        .extracting(Exports::source)
        .containsExactlyInAnyOrder("io.sessionstate.micrometer");
    assertThat(MODULE.exports()).noneMatch(Exports::isQualified);
  }

  @Test
  void opens_nothing() {
    assertThat(MODULE.isOpen()).isFalse();
    assertThat(MODULE.opens()).isEmpty();
  }

  @Test
  void requiresTransitive_theApiMicrometerAndTheMemoryStore() {
    // SessionMetrics is a SessionObserver over a MeterRegistry; MemoryStoreMetrics takes a
    // MemorySessionStore.
    assertThat(requiresTransitive())
        .containsExactlyInAnyOrder(
            "io.sessionstate", "micrometer.core", "io.sessionstate.memory", "org.jspecify");
  }

  @Test
  void memoryStore_isStatic_soOnlyItsUsersNeedIt() {
    assertThat(requires())
        .containsEntry(
            "io.sessionstate.memory",
            Set.of(Requires.Modifier.STATIC, Requires.Modifier.TRANSITIVE));
  }

  private static Map<String, Set<Requires.Modifier>> requires() {
    return MODULE.requires().stream()
        .collect(Collectors.toMap(Requires::name, Requires::modifiers));
  }

  private static Set<String> requiresTransitive() {
    return MODULE.requires().stream()
        .filter(r -> r.modifiers().contains(Requires.Modifier.TRANSITIVE))
        .map(Requires::name)
        .collect(Collectors.toSet());
  }

  private static ModuleDescriptor compiledDescriptor() {
    return ModuleFinder.of(Path.of("target", "classes")).findAll().stream()
        .map(ModuleReference::descriptor)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no module-info.class in target/classes"));
  }
}
