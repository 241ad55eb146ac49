package io.sessionstate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor: only the store's package is exported, and only what its API hands to the
 * user (the session API, and {@code java.sql} for {@code dataSource(DataSource)}) is required
 * transitively; the shared JDBC code (with HikariCP) and the driver stay inside.
 */
class ModuleTest {
  private final ModuleDescriptor descriptor = MySqlSessionStore.class.getModule().getDescriptor();

  @Test
  void isANamedModule_exportingOnlyTheStorePackage() {
    assertThat(descriptor).as("the tests run on the module path").isNotNull();
    assertThat(descriptor.name()).isEqualTo("io.sessionstate.mysql");
    assertThat(descriptor.exports().stream().map(Exports::source))
        .containsExactly("io.sessionstate.mysql");
    assertThat(descriptor.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
  }

  @Test
  void requiresTransitively_onlyWhatItsApiHandsOut() {
    assertThat(
            descriptor.requires().stream()
                .filter(r -> r.modifiers().contains(Requires.Modifier.TRANSITIVE))
                .filter(r -> !r.modifiers().contains(Requires.Modifier.STATIC))
                .map(Requires::name)
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("io.sessionstate", "java.sql");
    assertThat(descriptor.requires().stream().map(Requires::name).collect(Collectors.toSet()))
        .contains("io.sessionstate.jdbc", "org.mariadb.jdbc", "org.slf4j");
  }

  @Test
  void jspecify_isReadByCompilersOnly() {
    // Its annotations are part of the public signatures, so a user's compiler reads them; nothing
    // needs the module at run time.
    assertThat(descriptor.requires().stream().filter(r -> r.name().equals("org.jspecify")))
        .extracting(Requires::modifiers)
        .containsExactly(Set.of(Requires.Modifier.STATIC, Requires.Modifier.TRANSITIVE));
  }
}
