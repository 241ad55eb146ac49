package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.testing.CompiledClasses;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a stored value keeps when its class changes between two deployments: each case compiles the
 * old and the new version of a class into two loaders, writes with one and reads with the other.
 * The README's "Choosing a codec" table quotes these outcomes.
 */
class JavaSerializationCodecEvolutionTest {
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

  private static String profile(String fields, String constructor, String shown, boolean uid) {
    return "package org.example.evolve;\n"
        + "public class Profile implements java.io.Serializable {\n"
        + (uid ? "  private static final long serialVersionUID = 1L;\n" : "")
        + fields
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
          "\"name=\" + name + \" age=\" + age",
          true);

  private JavaSerializationCodec codec(ClassLoader loader) {
    return JavaSerializationCodec.builder()
        .allowPackage("org.example.evolve")
        .classLoader(loader)
        .build();
  }

  /** Writes a v1 Profile("alice", 30) with the old loader and reads it with the new one. */
  private Object oldToNew(String newSource) {
    return oldToNew(V1, Map.of(PROFILE, newSource));
  }

  private Object oldToNew(String oldSource, Map<String, String> newSources) {
    oldLoader = CompiledClasses.load("old", Map.of(PROFILE, oldSource));
    newLoader = CompiledClasses.load("new", newSources);
    byte[] bytes =
        codec(oldLoader).encode(CompiledClasses.newInstance(oldLoader, PROFILE, "alice", 30));
    return codec(newLoader).decode(bytes, Object.class);
  }

  @Test
  void fieldAdded_oldValueReadByNewClass_keepsFieldsAndDefaultsTheNewOne() {
    String v2 =
        profile(
            "  public String name; public int age; public String email = \"unset\";\n",
            "  public Profile(String name, int age, String email) {"
                + " this.name = name; this.age = age; this.email = email; }\n",
            "\"name=\" + name + \" age=\" + age + \" email=\" + email",
            true);
    // Field initializers do not run on deserialization: the new field is null, not "unset".
    assertThat(oldToNew(v2)).hasToString("name=alice age=30 email=null");
  }

  @Test
  void fieldAdded_newValueReadByOldClass_skipsTheNewField() {
    String v2 =
        profile(
            "  public String name; public int age; public String email;\n",
            "  public Profile(String name, int age, String email) {"
                + " this.name = name; this.age = age; this.email = email; }\n",
            "\"name=\" + name + \" age=\" + age + \" email=\" + email",
            true);
    newLoader = CompiledClasses.load("new", Map.of(PROFILE, v2));
    oldLoader = CompiledClasses.load("old", Map.of(PROFILE, V1));
    byte[] bytes =
        codec(newLoader)
            .encode(CompiledClasses.newInstance(newLoader, PROFILE, "alice", 30, "a@example.org"));
    assertThat(codec(oldLoader).decode(bytes, Object.class)).hasToString("name=alice age=30");
  }

  @Test
  void fieldRemoved_oldValueReadByNewClass_keepsTheRest() {
    String v2 =
        profile(
            "  public String name;\n",
            "  public Profile(String name) { this.name = name; }\n",
            "\"name=\" + name",
            true);
    assertThat(oldToNew(v2)).hasToString("name=alice");
  }

  @Test
  void fieldRenamed_oldValueReadByNewClass_losesThatFieldOnly() {
    String v2 =
        profile(
            "  public String name; public int years;\n",
            "  public Profile(String name, int years) { this.name = name; this.years = years; }\n",
            "\"name=\" + name + \" years=\" + years",
            true);
    assertThat(oldToNew(v2)).hasToString("name=alice years=0");
  }

  @Test
  void fieldAdded_withoutSerialVersionUid_makesTheValueUnreadable() {
    String v1 =
        profile(
            "  public String name; public int age;\n",
            "  public Profile(String name, int age) { this.name = name; this.age = age; }\n",
            "\"name=\" + name",
            false);
    String v2 =
        profile(
            "  public String name; public int age; public String email;\n",
            "  public Profile(String name, int age) { this.name = name; this.age = age; }\n",
            "\"name=\" + name",
            false);
    assertThatThrownBy(() -> oldToNew(v1, Map.of(PROFILE, v2)))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: class org.example.evolve.Profile is"
                + " incompatible with the stored one (java.io.InvalidClassException)");
  }

  @Test
  void classRenamed_makesTheValueUnreadable() {
    String renamed =
        "package org.example.evolve;\n"
            + "public class Person implements java.io.Serializable {\n"
            + "  private static final long serialVersionUID = 1L;\n"
            + "  public String name; public int age;\n"
            + "}\n";
    assertThatThrownBy(() -> oldToNew(V1, Map.of("org.example.evolve.Person", renamed)))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: class org.example.evolve.Profile is not"
                + " found");
  }

  @Test
  void classDeleted_makesTheValueUnreadable() {
    String other = "package org.example.evolve;\npublic class Other {}\n";
    assertThatThrownBy(() -> oldToNew(V1, Map.of("org.example.evolve.Other", other)))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: class org.example.evolve.Profile is not"
                + " found");
  }
}
