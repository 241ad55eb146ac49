package io.sessionstate.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.SessionDataException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two versions of a class, compiled from source in the test into two class loaders, the way two
 * deployments of an application see one stored value: the old build writes, the new build reads,
 * and the other way round. Both register the class under the same fixed id.
 */
class ClassEvolutionTest {
  private static final int ID = 300;

  @TempDir Path dir;

  // ---- classes (CompatibleFieldSerializer)

  @Test
  void classFieldAdded_newBuildReadsOld_keepsOtherFieldsAndInitializesTheNewOne() throws Exception {
    Class<?> v1 = compile("Item", "public String name; public int qty;", "");
    Class<?> v2 =
        compile("Item", "public String name; public int qty; public String note = \"none\";", "");

    Object read = roundTrip(v1, v2, Map.of("name", "pen", "qty", 3));

    assertThat(fields(read)).containsEntry("name", "pen").containsEntry("qty", 3);
    // The class has a no-arg constructor, so the field initializer ran.
    assertThat(fields(read)).containsEntry("note", "none");
  }

  @Test
  void classFieldAdded_withoutNoArgConstructor_newFieldIsNull() throws Exception {
    String constructor = "public Item(String name) { this.name = name; }";
    Class<?> v1 = compile("Item", "public String name;" + constructor, "");
    Class<?> v2 =
        compile("Item", "public String name; public String note = \"none\";" + constructor, "");

    Object read = roundTrip(v1, v2, Map.of("name", "pen"));

    assertThat(fields(read)).containsEntry("name", "pen").containsEntry("note", null);
  }

  @Test
  void classFieldRemoved_newBuildReadsOld_dropsItKeepsTheRest() throws Exception {
    Class<?> v1 = compile("Item", "public String name; public int qty; public String note;", "");
    Class<?> v2 = compile("Item", "public String name; public int qty;", "");

    Object read = roundTrip(v1, v2, Map.of("name", "pen", "qty", 3, "note", "x"));

    assertThat(fields(read)).isEqualTo(Map.of("name", "pen", "qty", 3));
  }

  @Test
  void classFieldRenamed_keepsTheOthers_renamedOneIsLost() throws Exception {
    Class<?> v1 = compile("Item", "public String name; public int qty;", "");
    Class<?> v2 = compile("Item", "public String name; public int quantity;", "");

    Object read = roundTrip(v1, v2, Map.of("name", "pen", "qty", 3));

    assertThat(fields(read)).isEqualTo(Map.of("name", "pen", "quantity", 0));
  }

  @Test
  void classFieldTypeChanged_failsTheValueNamingTheClass() throws Exception {
    Class<?> v1 = compile("Item", "public String name; public int qty;", "");
    Class<?> v2 = compile("Item", "public String name; public long qty;", "");
    byte[] bytes = codec(v1).encode(instance(v1, Map.of("name", "pen", "qty", 3)));

    assertThatThrownBy(() -> codec(v2).decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith(
            "cannot decode value as java.lang.Object (stored class evolve.Item):"
                + " Read type is incompatible with the field type: int -> long (evolve.Item#qty)");
  }

  @Test
  void classFieldRemoved_whoseValueClassIsGone_failsTheValue() throws Exception {
    Class<?> v1 =
        compile("Item", "public String name; public Extra extra;", "public static class Extra {}");
    Class<?> v2 = compile("Item", "public String name;", "");
    Class<?> extra = v1.getClassLoader().loadClass("evolve.Item$Extra");
    Object item = instance(v1, Map.of("name", "pen"));
    v1.getField("extra").set(item, extra.getConstructor().newInstance());
    byte[] bytes =
        KryoValueCodec.builder().register(v1, ID).register(extra, ID + 1).build().encode(item);

    assertThatThrownBy(() -> codec(v2).decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object (stored class evolve.Item):"
                + " Encountered unregistered class ID: "
                + (ID + 1));
  }

  @Test
  void classRenamed_underTheSameId_keepsEveryField() throws Exception {
    Class<?> v1 = compile("Item", "public String name; public int qty;", "");
    Class<?> v2 = compile("Article", "public String name; public int qty;", "");

    Object read = roundTrip(v1, v2, Map.of("name", "pen", "qty", 3));

    assertThat(read.getClass().getName()).isEqualTo("evolve.Article");
    assertThat(fields(read)).isEqualTo(Map.of("name", "pen", "qty", 3));
  }

  @Test
  void classDeleted_itsIdNoLongerRegistered_failsTheValue() throws Exception {
    Class<?> v1 = compile("Item", "public String name;", "");
    byte[] bytes = codec(v1).encode(instance(v1, Map.of("name", "pen")));

    assertThatThrownBy(() -> KryoValueCodec.builder().build().decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object: Encountered unregistered class ID: " + ID);
  }

  // ---- records (by component name)

  @Test
  void recordComponentAdded_newBuildReadsOld_newComponentGetsItsDefault() throws Exception {
    Class<?> v1 = compileRecord("Line", "String sku, int qty");
    Class<?> v2 = compileRecord("Line", "String sku, int qty, String note, long cents");

    Object read = roundTrip(v1, v2, Map.of("sku", "a-1", "qty", 2));

    assertThat(components(read))
        .containsEntry("sku", "a-1")
        .containsEntry("qty", 2)
        .containsEntry("note", null)
        .containsEntry("cents", 0L);
  }

  @Test
  void recordComponentRemoved_newBuildReadsOld_dropsItKeepsTheRest() throws Exception {
    Class<?> v1 = compileRecord("Line", "String sku, int qty, String note");
    Class<?> v2 = compileRecord("Line", "String sku, int qty");

    Object read = roundTrip(v1, v2, Map.of("sku", "a-1", "qty", 2, "note", "x"));

    assertThat(components(read)).isEqualTo(Map.of("sku", "a-1", "qty", 2));
  }

  @Test
  void recordComponentRenamed_keepsTheOthers_renamedOneGetsItsDefault() throws Exception {
    Class<?> v1 = compileRecord("Line", "String sku, int qty");
    Class<?> v2 = compileRecord("Line", "String sku, int quantity");

    Object read = roundTrip(v1, v2, Map.of("sku", "a-1", "qty", 2));

    assertThat(components(read)).isEqualTo(Map.of("sku", "a-1", "quantity", 0));
  }

  @Test
  void recordComponentsReordered_keepsEveryComponent() throws Exception {
    Class<?> v1 = compileRecord("Line", "String sku, int qty");
    Class<?> v2 = compileRecord("Line", "int qty, String sku");

    Object read = roundTrip(v1, v2, Map.of("sku", "a-1", "qty", 2));

    assertThat(components(read)).isEqualTo(Map.of("sku", "a-1", "qty", 2));
  }

  @Test
  void recordComponentTypeChanged_failsTheValueNamingTheComponent() throws Exception {
    Class<?> v1 = compileRecord("Line", "String sku, int qty");
    Class<?> v2 = compileRecord("Line", "String sku, String qty");
    byte[] bytes = codec(v1).encode(instance(v1, Map.of("sku", "a-1", "qty", 2)));

    assertThatThrownBy(() -> codec(v2).decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object (stored class evolve.Line):"
                + " component qty of evolve.Line is a java.lang.String, the bytes hold a"
                + " java.lang.Integer");
  }

  @Test
  void recordRenamed_underTheSameId_keepsEveryComponent() throws Exception {
    Class<?> v1 = compileRecord("Line", "String sku, int qty");
    Class<?> v2 = compileRecord("CartLine", "String sku, int qty");

    Object read = roundTrip(v1, v2, Map.of("sku", "a-1", "qty", 2));

    assertThat(read.getClass().getName()).isEqualTo("evolve.CartLine");
    assertThat(components(read)).isEqualTo(Map.of("sku", "a-1", "qty", 2));
  }

  @Test
  void recordValidationRefusesOldValue_failsWithoutQuotingIt() throws Exception {
    Class<?> v1 = compileRecord("Line", "String sku, int qty");
    Class<?> v2 =
        compile(
            "Line",
            "",
            "",
            "public record Line(String sku, int qty) { public Line {"
                + " if (qty < 5) throw new IllegalArgumentException(\"qty too small: \" + sku); } }");

    byte[] bytes = codec(v1).encode(instance(v1, Map.of("sku", "secret-sku", "qty", 2)));

    assertThatThrownBy(() -> codec(v2).decode(bytes, Object.class))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "cannot decode value as java.lang.Object (stored class evolve.Line):"
                + " the canonical constructor of evolve.Line threw"
                + " java.lang.IllegalArgumentException");
  }

  // ---- helpers

  private static KryoValueCodec codec(Class<?> type) {
    return KryoValueCodec.builder().register(type, ID).build();
  }

  /** Writes a value with the old class's codec and reads it with the new class's. */
  private static Object roundTrip(Class<?> writer, Class<?> reader, Map<String, Object> values)
      throws Exception {
    byte[] bytes = codec(writer).encode(instance(writer, values));
    Object read = codec(reader).decode(bytes, Object.class);
    assertThat(read).isInstanceOf(reader);
    return read;
  }

  private static Object instance(Class<?> type, Map<String, Object> values) throws Exception {
    if (type.isRecord()) {
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      Object[] arguments = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        arguments[i] = values.get(components[i].getName());
      }
      return type.getConstructor(types).newInstance(arguments);
    }
    Constructor<?> constructor = type.getConstructors()[0];
    Object instance =
        constructor.getParameterCount() == 0
            ? constructor.newInstance()
            : constructor.newInstance(values.get("name"));
    for (Map.Entry<String, Object> value : values.entrySet()) {
      type.getField(value.getKey()).set(instance, value.getValue());
    }
    return instance;
  }

  private static Map<String, Object> fields(Object instance) throws IllegalAccessException {
    Map<String, Object> fields = new java.util.HashMap<>();
    for (java.lang.reflect.Field field : instance.getClass().getFields()) {
      fields.put(field.getName(), field.get(instance));
    }
    return fields;
  }

  private static Map<String, Object> components(Object record) throws Exception {
    Map<String, Object> components = new java.util.HashMap<>();
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      components.put(component.getName(), component.getAccessor().invoke(record));
    }
    return components;
  }

  private Class<?> compile(String name, String members, String nested) throws IOException {
    return compile(name, members, nested, null);
  }

  private Class<?> compileRecord(String name, String components) throws IOException {
    return compile(name, "", "", "public record " + name + "(" + components + ") {}");
  }

  private int versions;

  /**
   * The JDK's compiler, called through reflection: the tests run inside this module, which does not
   * read java.compiler, and reflection on an exported public API needs no readability.
   */
  private static int javac(String... arguments) {
    try {
      Object compiler =
          Class.forName("javax.tools.ToolProvider").getMethod("getSystemJavaCompiler").invoke(null);
      Class<?> tool = Class.forName("javax.tools.Tool");
      return (int)
          tool.getMethod(
                  "run",
                  java.io.InputStream.class,
                  java.io.OutputStream.class,
                  java.io.OutputStream.class,
                  String[].class)
              .invoke(compiler, null, null, null, arguments);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot run the JDK's compiler", e);
    }
  }

  /** Compiles one class of package {@code evolve} into a class loader of its own. */
  private Class<?> compile(String name, String members, String nested, String wholeType)
      throws IOException {
    Path version = dir.resolve("v" + ++versions);
    Path source = version.resolve("src/evolve/" + name + ".java");
    Path classes = version.resolve("classes");
    Files.createDirectories(source.getParent());
    Files.createDirectories(classes);
    String type =
        wholeType != null
            ? wholeType
            : "public class " + name + " { " + members + " " + nested + " }";
    Files.writeString(source, "package evolve;\n" + type + "\n");
    List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
    arguments.add(source.toString());
    int exit = javac(arguments.toArray(new String[0]));
    assertThat(exit).as("javac exit code for %s", type).isZero();
    URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
    try {
      return loader.loadClass("evolve." + name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
