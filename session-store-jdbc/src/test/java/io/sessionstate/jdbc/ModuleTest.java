package io.sessionstate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module as the JDBC stores meet it, read from the compiled {@code module-info} in {@code
 * target/classes}: it has no API of its own, so its package is exported to those two store modules
 * only, and what it requires transitively is only what its signatures name (the session API for the
 * store error, {@code java.sql} for connections); HikariCP stays inside.
 */
class ModuleTest {
  private static final ModuleDescriptor MODULE = compiledDescriptor();

  @Test
  void name_isTheOneTheStoresRequire() {
    assertThat(MODULE.name()).isEqualTo("io.sessionstate.jdbc");
  }

  @Test
  void exports_itsPackage_toTheTwoJdbcStoresOnly() {
    assertThat(MODULE.exports())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("io.sessionstate.jdbc");
              assertThat(e.isQualified()).isTrue();
              assertThat(e.targets())
                  .containsExactlyInAnyOrder("io.sessionstate.postgresql", "io.sessionstate.mysql");
            });
    assertThat(MODULE.exports()).allMatch(Exports::isQualified);
  }

  @Test
  void opens_nothing() {
    assertThat(MODULE.isOpen()).isFalse();
    assertThat(MODULE.opens()).isEmpty();
  }

  @Test
  void requiresTransitive_theSessionApiAndJavaSql_only() {
    assertThat(requiresTransitive()).containsExactlyInAnyOrder("io.sessionstate", "java.sql");
  }

  @Test
  void hikari_isRequired_butNotHandedOn() {
    assertThat(MODULE.requires().stream().filter(r -> r.name().equals("com.zaxxer.hikari")))
        .extracting(Requires::modifiers)
        .containsExactly(Set.of());
  }

  @Test
  void jspecify_isReadByCompilersOnly() {
    assertThat(MODULE.requires().stream().filter(r -> r.name().equals("org.jspecify")))
        .extracting(Requires::modifiers)
        .containsExactly(Set.of(Requires.Modifier.STATIC, Requires.Modifier.TRANSITIVE));
  }

  private static Set<String> requiresTransitive() {
    return MODULE.requires().stream()
        // What a store's module graph gets at run time: a static requirement is not resolved there.
        .filter(r -> r.modifiers().contains(Requires.Modifier.TRANSITIVE))
        .filter(r -> !r.modifiers().contains(Requires.Modifier.STATIC))
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
