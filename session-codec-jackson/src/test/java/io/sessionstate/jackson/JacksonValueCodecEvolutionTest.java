package io.sessionstate.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionDataException;
import io.sessionstate.testing.CompiledClasses;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.type.TypeFactory;

/**
 * What a stored value keeps when its class changes between two deployments: each case compiles the
 * old and the new version of a class into two loaders, writes with one and reads with the other.
 * The README's "Choosing a codec" table quotes these outcomes.
 */
class JacksonValueCodecEvolutionTest {
  private static final String PROFILE = "org.example.evolve.Profile";

  private URLClassLoader oldLoader;
  private URLClassLoader newLoader;

  @AfterEach
  void closeLoaders() throws Exception {
    for (URLClassLoader loader : new URLClassLoader[] {oldLoader, newLoader}) {
      if (loader != null) {
        loader.close();
      }
    }
  }

  /** A plain class with public fields, a no-arg constructor for Jackson and one for the test. */
  private static String profile(String fields, String constructor, String shown) {
    return "package org.example.evolve;\n"
        + "public class Profile {\n"
        + fields
        + "  public Profile() {}\n"
        + constructor
        + "  @Override public String toString() { return "
        + shown
        + "; }\n"
        + "}\n";
  }

  private static final String V1 =
      profile(
          "  public String name; public int age;\n",
          "  public Profile(String name, int age) { this.name = name; this.age = age; }\n",
          "\"name=\" + name + \" age=\" + age");

  private static JacksonValueCodec codec(ClassLoader loader) {
    return JacksonValueCodec.builder()
        .allowPackage("org.example.evolve")
        .mapper(
            mapper ->
                mapper.typeFactory(TypeFactory.createDefaultInstance().withClassLoader(loader)))
        .build();
  }

  private Object oldToNew(Map<String, String> newSources) {
    oldLoader = CompiledClasses.load("old", Map.of(PROFILE, V1));
    newLoader = CompiledClasses.load("new", newSources);
    byte[] bytes =
        codec(oldLoader).encode(CompiledClasses.newInstance(oldLoader, PROFILE, "alice", 30));
    return codec(newLoader).decode(bytes, Object.class);
  }

  @Test
  void fieldAdded_oldValueReadByNewClass_keepsFieldsAndTheConstructorsDefault() {
    String v2 =
        profile(
            "  public String name; public int age; public String email = \"unset\";\n",
            "",
            "\"name=\" + name + \" age=\" + age + \" email=\" + email");
    // Jackson calls the no-arg constructor, so the field initializer runs.
    assertThat(oldToNew(Map.of(PROFILE, v2))).hasToString("name=alice age=30 email=unset");
  }

  @Test
  void fieldAdded_newValueReadByOldClass_ignoresTheNewField() {
    String v2 =
        profile(
            "  public String name; public int age; public String email;\n",
            "  public Profile(String name, int age, String email) {"
                + " this.name = name; this.age = age; this.email = email; }\n",
            "\"name=\" + name");
    newLoader = CompiledClasses.load("new", Map.of(PROFILE, v2));
    oldLoader = CompiledClasses.load("old", Map.of(PROFILE, V1));
    byte[] bytes =
        codec(newLoader)
            .encode(CompiledClasses.newInstance(newLoader, PROFILE, "alice", 30, "a@example.org"));
    assertThat(codec(oldLoader).decode(bytes, Object.class)).hasToString("name=alice age=30");
  }

  @Test
  void fieldRemoved_oldValueReadByNewClass_keepsTheRest() {
    String v2 = profile("  public String name;\n", "", "\"name=\" + name");
    assertThat(oldToNew(Map.of(PROFILE, v2))).hasToString("name=alice");
  }

  @Test
  void fieldRenamed_oldValueReadByNewClass_losesThatFieldOnly() {
    String v2 =
        profile(
            "  public String name; public int years;\n",
            "",
            "\"name=\" + name + \" years=\" + years");
    assertThat(oldToNew(Map.of(PROFILE, v2))).hasToString("name=alice years=0");
  }

  @Test
  void classRenamed_makesTheValueUnreadable() {
    String renamed =
        "package org.example.evolve;\n"
            + "public class Person { public String name; public int age; }\n";
    assertThatThrownBy(() -> oldToNew(Map.of("org.example.evolve.Person", renamed)))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: class org.example.evolve.Profile is not in"
                + " the allow-list or not found (allow it with"
                + " JacksonValueCodec.builder().allowClass(...) or .allowPackage(...))");
  }

  @Test
  void classDeleted_makesTheValueUnreadable() {
    String other = "package org.example.evolve;\npublic class Other {}\n";
    assertThatThrownBy(() -> oldToNew(Map.of("org.example.evolve.Other", other)))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith(
            "cannot decode value as java.lang.Object: class org.example.evolve.Profile is not in"
                + " the allow-list or not found");
  }
}
