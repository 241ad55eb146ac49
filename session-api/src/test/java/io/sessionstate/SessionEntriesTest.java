package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Entries read in place from a stored blob behave as the {@link LinkedHashMap} they replace: same
 * values, same order, same encoded bytes, and the same blobs refused.
 */
class SessionEntriesTest {
  private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAA";

  private static byte[] blobOf(Map<String, byte[]> values) {
    return BlobFormat.encode(
        new BlobFormat.Contents(new byte[16], 5L, new LinkedHashMap<>(values)), null, KEY);
  }

  private static SessionEntries indexed(byte[] blob) {
    return BlobFormat.index(ByteBuffer.wrap(blob).asReadOnlyBuffer(), null, KEY, 1 << 20).entries();
  }

  private static byte[] reencoded(SessionEntries entries, int size) {
    return BlobFormat.encode(new byte[16], 5L, 0, entries, size, null, KEY);
  }

  private static int encodedSize(Map<String, byte[]> values) {
    int size = BlobFormat.HEADER_BYTES;
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      size += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + e.getValue().length;
    }
    return size;
  }

  /**
   * Random sets, removals and reads, on few keys (a scan) and on many (the table), against a
   * LinkedHashMap: after each round the entries give the map's keys in its order and encode to the
   * bytes the map encodes to.
   */
  @Test
  void randomOperations_matchALinkedHashMap_inValuesOrderAndBytes() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      int keys = round % 2 == 0 ? 6 : 60;
      LinkedHashMap<String, byte[]> model = new LinkedHashMap<>();
      for (int i = 0; i < random.nextInt(keys); i++) {
        model.put(key(random, keys), value(random));
      }
      SessionEntries entries = indexed(blobOf(model));
      for (int op = 0; op < 80; op++) {
        String k = key(random, keys);
        switch (random.nextInt(3)) {
          case 0 -> {
            byte[] v = value(random);
            byte[] old = model.put(k, v);
            assertThat(entries.put(k, v)).isEqualTo(old == null ? -1 : old.length);
          }
          case 1 -> {
            byte[] old = model.remove(k);
            long removed = entries.remove(k);
            assertThat(removed)
                .isEqualTo(
                    old == null
                        ? -1
                        : 2 + k.getBytes(StandardCharsets.UTF_8).length + 4 + old.length);
          }
          default -> assertThat(entries.get(k)).isEqualTo(model.get(k));
        }
      }
      assertThat(entries.keys()).containsExactlyElementsOf(model.keySet());
      assertThat(entries.size()).isEqualTo(model.size());
      byte[] again = reencoded(entries, encodedSize(model));
      assertThat(again).isEqualTo(blobOf(model));
      assertThat(indexed(again).toMap()).containsExactlyEntriesOf(model);
    }
  }

  @Test
  void aKeySetAgainAfterItsRemoval_movesToTheEnd() {
    LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
    values.put("a", new byte[] {1});
    values.put("b", new byte[] {2});
    values.put("c", new byte[] {3});
    SessionEntries entries = indexed(blobOf(values));
    entries.remove("a");
    entries.put("a", new byte[] {4});
    entries.put("b", new byte[] {5});
    assertThat(entries.keys()).containsExactly("b", "c", "a");
  }

  @Test
  void duplicateKeys_areRefused_amongFewAndManyEntries() {
    for (int count : new int[] {3, 40}) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        keys.add("key" + i);
      }
      keys.add("key1");
      ByteBuffer blob = ByteBuffer.allocate(4096);
      blob.put((byte) 1).put((byte) 0).put(new byte[16]).putLong(0).putInt(keys.size());
      for (String k : keys) {
        blob.putShort((short) k.length()).put(k.getBytes(StandardCharsets.US_ASCII)).putInt(0);
      }
      blob.flip();
      assertThatThrownBy(() -> BlobFormat.index(blob, null, KEY, 1 << 20))
          .isInstanceOf(SessionDataException.class)
          .hasMessageContaining("duplicate key in blob");
    }
  }

  @Test
  void anAsciiKeyAndALookalikeThatIsNot_areDifferentKeys() {
    LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
    values.put("cafe", new byte[] {1});
    values.put("café", new byte[] {2});
    SessionEntries entries = indexed(blobOf(values));
    assertThat(entries.get("cafe")).containsExactly(1);
    assertThat(entries.get("café")).containsExactly(2);
    assertThat(entries.get("caf")).isNull();
  }

  /**
   * Keys an application could take from its visitors, all with one {@link String#hashCode()} ("Aa"
   * and "BB" share it, so every string of them does): the entries' own hash tells them apart, so a
   * lookup does not walk them all, and each is found, stored and read back.
   */
  @Test
  void keysSharingAStringHashCode_getDistinctHashes_andAreAllFound() {
    List<String> keys = new ArrayList<>();
    for (int bits = 0; bits < 1024; bits++) {
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        key.append((bits >> i & 1) == 0 ? "Aa" : "BB");
      }
      keys.add(key.toString());
    }
    assertThat(keys.stream().mapToInt(String::hashCode).distinct().count()).isEqualTo(1);
    assertThat(keys.stream().mapToInt(KeyHash::of).distinct().count()).isGreaterThan(1000);

    LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      values.put(keys.get(i), new byte[] {(byte) i});
    }
    SessionEntries entries = indexed(blobOf(values));
    for (int i = 0; i < keys.size(); i++) {
      assertThat(entries.get(keys.get(i))).containsExactly((byte) i);
    }
    entries.put("AaAaAaAaAaAaAaAaAaAb", new byte[] {7});
    assertThat(entries.get("AaAaAaAaAaAaAaAaAaAb")).containsExactly(7);
    assertThat(entries.get("AaAaAaAaAaAaAaAaAaAc")).isNull();
  }

  private static String key(Random random, int keys) {
    int n = random.nextInt(keys);
    return n % 7 == 0 ? "ключ" + n : "k" + n;
  }

  private static byte[] value(Random random) {
    byte[] v = new byte[random.nextInt(12)];
    random.nextBytes(v);
    return v;
  }
}
