package io.sessionstate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The classes a {@link JavaSerializationCodec} reads and writes: the built-in JDK value types
 * (unless turned off), the allowed classes by exact name and the allowed packages with their
 * subpackages. Immutable and thread-safe.
 */
final class SerialAllowList {

  /** Exact names of the built-in JDK types; see {@link JavaSerializationCodec}. */
  private static final Set<String> JDK_VALUE_TYPES =
      Set.of(
          "java.lang.String",
          "java.lang.Boolean",
          "java.lang.Byte",
          "java.lang.Character",
          "java.lang.Short",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Float",
          "java.lang.Double",
          "java.lang.Number",
          "java.lang.Enum",
          "java.lang.String$CaseInsensitiveComparator",
          "java.lang.Throwable",
          "java.lang.Exception",
          "java.lang.RuntimeException",
          "java.lang.StackTraceElement",
          "java.math.BigInteger",
          "java.math.BigDecimal",
          "java.util.ArrayList",
          "java.util.LinkedList",
          "java.util.ArrayDeque",
          "java.util.HashMap",
          "java.util.LinkedHashMap",
          "java.util.TreeMap",
          "java.util.HashSet",
          "java.util.LinkedHashSet",
          "java.util.TreeSet",
          "java.util.EnumMap",
          "java.util.EnumSet$SerializationProxy",
          "java.util.Date",
          "java.util.Locale",
          "java.util.UUID",
          "java.util.Arrays$ArrayList",
          "java.util.CollSer",
          "java.util.ImmutableCollections$List12",
          "java.util.ImmutableCollections$ListN",
          "java.util.ImmutableCollections$Set12",
          "java.util.ImmutableCollections$SetN",
          "java.util.ImmutableCollections$Map1",
          "java.util.ImmutableCollections$MapN",
          "java.util.Collections$UnmodifiableCollection",
          "java.util.Collections$UnmodifiableList",
          "java.util.Collections$UnmodifiableRandomAccessList",
          "java.util.Collections$UnmodifiableSet",
          "java.util.Collections$UnmodifiableSortedSet",
          "java.util.Collections$UnmodifiableNavigableSet",
          "java.util.Collections$UnmodifiableMap",
          "java.util.Collections$UnmodifiableSortedMap",
          "java.util.Collections$UnmodifiableNavigableMap",
          "java.util.Collections$EmptyList",
          "java.util.Collections$EmptySet",
          "java.util.Collections$EmptyMap",
          "java.util.Collections$SingletonList",
          "java.util.Collections$SingletonSet",
          "java.util.Collections$SingletonMap",
          "java.util.Collections$ReverseComparator");

  private static final List<String> JDK_VALUE_PACKAGES = List.of("java.time.");

  /**
   * Element types an array may always have: {@code ArrayList}, {@code HashMap} and their kind ask
   * the filter about {@code Object[]} and {@code Map.Entry[]} before allocating their storage.
   */
  private static final Set<String> ARRAY_ELEMENT_TYPES =
      Set.of("java.lang.Object", "java.util.Map$Entry");

  private final boolean jdkValueTypes;
  private final Set<String> allowedClasses;
  private final List<String> allowedPackagePrefixes;

  SerialAllowList(boolean jdkValueTypes, Set<String> allowedClasses, Set<String> allowedPackages) {
    this.jdkValueTypes = jdkValueTypes;
    this.allowedClasses = Set.copyOf(allowedClasses);
    List<String> prefixes = new ArrayList<>();
    for (String name : allowedPackages) {
      prefixes.add(name + ".");
    }
    this.allowedPackagePrefixes = List.copyOf(prefixes);
  }

  /** Whether a class or array name, as the stream spells it, is on the allow-list. */
  boolean allows(String name) {
    String element = name;
    boolean array = false;
    while (element.startsWith("[")) {
      array = true;
      element = element.substring(1);
    }
    if (array) {
      if (element.length() == 1) {
        return "ZBCSIJFD".indexOf(element.charAt(0)) >= 0;
      }
      if (!element.startsWith("L") || !element.endsWith(";")) {
        return false;
      }
      element = element.substring(1, element.length() - 1);
      if (ARRAY_ELEMENT_TYPES.contains(element)) {
        return true;
      }
    }
    if (allowedClasses.contains(element)) {
      return true;
    }
    for (String prefix : allowedPackagePrefixes) {
      if (element.startsWith(prefix)) {
        return true;
      }
    }
    if (jdkValueTypes) {
      if (JDK_VALUE_TYPES.contains(element)) {
        return true;
      }
      for (String prefix : JDK_VALUE_PACKAGES) {
        if (element.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code java.lang.String[]} for {@code [Ljava.lang.String;}, as a reader would write it. */
  private static String readable(String name) {
    int dimensions = 0;
    while (dimensions < name.length() && name.charAt(dimensions) == '[') {
      dimensions++;
    }
    if (dimensions == 0 || !name.endsWith(";") || name.charAt(dimensions) != 'L') {
      return name;
    }
    return name.substring(dimensions + 1, name.length() - 1) + "[]".repeat(dimensions);
  }

  static String notAllowed(String name) {
    return "class "
        + readable(name)
        + " is not in the allow-list (add it with JavaSerializationCodec.builder()"
        + ".allowClass(...) or .allowPackage(...))";
  }

  /** The allowed packages (with a trailing dot) and classes, sorted. */
  @Override
  public String toString() {
    List<String> allowed = new ArrayList<>(allowedPackagePrefixes);
    allowed.addAll(allowedClasses);
    Collections.sort(allowed);
    return allowed.toString();
  }
}
