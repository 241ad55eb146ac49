package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.testing.SpringSecurityValues;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Feeds {@link JavaSerializationCodec#decode} random and mutated streams and nested-collection
 * bombs, and measures what each decode allocates. Surefire runs it alone under {@code -Xmx256m},
 * where a collection that trusted the size its bytes claim would die with OutOfMemoryError.
 *
 * <p>The goal is at most max(2 x input, 64 KiB) per decode. Java serialization cannot meet it for
 * every input: {@link java.io.ObjectInputStream} sizes its buffer for a string (or class name) from
 * the length the string's header claims, up to 65,535 characters, before it reads the characters,
 * and no filter is asked about strings. A tiny input whose last string claims that length makes one
 * decode allocate about 130-200 KiB before it fails at the end of the bytes. The test therefore
 * asserts the goal plus {@link #JDK_STRING_ALLOWANCE}, and prints how many decodes went over the
 * goal itself and by how much.
 */
class JavaSerializationCodecFuzzTest {
  private static final long SEED = 0x5E55_1011_7AL;
  private static final int ITERATIONS = 20_000;

  /** Sizes a bomb claims at every level: past every limit, at maxArrayLength, and just under. */
  private static final int[] CLAIMS = {
    Integer.MAX_VALUE, 1 << 30, 1_000_000, 100_000, 65_536, 8_192, 1_000,
  };

  /**
   * What one string header can make ObjectInputStream reserve beyond the goal: a StringBuilder of
   * 65,535 Latin-1 characters, its inflation to UTF-16, and the string.
   */
  private static final long JDK_STRING_ALLOWANCE = 256 << 10;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final JavaSerializationCodec codec =
      JavaSerializationCodec.builder().allowPackage("org.springframework.security").build();
  private final Random random = new Random(SEED);

  record Measured(byte[] input, long allocated) {
    long bound() {
      return Math.max(2L * input.length, 64 << 10);
    }
  }

  @Test
  void decode_randomMutatedAndBombInputs_onlySessionDataExceptionWithinTheAllocationBound() {
    assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(300L << 20);
    List<byte[]> corpus = new ArrayList<>();
    for (Object value : corpus()) {
      corpus.add(codec.encode(value));
    }
    List<byte[]> bombs = bombs();
    // Warm up, unmeasured, on the same kinds of input: class descriptors, the JIT and the JDK's
    // one-time set-up of each failure path (exception classes, string concatenation call sites)
    // settle, so the measurement below is what a decode costs in a running application.
    for (int i = 0; i < 300; i++) {
      for (byte[] bytes : corpus) {
        codec.decode(bytes, Object.class);
      }
    }
    for (int i = 0; i < 5_000; i++) {
      byte[] input =
          i % 10 == 0 ? bombs.get(i / 10 % bombs.size()) : mutate(corpus.get(i % corpus.size()));
      try {
        codec.decode(input, Object.class);
      } catch (SessionDataException expected) {
        // measured below
      }
    }

    // The case the allowance is for, measured on its own: a string claiming 65,535 bytes, then 10.
    byte[] longString = new byte[4 + 3 + 10];
    System.arraycopy(corpus.get(0), 0, longString, 0, 4);
    longString[4] = 0x74; // TC_STRING
    longString[5] = (byte) 0xFF;
    longString[6] = (byte) 0xFF;
    Arrays.fill(longString, 7, longString.length, (byte) 'a');
    long stringHeaderCost = 0;
    for (int i = 0; i < 3; i++) {
      long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
      try {
        codec.decode(longString, String.class);
      } catch (SessionDataException expected) {
        // the end of the bytes comes first
      }
      stringHeaderCost = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    }

    List<String> unexpected = new ArrayList<>();
    List<Measured> overGoal = new ArrayList<>();
    List<Measured> overBound = new ArrayList<>();
    Measured worst = null;
    int decoded = 0;
    int rejected = 0;
    long threadId = Thread.currentThread().getId();
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input =
          i % 10 == 0
              ? bombs.get(random.nextInt(bombs.size()))
              : mutate(corpus.get(random.nextInt(corpus.size())));
      long before = THREADS.getThreadAllocatedBytes(threadId);
      try {
        codec.decode(input, Object.class);
        decoded++;
      } catch (SessionDataException e) {
        rejected++;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
          if (t instanceof OutOfMemoryError || t instanceof StackOverflowError) {
            unexpected.add("unbounded: " + describe(input, e));
          }
        }
      } catch (Throwable e) {
        unexpected.add(describe(input, e));
      }
      Measured measured = new Measured(input, THREADS.getThreadAllocatedBytes(threadId) - before);
      if (worst == null
          || measured.allocated() * worst.bound() > worst.allocated() * measured.bound()) {
        worst = measured;
      }
      if (measured.allocated() > measured.bound()) {
        overGoal.add(measured);
      }
      if (measured.allocated() > measured.bound() + JDK_STRING_ALLOWANCE) {
        overBound.add(measured);
      }
    }

    System.out.printf(
        "JavaSerializationCodec fuzz: %d inputs, %d decoded, %d rejected; worst decode allocated"
            + " %d bytes for %d input bytes; %d of %d over max(2 x input, 64 KiB), none may pass"
            + " it by more than %d; a 17-byte input with one string header claiming 65,535 bytes"
            + " allocates %d%n",
        ITERATIONS,
        decoded,
        rejected,
        worst.allocated(),
        worst.input().length,
        overGoal.size(),
        ITERATIONS,
        JDK_STRING_ALLOWANCE,
        stringHeaderCost);
    assertThat(unexpected).as("inputs that escaped as something else").isEmpty();
    assertThat(overBound)
        .as("decodes that allocated more than max(2 x input, 64 KiB) + " + JDK_STRING_ALLOWANCE)
        .extracting(
            m ->
                m.allocated()
                    + " bytes for "
                    + HexFormat.of().formatHex(m.input(), 0, Math.min(64, m.input().length)))
        .isEmpty();
    // Both outcomes must occur, or the mutations are not reaching the decoder.
    assertThat(decoded).isPositive();
    assertThat(rejected).isPositive();
  }

  private static List<Object> corpus() {
    List<Object> nested = JavaSerializationCodecTest.nest(12);
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("cart", List.of("apple", "pear"));
    map.put("count", 3);
    map.put("when", Instant.ofEpochSecond(1_700_000_000L));
    return List.of(
        "a string value",
        42L,
        new BigDecimal("19.99"),
        new ArrayList<>(List.of("a", "b", "c")),
        new HashMap<>(Map.of("k", 1, "l", 2)),
        new TreeMap<>(Map.of("x", List.of(1, 2))),
        new HashSet<>(Set.of("s", "t")),
        map,
        nested,
        new int[] {1, 2, 3, 4},
        SpringSecurityValues.securityContext(),
        SpringSecurityValues.csrfToken());
  }

  /**
   * Nested lists, maps, sets and arrays with one element per level, written honestly and then made
   * to claim a large size at every level: every big-endian int 1 in the stream (the sizes and
   * capacities these collections write) becomes the claim.
   */
  private List<byte[]> bombs() {
    List<byte[]> bombs = new ArrayList<>();
    for (int depth : new int[] {1, 2, 4, 8, 16, 30}) {
      List<Object> lists = new ArrayList<>(List.of("x"));
      Map<Object, Object> maps = new HashMap<>(Map.of("k", "v"));
      Set<Object> sets = new HashSet<>(Set.of("x"));
      Object[] arrays = {"x"};
      for (int i = 1; i < depth; i++) {
        lists = new ArrayList<>(List.of(lists));
        maps = new HashMap<>(Map.of("k", maps));
        sets = new HashSet<>(Set.of(sets));
        arrays = new Object[] {arrays};
      }
      for (Object value : List.of(lists, maps, sets, arrays, List.of(lists), Map.of("k", maps))) {
        byte[] honest = codec.encode(value);
        for (int claim : CLAIMS) {
          bombs.add(replaceOnes(honest, claim));
        }
      }
    }
    return bombs;
  }

  private static byte[] replaceOnes(byte[] bytes, int claim) {
    byte[] forged = bytes.clone();
    for (int i = 0; i + 4 <= forged.length; i++) {
      if (forged[i] == 0 && forged[i + 1] == 0 && forged[i + 2] == 0 && forged[i + 3] == 1) {
        forged[i] = (byte) (claim >>> 24);
        forged[i + 1] = (byte) (claim >>> 16);
        forged[i + 2] = (byte) (claim >>> 8);
        forged[i + 3] = (byte) claim;
        i += 3;
      }
    }
    return forged;
  }

  private byte[] mutate(byte[] original) {
    byte[] bytes = original.clone();
    switch (random.nextInt(7)) {
      case 0 -> {
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
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
        // The stream header, then noise, so the noise reaches the type codes.
        byte[] noise = new byte[4 + random.nextInt(128)];
        random.nextBytes(noise);
        System.arraycopy(original, 0, noise, 0, 4);
        return noise;
      }
      case 4 -> {
        // A huge int over any four bytes: sizes, lengths, handles and counts alike.
        int claim = CLAIMS[random.nextInt(CLAIMS.length)];
        byte[] big = {
          (byte) (claim >>> 24), (byte) (claim >>> 16), (byte) (claim >>> 8), (byte) claim
        };
        int at = random.nextInt(Math.max(1, bytes.length - 3));
        return splice(bytes, at, Math.min(4, bytes.length - at), big);
      }
      case 5 -> {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
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

  private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
    byte[] result = new byte[bytes.length - removed + inserted.length];
    System.arraycopy(bytes, 0, result, 0, at);
    System.arraycopy(inserted, 0, result, at, inserted.length);
    System.arraycopy(
        bytes, at + removed, result, at + inserted.length, bytes.length - at - removed);
    return result;
  }

  private static String describe(byte[] input, Throwable e) {
    return e + " for " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 64));
  }
}
