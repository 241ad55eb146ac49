package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated blobs never make the decoder throw anything but {@link SessionDataException},
 * nor allocate past the blob's size. Surefire runs this class alone under {@code -Xmx256m}, where a
 * decoder that trusted a length prefix would die with {@link OutOfMemoryError}.
 */
class BlobFormatFuzzTest {
  private static final KeyRing RING =
      KeyRing.builder().addKey("k1", "0123456789abcdef0123456789abcdef".getBytes()).build();
  private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAA";

  @Test
  void decode_20000RandomAndMutatedBlobs_onlySessionDataException() {
    assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(300L << 20);
    Random random = new Random(20_000);
    LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      byte[] v = new byte[random.nextInt(200)];
      random.nextBytes(v);
      values.put("key-" + i, v);
    }
    BlobFormat.Contents contents = new BlobFormat.Contents(new byte[16], 42, values);
    byte[] untagged = BlobFormat.encode(contents, null, KEY);
    byte[] tagged = BlobFormat.encode(contents, RING, KEY);
    int decoded = 0;
    int forgedTaggedAccepted = 0;
    for (int i = 0; i < 20_000; i++) {
      boolean withRing = i % 2 == 0;
      byte[] blob = mutate(random, withRing ? tagged : untagged, i);
      try {
        BlobFormat.decode(blob, withRing ? RING : null, KEY, 1 << 20);
        decoded++;
        if (withRing && !java.util.Arrays.equals(blob, tagged)) {
          forgedTaggedAccepted++;
        }
      } catch (SessionDataException expected) {
        // the one outcome allowed for a bad blob
      }
    }
    // Some mutations of untagged blobs (flips inside values) still decode, which shows the fuzz
    // reaches past the header; no changed tagged blob may ever decode.
    assertThat(decoded).isPositive();
    assertThat(forgedTaggedAccepted).isZero();
  }

  private static byte[] mutate(Random random, byte[] base, int round) {
    byte[] blob = base.clone();
    switch (round % 6) {
      case 0 -> {
        byte[] noise = new byte[random.nextInt(2048)];
        random.nextBytes(noise);
        if (noise.length > 0) {
          noise[0] = 1; // mostly past the revision check
        }
        return noise;
      }
      case 1 -> {
        for (int n = 1 + random.nextInt(8); n > 0; n--) {
          blob[random.nextInt(blob.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return blob;
      }
      case 2 -> {
        return java.util.Arrays.copyOf(blob, random.nextInt(blob.length));
      }
      case 3 -> {
        // A huge or negative length written at a random 4-byte-aligned place.
        int at = random.nextInt(Math.max(1, blob.length - 4));
        ByteBuffer.wrap(blob)
            .putInt(at, random.nextBoolean() ? Integer.MAX_VALUE : -random.nextInt());
        return blob;
      }
      case 4 -> {
        byte[] longer = java.util.Arrays.copyOf(blob, blob.length + 1 + random.nextInt(64));
        return longer;
      }
      default -> {
        byte[] entriesOnly = new byte[4 + random.nextInt(64)];
        random.nextBytes(entriesOnly);
        try {
          BlobEntries.decode(entriesOnly);
        } catch (SessionDataException expected) {
          // the TempData entry decoder shares the same bounds
        }
        return blob;
      }
    }
  }
}
