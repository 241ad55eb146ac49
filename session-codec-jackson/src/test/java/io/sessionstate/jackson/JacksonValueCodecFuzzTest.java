package io.sessionstate.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.SessionDataException;
import io.sessionstate.testing.SpringSecurityValues;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.security.jackson.SecurityJacksonModules;

/**
 * Feeds {@link JacksonValueCodec#decode} random and mutated JSON and nested-collection bombs, and
 * measures what each decode allocates. Surefire runs it alone under {@code -Xmx256m}. JSON has no
 * length prefixes, so a bomb here is deep or wide nesting written out in full, not a claimed count.
 *
 * <p>The goal is at most max(2 x input, 64 KiB) per decode. JSON decoding cannot meet it for dense
 * input, because it allocates for what the input really holds: each {@code 1,} (two bytes) of a
 * long array becomes a boxed number and a list slot, each {@code "123":0,} of a wide map a string
 * key, a map node and a symbol-table entry, up to about 25 times the input's size. And Spring
 * Security's own deserializers read through a JSON tree: one security context of about 1.1 KB costs
 * about 100 KB, up to 135 KB when mutated. So the test asserts a linear bound, max({@value #RATIO}
 * x input, {@value #FLOOR_KIB} KiB), and prints how many decodes went over the goal itself.
 */
class JacksonValueCodecFuzzTest {
  private static final long SEED = 0x5E55_1011_1AL;
  private static final int ITERATIONS = 20_000;

  static final int RATIO = 32;
  static final int FLOOR_KIB = 256;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  public record Line(String sku, int quantity, BigDecimal price) {}

  public record Basket(String owner, List<Line> lines, Map<String, Object> notes) {}

  private static final ClassLoader LOADER = JacksonValueCodecFuzzTest.class.getClassLoader();

  private final JacksonValueCodec codec =
      JacksonValueCodec.builder()
          .allowPackage("org.springframework.security")
          .allowClass(Basket.class)
          .allowClass(Line.class)
          .mapper(mapper -> mapper.addModules(SecurityJacksonModules.getModules(LOADER)))
          .build();
  private final Random random = new Random(SEED);

  record Measured(byte[] input, long allocated) {
    long goal() {
      return Math.max(2L * input.length, 64 << 10);
    }

    long bound() {
      return Math.max((long) RATIO * input.length, FLOOR_KIB << 10);
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
    Class<?>[] types = {Object.class, Basket.class, String.class, List.class, Long.class};
    // Warm up, unmeasured, on the same kinds of input, so the measurement is what a decode costs
    // in a running application: deserializers built and cached, the JIT done.
    for (int i = 0; i < 5_000; i++) {
      byte[] input =
          i % 10 == 0 ? bombs.get(i / 10 % bombs.size()) : mutate(corpus.get(i % corpus.size()));
      try {
        codec.decode(input, types[i % types.length]);
      } catch (SessionDataException expected) {
        // measured below
      }
    }

    List<String> unexpected = new ArrayList<>();
    List<Measured> overBound = new ArrayList<>();
    List<Measured> overGoal = new ArrayList<>();
    Measured worst = null;
    int decoded = 0;
    int rejected = 0;
    long threadId = Thread.currentThread().getId();
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input =
          i % 10 == 0
              ? bombs.get(random.nextInt(bombs.size()))
              : mutate(corpus.get(random.nextInt(corpus.size())));
      Class<?> type = types[random.nextInt(types.length)];
      long before = THREADS.getThreadAllocatedBytes(threadId);
      try {
        codec.decode(input, type);
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
          || measured.allocated() * worst.goal() > worst.allocated() * measured.goal()) {
        worst = measured;
      }
      if (measured.allocated() > measured.goal()) {
        overGoal.add(measured);
      }
      if (measured.allocated() > measured.bound()) {
        overBound.add(measured);
      }
    }

    System.out.printf(
        "JacksonValueCodec fuzz: %d inputs, %d decoded, %d rejected; worst decode allocated %d"
            + " bytes for %d input bytes; %d of %d over max(2 x input, 64 KiB)%n",
        ITERATIONS,
        decoded,
        rejected,
        worst.allocated(),
        worst.input().length,
        overGoal.size(),
        ITERATIONS);
    assertThat(unexpected).as("inputs that escaped as something else").isEmpty();
    assertThat(overBound)
        .as("decodes that allocated more than max(" + RATIO + " x input, " + FLOOR_KIB + " KiB)")
        .extracting(m -> m.allocated() + " bytes for " + m.input().length + " input bytes")
        .isEmpty();
    assertThat(decoded).isPositive();
    assertThat(rejected).isPositive();
  }

  private static List<Object> corpus() {
    Map<String, Object> notes = new LinkedHashMap<>();
    notes.put("gift", true);
    notes.put("tags", List.of("a", "b"));
    notes.put("count", 3);
    return List.of(
        "a string value",
        42L,
        new BigDecimal("19.99"),
        new ArrayList<>(List.of("a", "b", "c")),
        new HashMap<>(Map.of("k", 1, "l", 2)),
        Instant.ofEpochSecond(1_700_000_000L),
        new Basket(
            "alice",
            List.of(new Line("apple", 2, new BigDecimal("0.50")), new Line("pear", 1, null)),
            notes),
        SpringSecurityValues.securityContext(),
        SpringSecurityValues.csrfToken());
  }

  /** Deep and wide nesting of typed lists and maps, written out in full. */
  private static List<byte[]> bombs() {
    List<byte[]> bombs = new ArrayList<>();
    String list = "[\"java.util.ArrayList\",[";
    String map = "{\"@class\":\"java.util.HashMap\",\"k\":";
    for (int depth : new int[] {10, 50, 99, 100, 101, 500, 5_000}) {
      bombs.add(bytes(list.repeat(depth) + "]]".repeat(depth)));
      bombs.add(bytes(map.repeat(depth) + "1" + "}".repeat(depth)));
      bombs.add(bytes("[".repeat(depth) + "]".repeat(depth)));
    }
    for (int width : new int[] {100, 10_000, 100_000}) {
      String empty = "[\"java.util.ArrayList\",[]]";
      bombs.add(bytes(list + String.join(",", java.util.Collections.nCopies(width, empty)) + "]]"));
      bombs.add(bytes(list + "1,".repeat(width) + "1]]"));
      bombs.add(bytes(list + "\"\",".repeat(width) + "\"\"]]"));
      StringBuilder keys = new StringBuilder("{\"@class\":\"java.util.HashMap\"");
      for (int i = 0; i < width; i++) {
        keys.append(",\"").append(i).append("\":0");
      }
      bombs.add(bytes(keys + "}"));
    }
    return bombs;
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] mutate(byte[] original) {
    byte[] bytes = original.clone();
    switch (random.nextInt(6)) {
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
        // JSON's own punctuation, where it does the most damage.
        byte[] inserted = {(byte) "[]{}\",:0e-".charAt(random.nextInt(10))};
        return splice(bytes, random.nextInt(bytes.length + 1), 0, inserted);
      }
      case 3 -> {
        byte[] noise = new byte[1 + random.nextInt(128)];
        random.nextBytes(noise);
        return noise;
      }
      case 4 -> {
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
