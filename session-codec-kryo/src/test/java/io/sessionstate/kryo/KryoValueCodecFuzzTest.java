package io.sessionstate.kryo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.SessionDataException;
import io.sessionstate.kryo.TestValues.Cart;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the decoder random and mutated bytes. Run by its own Surefire execution under {@code
 * -Xmx256m}, where a declared length the decoder did not bound shows up as an OutOfMemoryError.
 */
class KryoValueCodecFuzzTest {
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
  void decode_randomAndMutatedInputs_onlyReturnsOrThrowsSessionDataException() {
    List<Object> corpus = TestValues.corpus();
    List<byte[]> encoded = new ArrayList<>();
    for (Object value : corpus) {
      encoded.add(codec.encode(value));
    }
    List<String> unexpected = new ArrayList<>();
    int decoded = 0;
    int rejected = 0;

    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input = mutate(encoded.get(random.nextInt(encoded.size())));
      Class<?> type = random.nextInt(4) == 0 ? Cart.class : Object.class;
      try {
        Object value = codec.decode(input, type);
        decoded++;
        // Whatever the decoder produced must encode again, or fail the codec's way.
        reencode(value, input, unexpected);
      } catch (SessionDataException e) {
        rejected++;
        checkBounded(e, input, unexpected);
      } catch (Throwable e) {
        unexpected.add(describe(input, e));
      }
    }

    assertThat(unexpected).as("inputs that escaped as something else").isEmpty();
    // Both outcomes must occur, or the mutations are not exercising the decoder.
    assertThat(decoded).isPositive();
    assertThat(rejected).isPositive();
    for (Object value : corpus) {
      assertThat(codec.decode(codec.encode(value), Object.class)).isEqualTo(value);
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
    return e + " for " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 64));
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
