package io.sessionstate.postgresql;

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
    assertThat(MODULE.name()).isEqualTo("io.sessionstate.postgresql");
  }

  @Test
  void exports_theStorePackageOnly_toEveryModule() {
    assertThat(MODULE.exports())
        .extracting(Exports::source)
        .containsExactlyInAnyOrder("io.sessionstate.postgresql");
    assertThat(MODULE.exports()).noneMatch(Exports::isQualified);
  }

  @Test
  void opens_nothing() {
    assertThat(MODULE.isOpen()).isFalse();
    assertThat(MODULE.opens()).isEmpty();
  }

  @Test
  void requiresTransitive_theSessionApiAndJavaSql() {
    // The builder takes a javax.sql.DataSource; the shared JDBC code and the driver stay inside.
    assertThat(requiresTransitive()).containsExactlyInAnyOrder("io.sessionstate", "java.sql");
  }

  @Test
  void theSharedJdbcCodeAndTheDriver_areRequired_butNotHandedToUsers() {
    // HikariCP comes with the shared JDBC code, which keeps it inside too.
    assertThat(requires())
        .containsEntry("io.sessionstate.jdbc", Set.of())
        .containsEntry("org.postgresql.jdbc", Set.of());
  }

  private static Map<String, Set<Requires.Modifier>> requires() {
    return MODULE.requires().stream()
        .collect(Collectors.toMap(Requires::name, Requires::modifiers));
  }

  @Test
  void jspecify_isReadByCompilersOnly() {
    // Its annotations are part of the public signatures, so a user's compiler reads them; nothing
    // needs the module at run time.
    assertThat(MODULE.requires().stream().filter(r -> r.name().equals("org.jspecify")))
        .extracting(Requires::modifiers)
        .containsExactly(Set.of(Requires.Modifier.STATIC, Requires.Modifier.TRANSITIVE));
  }

  private static Set<String> requiresTransitive() {
    return MODULE.requires().stream()
        // What a user's module graph gets at run time: a static requirement is not resolved there.
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
