package io.sessionstate.jackson;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * The options of a {@link JacksonValueCodec.Builder}: each is checked when it is set, and an option
 * never set keeps its default. Not thread-safe.
 */
final class CodecOptions {

  private static final List<String> JDK_PACKAGES =
      List.of("java", "javax", "jdk", "sun", "com.sun");

  private static final String IDENTIFIER =
      "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*";
  private static final Pattern PACKAGE_NAME =
      Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*");
  private static final Pattern CLASS_NAME =
      Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*(\\$[\\p{javaJavaIdentifierPart}]+)*");

  private final Set<String> allowedClasses = new LinkedHashSet<>();
  private final Set<String> allowedPackages = new LinkedHashSet<>();
  private final List<Consumer<JsonMapper.Builder>> customizers = new ArrayList<>();
  private boolean jdkValueTypes = true;
  private int maxBytes = JacksonValueCodec.DEFAULT_MAX_BYTES;

  void allowPackage(String packageName) {
    requireNonNull(packageName, "packageName");
    if (!PACKAGE_NAME.matcher(packageName).matches()) {
      throw new IllegalArgumentException(
          "allowPackage must be a package name such as com.example.shop, without a trailing dot"
              + " or wildcard: "
              + packageName);
    }
    for (String jdk : JDK_PACKAGES) {
      if (packageName.equals(jdk) || packageName.startsWith(jdk + ".")) {
        throw new IllegalArgumentException(
            "allowPackage must not name a JDK package; allow the JDK classes you need one by"
                + " one with allowClass: "
                + packageName);
      }
    }
    allowedPackages.add(packageName);
  }

  void allowClass(Class<?> type) {
    requireNonNull(type, "type");
    if (type.isPrimitive() || type.isArray()) {
      throw new IllegalArgumentException(
          "allowClass takes a class, not a primitive or an array type (an array is allowed when"
              + " its component type is): "
              + type.getTypeName());
    }
    allowedClasses.add(type.getName());
  }

  void allowClass(String className) {
    requireNonNull(className, "className");
    if (!CLASS_NAME.matcher(className).matches()) {
      throw new IllegalArgumentException(
          "allowClass must be a binary class name such as com.example.Outer$Inner: " + className);
    }
    allowedClasses.add(className);
  }

  void jdkValueTypes(boolean allowed) {
    jdkValueTypes = allowed;
  }

  void maxBytes(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + bytes);
    }
    maxBytes = bytes;
  }

  void mapper(Consumer<JsonMapper.Builder> customizer) {
    customizers.add(requireNonNull(customizer, "customizer"));
  }

  /** The allow-list these options describe. */
  AllowListValidator validator() {
    return new AllowListValidator(
        jdkValueTypes, Set.copyOf(allowedClasses), prefixes(allowedPackages));
  }

  private static List<String> prefixes(Set<String> packages) {
    List<String> prefixes = new ArrayList<>();
    for (String name : packages) {
      prefixes.add(name + ".");
    }
    return List.copyOf(prefixes);
  }

  int maxBytes() {
    return maxBytes;
  }

  List<Consumer<JsonMapper.Builder>> customizers() {
    return List.copyOf(customizers);
  }
}
