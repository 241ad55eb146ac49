package io.sessionstate;

import java.io.ObjectInputFilter;
import org.jspecify.annotations.Nullable;

/** The filter of one decode: the allow-list again, the limits and the array budget. */
final class SerialDecodeFilter implements ObjectInputFilter {
  /** The limits of a decode; {@code maxBytes} bounds an encode too. */
  record Limits(int maxDepth, int maxReferences, int maxArrayLength, int maxBytes) {}

  final SerialAllowList allowList;
  private final Limits limits;
  private final long arrayBudget;
  private final ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
  private long arrayBytes;
  @Nullable String rejection;

  SerialDecodeFilter(SerialAllowList allowList, Limits limits, int inputLength) {
    this.allowList = allowList;
    this.limits = limits;
    this.arrayBudget = Math.max(2L * inputLength, JavaSerializationCodec.ARRAY_BUDGET_FLOOR);
  }

  void reject(String reason) {
    if (rejection == null) {
      rejection = reason;
    }
  }

  @Override
  public Status checkInput(FilterInfo info) {
    String reason = check(info);
    if (reason != null) {
      reject(reason);
      return Status.REJECTED;
    }
    // A JVM-wide filter (jdk.serialFilter) keeps its say: it can refuse what the list allows.
    if (jvmWide != null && jvmWide.checkInput(info) == Status.REJECTED) {
      reject("the JVM-wide serial filter (jdk.serialFilter) rejects " + name(info.serialClass()));
      return Status.REJECTED;
    }
    return Status.ALLOWED;
  }

  private @Nullable String check(FilterInfo info) {
    if (info.depth() > limits.maxDepth()) {
      return "nesting depth " + info.depth() + " exceeds maxDepth (" + limits.maxDepth() + ")";
    }
    if (info.references() > limits.maxReferences()) {
      return "more than maxReferences (" + limits.maxReferences() + ") objects";
    }
    if (info.streamBytes() > limits.maxBytes()) {
      return "more than maxBytes (" + limits.maxBytes() + ") bytes read";
    }
    Class<?> serialClass = info.serialClass();
    if (serialClass == null) {
      return null;
    }
    if (!allowList.allows(serialClass.getName())) {
      return SerialAllowList.notAllowed(serialClass.getName());
    }
    long length = info.arrayLength();
    if (length >= 0) {
      if (length > limits.maxArrayLength()) {
        return "an array of "
            + serialClass.getComponentType().getTypeName()
            + " of length "
            + length
            + " exceeds maxArrayLength ("
            + limits.maxArrayLength()
            + ")";
      }
      arrayBytes += length * elementSize(serialClass.getComponentType());
      if (arrayBytes > arrayBudget) {
        return "its arrays claim more than "
            + arrayBudget
            + " bytes, the budget for a value of this size (at "
            + serialClass.getComponentType().getTypeName()
            + "[] of length "
            + length
            + ")";
      }
    }
    return null;
  }

  private static String name(Class<?> type) {
    return type == null ? "the stream's limits" : "class " + type.getName();
  }

  private static long elementSize(Class<?> component) {
    if (component == boolean.class || component == byte.class) {
      return 1;
    }
    if (component == char.class || component == short.class) {
      return 2;
    }
    if (component == long.class || component == double.class) {
      return 8;
    }
    // int, float, and references under compressed oops.
    return 4;
  }
}
