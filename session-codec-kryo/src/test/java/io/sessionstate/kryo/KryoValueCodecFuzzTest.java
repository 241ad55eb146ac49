package io.sessionstate.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sessionstate.SessionDataException;
import io.sessionstate.kryo.TestValues.Cart;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the decoder random and mutated bytes, and nested-collection bombs that claim large counts
 * at every level, and measures what each decode allocates against {@code max(2 × input, 64 KiB)}.
 * Run by its own Surefire execution under {@code -Xmx256m}, where a declared length the decoder did
 * not bound shows up as an OutOfMemoryError.
 */
class KryoValueCodecFuzzTest {
  private static final long FLOOR = 64 * 1024;
  private static final long SEED = 0x5E55_1015_C0DECL;
  private static final int ITERATIONS = 20_000;

  /** Lengths that would make an unguarded decoder allocate gigabytes, as Kryo varints. */
  private static final byte[][] HUGE_VARINTS = {
    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07},
    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F},
    {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04},
    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
    {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07},
  };

  private final KryoValueCodec codec = TestValues.registered().build();
  private final Random random = new Random(SEED);

  @Test
  void decode_randomMutatedAndBombInputs_onlyReturnsOrThrowsSessionDataExceptionWithinBudget() {
    List<Object> corpus = TestValues.corpus();
    List<byte[]> encoded = new ArrayList<>();
    for (Object value : corpus) {
      encoded.add(codec.encode(value));
    }
    warmUp(encoded);
    List<String> unexpected = new ArrayList<>();
    List<String> overBudget = new ArrayList<>();
    int decoded = 0;
    int rejected = 0;
    int bombs = 0;
    double worstRatio = 0;
    long worstBombAllocation = 0;
    int worstBombSize = 0;

    // The same inputs twice: the first pass runs each failure path once, so that what the JVM
    // allocates the first time a call site runs (string concatenation bootstraps, class loading)
    // is not counted against a decode; the second pass is measured.
    for (int pass = 0; pass < 2; pass++) {
      random.setSeed(SEED);
      boolean measured = pass == 1;
      for (int i = 0; i < ITERATIONS; i++) {
        boolean bomb = random.nextInt(8) == 0;
        byte[] input = bomb ? bomb() : mutate(encoded.get(random.nextInt(encoded.size())));
        Class<?> type = random.nextInt(4) == 0 ? Cart.class : Object.class;
        long before = allocatedBytes();
        Object value = null;
        Throwable failure = null;
        try {
          value = codec.decode(input, type);
        } catch (Throwable e) {
          failure = e;
        }
        long allocated = allocatedBytes() - before;
        if (!measured) {
          continue;
        }
        long limit = Math.max(2L * input.length, FLOOR);
        if (allocated > limit) {
          overBudget.add(allocated + " > " + limit + " for " + describe(input, failure));
        }
        worstRatio = Math.max(worstRatio, (double) allocated / limit);
        if (bomb) {
          bombs++;
          if (allocated > worstBombAllocation) {
            worstBombAllocation = allocated;
            worstBombSize = input.length;
          }
        }
        if (failure == null) {
          decoded++;
          // Whatever the decoder produced must encode again, or fail the codec's way.
          reencode(value, input, unexpected);
        } else if (failure instanceof SessionDataException) {
          rejected++;
          checkBounded((SessionDataException) failure, input, unexpected);
        } else {
          unexpected.add(describe(input, failure));
        }
      }
    }

    System.out.printf(
        "KryoValueCodec fuzz: %d inputs (%d bombs), %d decoded, %d rejected; worst allocation"
            + " %.2f of max(2 x input, 64 KiB); largest bomb allocation %d bytes for %d input"
            + " bytes%n",
        ITERATIONS, bombs, decoded, rejected, worstRatio, worstBombAllocation, worstBombSize);
    assertThat(unexpected).as("inputs that escaped as something else").isEmpty();
    assertThat(overBudget).as("decodes that allocated more than max(2 x input, 64 KiB)").isEmpty();
    // Both outcomes must occur, or the mutations are not exercising the decoder.
    assertThat(decoded).isPositive();
    assertThat(rejected).isPositive();
    for (Object value : corpus) {
      assertThat(codec.decode(codec.encode(value), Object.class)).isEqualTo(value);
    }
  }

  @Test
  void decode_oneMegabyteOfNestedListsEachClaimingTheRest_allocatesLessThanTwiceItsSize() {
    // The shape that made the decoder allocate 215 MB: 45 lists, each declaring as many elements
    // as there are bytes left, around a byte[] that fills the value to 1 MB, then nothing.
    byte[] bytes = nestedBomb(1 << 20, 45, new int[] {ARRAY_LIST}, true);
    warmUp(List.of(codec.encode(TestValues.cart())));

    catchThrowable(() -> codec.decode(bytes, Object.class));
    long before = allocatedBytes();
    Throwable failure = catchThrowable(() -> codec.decode(bytes, Object.class));
    long allocated = allocatedBytes() - before;

    assertThat(failure)
        .isInstanceOf(SessionDataException.class)
        .hasMessageStartingWith(
            "cannot decode value as java.lang.Object (stored class java.util.ArrayList): ");
    System.out.printf(
        "KryoValueCodec 1 MB nested-list bomb: %d bytes allocated (limit %d)%n",
        allocated, 2L * bytes.length);
    assertThat(allocated).isLessThanOrEqualTo(2L * bytes.length);
  }

  /**
   * Large values the codec itself wrote: what decoding them allocates, against their size. The
   * returned objects are the value; the budget bounds only what is reserved ahead of them.
   */
  @Test
  void decode_largeRealValues_allocationReported() {
    KryoValueCodec big = KryoValueCodec.builder().maxValueSize(4 << 20).build();
    List<Object> nulls = new ArrayList<>(java.util.Collections.nCopies(500_000, null));
    List<Object> ints = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      ints.add(1000 + i);
    }
    Map<String, Object> values = new java.util.LinkedHashMap<>();
    values.put("byte[] 1 MB", new byte[1 << 20]);
    values.put("ASCII String 1 MB", "x".repeat(1 << 20));
    values.put("long[] of small values", new long[500_000]);
    values.put("ArrayList of 500k nulls", nulls);
    values.put("ArrayList of 200k Integers", ints);
    values.put("List.of 200k Integers", List.copyOf(ints));
    StringBuilder report = new StringBuilder();
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      byte[] bytes = big.encode(entry.getValue());
      big.decode(bytes, Object.class);
      long before = allocatedBytes();
      big.decode(bytes, Object.class);
      long allocated = allocatedBytes() - before;
      report.append(
          String.format(
              "%n  %-28s %9d bytes -> %10d allocated (%.1f x)",
              entry.getKey(), bytes.length, allocated, (double) allocated / bytes.length));
      if (entry.getKey().startsWith("byte[]")) {
        assertThat(allocated).as(entry.getKey()).isLessThanOrEqualTo(2L * bytes.length);
      }
    }
    System.out.println("KryoValueCodec decode of large real values:" + report);
  }

  private void warmUp(List<byte[]> encoded) {
    for (int i = 0; i < 2000; i++) {
      byte[] input = i % 2 == 0 ? encoded.get(i % encoded.size()) : bomb();
      try {
        codec.decode(input, Object.class);
      } catch (SessionDataException e) {
        // Expected for the bombs; the pass only loads classes and compiles code.
      }
      allocatedBytes();
    }
  }

  private static final int ARRAY_LIST = 14;
  private static final int LINKED_LIST = 15;
  private static final int HASH_MAP = 16;
  private static final int HASH_SET = 19;
  private static final int LIST_N = 40;
  private static final int UNMODIFIABLE_LIST = 49;
  private static final int UNMODIFIABLE_MAP = 53;
  private static final int[] BOMB_KINDS = {
    ARRAY_LIST, LINKED_LIST, HASH_MAP, HASH_SET, LIST_N, UNMODIFIABLE_LIST, UNMODIFIABLE_MAP
  };

  /** A nested-collection bomb of random size, depth and kinds. */
  private byte[] bomb() {
    int size =
        random.nextInt(4) == 0 ? 64 * 1024 + random.nextInt(1 << 20) : 16 + random.nextInt(4096);
    int depth = 1 + random.nextInt(60);
    int[] kinds =
        random.nextBoolean()
            ? new int[] {BOMB_KINDS[random.nextInt(BOMB_KINDS.length)]}
            : BOMB_KINDS;
    return nestedBomb(size, depth, kinds, random.nextBoolean());
  }

  /**
   * {@code depth} collections nested in each other, each declaring as many elements as there are
   * bytes left after its count (a count the per-collection check lets through), the first element
   * of each being the next; then, inside the innermost, a byte[] filling the value to {@code size}
   * if {@code filled}, else filler that no element reads. No collection gets its other elements.
   */
  private byte[] nestedBomb(int size, int depth, int[] kinds, boolean filled) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 16);
    int[] chosen = new int[depth];
    for (int level = 0; level < depth; level++) {
      chosen[level] = kinds[level % kinds.length];
      // Maps need a key before the nested value; nulls take one byte.
      int header = 1 + 5 + (isMap(chosen[level]) ? 1 : 0);
      int left = Math.max(1, size - out.size() - header);
      out.write(chosen[level] + 2);
      if (isMap(chosen[level])) {
        writeVarInt(out, left + 1);
        out.write(0); // a null key
      } else {
        // Kryo's collection count: a flagged varint (flag bit 7: nulls may occur) of count + 1.
        writeFlaggedVarInt(out, left + 1);
      }
    }
    int rest = Math.max(0, size - out.size() - 6);
    if (filled) {
      out.write(10 + 2); // byte[]
      writeVarInt(out, rest + 1);
      out.write(new byte[rest], 0, rest);
    } else {
      out.write(99 + 2); // an unregistered class id
      out.write(new byte[rest], 0, rest);
    }
    return out.toByteArray();
  }

  private static boolean isMap(int kind) {
    return kind == HASH_MAP || kind == UNMODIFIABLE_MAP;
  }

  private static void writeVarInt(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7F) != 0) {
      out.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  /** Kryo's varint with a flag in bit 7 of the first byte and 6 value bits beside it. */
  private static void writeFlaggedVarInt(ByteArrayOutputStream out, int value) {
    int first = 0x80 | (value & 0x3F);
    value >>>= 6;
    if (value == 0) {
      out.write(first);
      return;
    }
    out.write(first | 0x40);
    writeVarInt(out, value);
  }

  /** Bytes this thread has allocated so far, through com.sun.management.ThreadMXBean. */
  private static long allocatedBytes() {
    try {
      return (long) ALLOCATED_BYTES.invoke(THREAD_BEAN);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  // Reflection, because the tests run inside this module, which does not read java.management.
  private static final Object THREAD_BEAN;
  private static final Method ALLOCATED_BYTES;

  static {
    try {
      THREAD_BEAN =
          Class.forName("java.lang.management.ManagementFactory")
              .getMethod("getThreadMXBean")
              .invoke(null);
      ALLOCATED_BYTES =
          Class.forName("com.sun.management.ThreadMXBean")
              .getMethod("getCurrentThreadAllocatedBytes");
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private void reencode(Object value, byte[] input, List<String> unexpected) {
    try {
      codec.encode(value);
    } catch (SessionDataException e) {
      checkBounded(e, input, unexpected);
    } catch (Throwable e) {
      unexpected.add("re-encode: " + describe(input, e));
    }
  }

  /** Running out of memory or stack means a length or a depth was not bounded. */
  private static void checkBounded(SessionDataException e, byte[] input, List<String> unexpected) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError || t instanceof StackOverflowError) {
        unexpected.add("unbounded: " + describe(input, e));
      }
    }
  }

  private static String describe(byte[] input, Throwable e) {
    return e
        + " for "
        + input.length
        + " bytes "
        + HexFormat.of().formatHex(input, 0, Math.min(input.length, 64));
  }

  private byte[] mutate(byte[] original) {
    byte[] bytes = original.clone();
    switch (random.nextInt(8)) {
      case 0 -> {
        for (int flips = 1 + random.nextInt(3); flips > 0 && bytes.length > 0; flips--) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
      }
      case 1 -> {
        return Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
      case 2 -> {
        byte[] inserted = new byte[1 + random.nextInt(8)];
        random.nextBytes(inserted);
        return splice(bytes, random.nextInt(bytes.length + 1), 0, inserted);
      }
      case 3 -> {
        byte[] noise = new byte[random.nextInt(65)];
        random.nextBytes(noise);
        if (noise.length > 0 && random.nextBoolean()) {
          // A valid default class id first, so the noise reaches a serializer.
          noise[0] = (byte) (2 + random.nextInt(32));
        }
        return noise;
      }
      case 4 -> {
        byte[] varint = HUGE_VARINTS[random.nextInt(HUGE_VARINTS.length)];
        int at = random.nextInt(bytes.length + 1);
        int replaced = random.nextBoolean() ? 0 : Math.min(varint.length, bytes.length - at);
        return splice(bytes, at, replaced, varint);
      }
      case 5 -> {
        // A huge length straight after the value's own class id.
        byte[] varint = HUGE_VARINTS[random.nextInt(HUGE_VARINTS.length)];
        return splice(bytes, Math.min(1, bytes.length), 0, varint);
      }
      case 6 -> {
        if (bytes.length > 0) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
      }
      default -> {
        int from = random.nextInt(bytes.length + 1);
        int length = random.nextInt(bytes.length - from + 1);
        byte[] chunk = Arrays.copyOfRange(bytes, from, from + length);
        return random.nextBoolean()
            ? splice(bytes, from, 0, chunk)
            : splice(bytes, from, length, new byte[0]);
      }
    }
  }

  /** {@code bytes} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
  private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
    byte[] result = new byte[bytes.length - removed + inserted.length];
    System.arraycopy(bytes, 0, result, 0, at);
    System.arraycopy(inserted, 0, result, at, inserted.length);
    System.arraycopy(
        bytes, at + removed, result, at + inserted.length, bytes.length - at - removed);
    return result;
  }
}
