package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

/**
 * Format revision 2 carries a session's own idle timeout; a session without one is still written,
 * and read, as revision 1. Which ring key verified a blob is reported, so a blob signed by an older
 * key can be signed again under the primary.
 */
class BlobFormatIdleTimeoutTest {
  private static final byte[] K1 = "0123456789abcdef0123456789abcdef".getBytes();
  private static final byte[] K2 = "fedcba9876543210fedcba9876543210".getBytes();
  private static final KeyRing RING = KeyRing.builder().addKey("k1", K1).build();
  private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAA";

  private static LinkedHashMap<String, byte[]> values() {
    LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
    values.put("a", new byte[] {1, 2});
    return values;
  }

  private static byte[] id() {
    byte[] id = new byte[16];
    id[0] = 9;
    return id;
  }

  @Test
  void ownIdleTimeout_writtenAsRevision2_andReadBack() {
    byte[] blob =
        BlobFormat.encode(
            new BlobFormat.Contents(id(), 1234L, 8 * 3_600_000L, values()), null, KEY);
    ByteBuffer in = ByteBuffer.wrap(blob);
    assertThat(in.get()).isEqualTo((byte) 2);
    assertThat(in.get()).isEqualTo((byte) 0);
    in.position(2 + 16);
    assertThat(in.getLong()).isEqualTo(1234L);
    assertThat(in.getLong()).isEqualTo(8 * 3_600_000L);
    assertThat(in.getInt()).isEqualTo(1);
    assertThat(blob).hasSize(BlobFormat.headerBytes(true) + 2 + 1 + 4 + 2);

    BlobFormat.Contents back = BlobFormat.decode(blob, null, KEY, 1000);
    assertThat(back.idleTimeoutMillis()).isEqualTo(8 * 3_600_000L);
    assertThat(back.createdAtMillis()).isEqualTo(1234L);
    assertThat(back.id()).isEqualTo(id());
    assertThat(back.values()).containsOnlyKeys("a");
  }

  @Test
  void noOwnIdleTimeout_stillWrittenAsRevision1_readableByThePreviousRelease() {
    byte[] blob = BlobFormat.encode(new BlobFormat.Contents(id(), 1234L, 0, values()), RING, KEY);
    assertThat(blob[0]).isEqualTo((byte) 1);
    assertThat(blob).hasSize(BlobFormat.HEADER_BYTES + BlobFormat.MAX_TAG_BYTES - 30 + 9);
    BlobFormat.Contents back = BlobFormat.decode(blob, RING, KEY, 1000);
    assertThat(back.idleTimeoutMillis()).isZero();
    assertThat(back.values()).containsOnlyKeys("a");
  }

  @Test
  void revision1BlobOfThePreviousRelease_stillRead() {
    // Revision 1 as the previous release wrote it, byte by byte.
    ByteBuffer old = ByteBuffer.allocate(BlobFormat.HEADER_BYTES + 2 + 1 + 4 + 2);
    old.put((byte) 1).put((byte) 0).put(id()).putLong(99L).putInt(1);
    old.putShort((short) 1).put((byte) 'a').putInt(2).put(new byte[] {1, 2});
    BlobFormat.Contents back = BlobFormat.decode(old.array(), null, KEY, 1000);
    assertThat(back.createdAtMillis()).isEqualTo(99L);
    assertThat(back.idleTimeoutMillis()).isZero();
    assertThat(back.values().get("a")).isEqualTo(new byte[] {1, 2});
  }

  @Test
  void revision2_tagged_coversTheIdleTimeout() {
    byte[] blob =
        BlobFormat.encode(new BlobFormat.Contents(id(), 1L, 3_600_000L, values()), RING, KEY);
    assertThat(BlobFormat.decode(blob, RING, KEY, 1000).idleTimeoutMillis()).isEqualTo(3_600_000L);
    byte[] longer = blob.clone();
    int timeoutAt = 2 + 1 + 2 + 32 + 16 + 8;
    longer[timeoutAt + 7] ^= 1;
    assertThatThrownBy(() -> BlobFormat.decode(longer, RING, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: blob integrity tag does not verify");
  }

  @Test
  void revision2_idleTimeoutNotPositive_rejected() {
    ByteBuffer bad = ByteBuffer.allocate(BlobFormat.headerBytes(true));
    bad.put((byte) 2).put((byte) 0).put(id()).putLong(1L).putLong(0L).putInt(0);
    assertThatThrownBy(() -> BlobFormat.decode(bad.array(), null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: bad idle timeout 0");
  }

  @Test
  void revision3_rejected() {
    byte[] blob = BlobFormat.encode(new BlobFormat.Contents(id(), 1L, values()), null, KEY);
    blob[0] = 3;
    assertThatThrownBy(() -> BlobFormat.decode(blob, null, KEY, 1000))
        .isInstanceOf(SessionDataException.class)
        .hasMessage("unreadable session data: unknown blob format revision 3");
  }

  @Test
  void decode_reportsWhichRingKeyVerified() {
    byte[] underK1 = BlobFormat.encode(new BlobFormat.Contents(id(), 1L, values()), RING, KEY);
    KeyRing rotated = KeyRing.builder().addKey("k2", K2).addKey("k1", K1).build();
    assertThat(BlobFormat.decode(underK1, rotated, KEY, 1000).tagKeyId()).isEqualTo("k1");
    byte[] underK2 = BlobFormat.encode(new BlobFormat.Contents(id(), 1L, values()), rotated, KEY);
    assertThat(BlobFormat.decode(underK2, rotated, KEY, 1000).tagKeyId()).isEqualTo("k2");
    assertThat(BlobFormat.decode(underK2, null, KEY, 1000).tagKeyId()).isNull();
  }

  @Test
  void cookie_verify_saysWhetherThePrimaryKeySignedIt() {
    CookieProtector old = new CookieProtector(RING);
    CookieProtector rotated =
        new CookieProtector(KeyRing.builder().addKey("k2", K2).addKey("k1", K1).build());
    String key = old.newSessionKey();
    CookieProtector.Verified underOld = rotated.verify(old.protect(key)).orElseThrow();
    assertThat(underOld.sessionKey()).isEqualTo(key);
    assertThat(underOld.underPrimaryKey()).isFalse();
    assertThat(underOld.toString()).doesNotContain(key);
    assertThat(rotated.verify(rotated.protect(key)).orElseThrow().underPrimaryKey()).isTrue();
  }
}
