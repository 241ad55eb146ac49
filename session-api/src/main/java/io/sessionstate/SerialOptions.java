package io.sessionstate;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The options of a {@link JavaSerializationCodec.Builder}: each is checked when it is set, and an
 * option never set keeps its default. Not thread-safe.
 */
final class SerialOptions {

  /** Packages whose classes include known deserialization gadgets; allowed class by class only. */
  private static final List<String> JDK_PACKAGES =
      List.of("java", "javax", "jdk", "sun", "com.sun");

  private static final Pattern PACKAGE_NAME =
      Pattern.compile(
          "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  private static final Pattern CLASS_NAME =
      Pattern.compile(
          "\\p{javaJavaIdentifierStart}[\\p{javaJavaIdentifierPart}$]*(\\.\\p{javaJavaIdentifierStart}[\\p{javaJavaIdentifierPart}$]*)*");

  private final Set<String> allowedClasses = new LinkedHashSet<>();
  private final Set<String> allowedPackages = new LinkedHashSet<>();
  private boolean jdkValueTypes = true;
  private int maxDepth = JavaSerializationCodec.DEFAULT_MAX_DEPTH;
  private int maxReferences = JavaSerializationCodec.DEFAULT_MAX_REFERENCES;
  private int maxArrayLength = JavaSerializationCodec.DEFAULT_MAX_ARRAY_LENGTH;
  private int maxBytes = JavaSerializationCodec.DEFAULT_MAX_BYTES;
  private @Nullable ClassLoader classLoader;

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
            "allowPackage must not name a JDK package, which holds deserialization gadgets;"
                + " allow the JDK classes you need one by one with allowClass: "
                + packageName);
      }
    }
    allowedPackages.add(packageName);
  }

  void allowClass(Class<?> type) {
    requireNonNull(type, "type");
    if (type.isPrimitive() || type.isArray()) {
      throw new IllegalArgumentException(
          "allowClass takes a class, not a primitive or an array type (arrays of allowed classes"
              + " are allowed): "
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

  void maxDepth(int depth) {
    maxDepth = positive("maxDepth", depth);
  }

  void maxReferences(int references) {
    maxReferences = positive("maxReferences", references);
  }

  void maxArrayLength(int length) {
    maxArrayLength = positive("maxArrayLength", length);
  }

  void maxBytes(int bytes) {
    maxBytes = positive("maxBytes", bytes);
  }

  void classLoader(ClassLoader loader) {
    classLoader = requireNonNull(loader, "loader");
  }

  private static int positive(String option, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(option + " must be positive: " + value);
    }
    return value;
  }

  /** Checks that the options fit together: the allow-list is required. */
  void requireAllowList() {
    if (allowedClasses.isEmpty() && allowedPackages.isEmpty()) {
      throw new IllegalStateException(
          "JavaSerializationCodec needs an allow-list: call allowPackage(...) or allowClass(...)"
              + " for the packages and classes of the values you store, for example"
              + " allowPackage(\"org.springframework.security\")");
    }
  }

  SerialAllowList allowList() {
    return new SerialAllowList(jdkValueTypes, allowedClasses, allowedPackages);
  }

  SerialDecodeFilter.Limits limits() {
    return new SerialDecodeFilter.Limits(maxDepth, maxReferences, maxArrayLength, maxBytes);
  }

  @Nullable ClassLoader classLoader() {
    return classLoader;
  }
}
