package io.sessionstate.jackson;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * Decides, by class name alone and before any class is loaded, whether a type id in the JSON may be
 * followed. Denies everything not on the list, whatever the base type.
 */
final class AllowListValidator extends PolymorphicTypeValidator.Base {

  /** The JDK value types, by exact name and by package; see {@link JacksonValueCodec}. */
  private static final Set<String> JDK_VALUE_TYPES =
      Set.of(
          "java.lang.Boolean",
          "java.lang.Byte",
          "java.lang.Character",
          "java.lang.Short",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Float",
          "java.lang.Double",
          "java.lang.String",
          "java.math.BigInteger",
          "java.math.BigDecimal",
          "java.util.ArrayList",
          "java.util.LinkedList",
          "java.util.HashMap",
          "java.util.LinkedHashMap",
          "java.util.TreeMap",
          "java.util.HashSet",
          "java.util.LinkedHashSet",
          "java.util.TreeSet",
          "java.util.Date",
          "java.util.Locale",
          "java.util.UUID",
          "java.util.Arrays$ArrayList",
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
          "java.util.Collections$UnmodifiableMap",
          "java.util.Collections$UnmodifiableSortedMap",
          "java.util.Collections$EmptyList",
          "java.util.Collections$EmptySet",
          "java.util.Collections$EmptyMap",
          "java.util.Collections$SingletonList",
          "java.util.Collections$SingletonSet",
          "java.util.Collections$SingletonMap");

  private static final List<String> JDK_VALUE_PACKAGES = List.of("java.time.");

  private static final long serialVersionUID = 1L;

  /** The reader attribute holding the binary name of the class one decode asks for. */
  static final Object REQUESTED_TYPE = AllowListValidator.class.getName() + ".requestedType";

  private final boolean jdkValueTypes;

  // Jackson's validators are Serializable; these hold Set.copyOf and List.copyOf results, which
  // serialize, though the interface types do not say so.
  @SuppressWarnings("serial")
  private final Set<String> classes;

  @SuppressWarnings("serial")
  private final List<String> packagePrefixes;

  /** A validator a module installed, asked about names the list does not have; or null. */
  private final @Nullable PolymorphicTypeValidator fallback;

  AllowListValidator(boolean jdkValueTypes, Set<String> classes, List<String> packagePrefixes) {
    this(jdkValueTypes, classes, packagePrefixes, null);
  }

  private AllowListValidator(
      boolean jdkValueTypes,
      Set<String> classes,
      List<String> packagePrefixes,
      @Nullable PolymorphicTypeValidator fallback) {
    this.jdkValueTypes = jdkValueTypes;
    this.classes = classes;
    this.packagePrefixes = packagePrefixes;
    this.fallback = fallback;
  }

  AllowListValidator withFallback(PolymorphicTypeValidator other) {
    return new AllowListValidator(jdkValueTypes, classes, packagePrefixes, other);
  }

  /** Never allows a base type wholesale: every type id is checked by name. */
  @Override
  public Validity validateBaseType(DatabindContext ctxt, JavaType baseType) {
    return Validity.INDETERMINATE;
  }

  @Override
  public Validity validateSubClassName(DatabindContext ctxt, JavaType baseType, String name) {
    if (allows(name) || name.equals(ctxt.getAttribute(REQUESTED_TYPE))) {
      return Validity.ALLOWED;
    }
    if (fallback != null
        && fallback.validateSubClassName(ctxt, baseType, name) == Validity.ALLOWED) {
      return Validity.ALLOWED;
    }
    return Validity.DENIED;
  }

  @Override
  public Validity validateSubType(DatabindContext ctxt, JavaType baseType, JavaType subType) {
    String name = subType.getRawClass().getName();
    if (allows(name) || name.equals(ctxt.getAttribute(REQUESTED_TYPE))) {
      return Validity.ALLOWED;
    }
    if (fallback != null && fallback.validateSubType(ctxt, baseType, subType) == Validity.ALLOWED) {
      return Validity.ALLOWED;
    }
    return Validity.DENIED;
  }

  /**
   * Whether a type id may name this class. An array is allowed when its innermost component type
   * is: a primitive, {@code Object} (each element then carries a type id of its own, checked in
   * turn) or an allowed class. Jackson names arrays by their binary name, {@code "[I"} or {@code
   * "[Ljava.lang.String;"}.
   */
  boolean allows(String name) {
    if (name.startsWith("[")) {
      int dimensions = 1;
      while (dimensions < name.length() && name.charAt(dimensions) == '[') {
        dimensions++;
      }
      String component = name.substring(dimensions);
      if (component.length() == 1) {
        return "ZBCSIJFD".contains(component);
      }
      if (component.length() < 3 || component.charAt(0) != 'L' || !component.endsWith(";")) {
        return false;
      }
      String element = component.substring(1, component.length() - 1);
      return element.equals("java.lang.Object") || allowsClass(element);
    }
    return allowsClass(name);
  }

  private boolean allowsClass(String name) {
    if (classes.contains(name)) {
      return true;
    }
    for (String prefix : packagePrefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    if (jdkValueTypes) {
      return isJdkValueType(name);
    }
    return false;
  }

  private static boolean isJdkValueType(String name) {
    if (JDK_VALUE_TYPES.contains(name)) {
      return true;
    }
    for (String prefix : JDK_VALUE_PACKAGES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
