package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

/** The stored blob format, revision 1: what it writes and everything it refuses to read. */
class BlobFormatTest {
  private static final KeyRing RING =
      KeyRing.builder().addKey("k1", "0123456789abcdef0123456789abcdef".getBytes()).build();
  private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAA";

  private static BlobFormat.Contents contents() {
    LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
    values.put("a", new byte[] {1, 2});
    values.put("ключ", new byte[0]);
    byte[] id = new byte[16];
    id[15] = 7;
    return new BlobFormat.Contents(id, 1234L, values);
  }

  @Test
  void roundTrip_untagged_layoutAsDocumented() {
    byte[] blob = BlobFormat.encode(contents(), null, KEY);
    ByteBuffer in = ByteBuffer.wrap(blob);
    assertThat(in.get()).isEqualTo((byte) 1); // revision
    assertThat(in.get()).isEqualTo((byte) 0); // flags
    in.position(2 + 16);
    assertThat(in.getLong()).isEqualTo(1234L);
    assertThat(in.getInt()).isEqualTo(2);
    assertThat(in.getShort()).isEqualTo((short) 1);
    assertThat(blob).hasSize(BlobFormat.HEADER_BYTES + (2 + 1 + 4 + 2) + (2 + 8 + 4));
    BlobFormat.Contents back = BlobFormat.decode(blob, null, KEY, 1000);
    assertThat(back.id()).isEqualTo(contents().id());
    assertThat(back.createdAtMillis()).isEqualTo(1234L);
    assertThat(back.values()).containsOnlyKeys("a", "ключ");
    assertThat(back.values().get("a")).isEqualTo(new byte[] {1, 2});
  }

  @Test
  void roundTrip_tagged() {
    byte[] blob = BlobFormat.encode(contents(), RING, KEY);
    assertThat(blob[1]).isEqualTo((byte) BlobFormat.FLAG_TAGGED);
    assertThat(blob[2]).isEqualTo((byte) 2);
    assertThat(BlobFormat.decode(blob, RING, KEY, 1000).values()).containsOnlyKeys("a", "ключ");
    // With integrity off a tagged blob still reads: its tag is skipped.
    assertThat(BlobFormat.decode(blob, null, KEY, 1000).values()).hasSize(2);
  }

  @Test
  void decode_taggedBlobUnderAnotherKey_rejected() {
    byte[] blob = BlobFormat.encode(contents(), RING, KEY);
    assertThatThrownBy(() -> BlobFormat.decode(blob, RING, "BBBBBBBBBBBBBBBBBBBBBB", 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: blob integrity tag does not verify");
  }

  @Test
  void decode_everyFlippedBitOfATaggedBlob_rejected() {
    byte[] blob = BlobFormat.encode(contents(), RING, KEY);
    for (int i = 0; i < blob.length * 8; i++) {
      byte[] copy = blob.clone();
      copy[i / 8] ^= (byte) (1 << (i % 8));
      int bit = i;
      assertThatThrownBy(() -> BlobFormat.decode(copy, RING, KEY, 1000))
          .as("bit %d", bit)
          .isInstanceOf(SessionDataException.class);
    }
  }

  @Test
  void decode_untaggedWhileIntegrityOn_rejected() {
    byte[] blob = BlobFormat.encode(contents(), null, KEY);
    assertThatThrownBy(() -> BlobFormat.decode(blob, RING, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "unreadable session data: blob carries no integrity tag, and blob integrity is on");
  }

  @Test
  void decode_unknownSigningKey_rejected() {
    byte[] blob = BlobFormat.encode(contents(), KeyRing.generate(), KEY);
    assertThatThrownBy(() -> BlobFormat.decode(blob, RING, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: blob is signed by a key that is not in the key ring");
  }

  @Test
  void decode_unknownRevisionOrFlags_rejected() {
    byte[] blob = BlobFormat.encode(contents(), null, KEY);
    blob[0] = 9;
    assertThatThrownBy(() -> BlobFormat.decode(blob, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: unknown blob format revision 9");
    blob[0] = 1;
    blob[1] = 4;
    assertThatThrownBy(() -> BlobFormat.decode(blob, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: unknown blob flags 4");
  }

  @Test
  void decode_overLimit_rejectedBeforeReading() {
    byte[] blob = new byte[1001]; // not even a valid revision: the size check comes first
    assertThatThrownBy(() -> BlobFormat.decode(blob, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: blob is 1001 bytes, over the limit of 1000");
  }

  @Test
  void decode_everyTruncation_rejected() {
    byte[] blob = BlobFormat.encode(contents(), null, KEY);
    for (int length = 0; length < blob.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(blob, length);
      assertThatThrownBy(() -> BlobFormat.decode(cut, null, KEY, 1000))
          .isInstanceOf(SessionDataException.class);
    }
  }

  @Test
  void decode_hugeCountOrLength_rejectedWithoutAllocating() {
    byte[] blob =
        BlobFormat.encode(
            new BlobFormat.Contents(new byte[16], 0, new LinkedHashMap<>()), null, KEY);
    ByteBuffer.wrap(blob).putInt(2 + 16 + 8, Integer.MAX_VALUE);
    assertThatThrownBy(() -> BlobFormat.decode(blob, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: bad entry count 2147483647 for 0 remaining bytes");

    LinkedHashMap<String, byte[]> one = new LinkedHashMap<>();
    one.put("k", new byte[1]);
    byte[] withValue = BlobFormat.encode(new BlobFormat.Contents(new byte[16], 0, one), null, KEY);
    ByteBuffer.wrap(withValue).putInt(BlobFormat.HEADER_BYTES + 2 + 1, Integer.MAX_VALUE);
    assertThatThrownBy(() -> BlobFormat.decode(withValue, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage(
            "unreadable session data: blob is truncated: needs 2147483647 more bytes, has 1");
    ByteBuffer.wrap(withValue).putInt(BlobFormat.HEADER_BYTES + 2 + 1, -1);
    assertThatThrownBy(() -> BlobFormat.decode(withValue, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: negative value length -1");
  }

  @Test
  void decode_keysOfEveryAsciiCharacterAndOfNonAscii_readBackAsWritten() {
    StringBuilder ascii = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      ascii.append(c);
    }
    LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
    values.put(ascii.toString(), new byte[] {1});
    values.put("caf\u00e9", new byte[] {2});
    values.put("\ud83d\ude00", new byte[] {3});
    values.put("", new byte[] {4});
    byte[] blob = BlobFormat.encode(new BlobFormat.Contents(new byte[16], 0, values), null, KEY);
    assertThat(BlobFormat.decode(blob, null, KEY, 1000).values()).containsExactlyEntriesOf(values);
  }

  @Test
  void decode_keyWithAByteOverAscii_decodedAsStrictUtf8() {
    LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
    values.put("ab", new byte[0]);
    byte[] blob = BlobFormat.encode(new BlobFormat.Contents(new byte[16], 0, values), null, KEY);
    blob[BlobFormat.HEADER_BYTES + 2 + 1] = (byte) 0x80; // a continuation byte with no lead
    assertThatThrownBy(() -> BlobFormat.decode(blob, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: a key is not valid UTF-8");
  }

  @Test
  void decode_invalidUtf8KeyDuplicateKeyOrTrailingBytes_rejected() {
    LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
    values.put("ab", new byte[0]);
    values.put("ac", new byte[0]);
    byte[] blob = BlobFormat.encode(new BlobFormat.Contents(new byte[16], 0, values), null, KEY);
    byte[] badUtf8 = blob.clone();
    badUtf8[BlobFormat.HEADER_BYTES + 2] = (byte) 0xC3; // a lead byte followed by 'b'
    assertThatThrownBy(() -> BlobFormat.decode(badUtf8, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: a key is not valid UTF-8");
    byte[] duplicate = blob.clone();
    duplicate[BlobFormat.HEADER_BYTES + 2 + 2 + 4 + 2 + 1] = 'b'; // "ac" becomes "ab"
    assertThatThrownBy(() -> BlobFormat.decode(duplicate, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: duplicate key in blob");
    byte[] trailing = java.util.Arrays.copyOf(blob, blob.length + 1);
    assertThatThrownBy(() -> BlobFormat.decode(trailing, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: 1 unexpected bytes after the last entry");
  }
}
