package io.sessionstate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes the stored form of a session, format revisions 1 and 2, described in the
 * package documentation. Decoding trusts nothing: every length is checked against the bytes that
 * remain before anything is allocated, so a hostile blob costs at most its own size.
 *
 * <p>Revision 2 adds the session's own idle timeout. A session without one is still written as
 * revision 1, so nodes of the previous release keep reading every session that does not use the new
 * option while a deployment rolls.
 */
final class BlobFormat {
  /** The revision of a session that uses the manager's idle timeout. */
  static final byte REVISION = 1;

  /** The revision of a session with its own idle timeout. */
  static final byte REVISION_IDLE_TIMEOUT = 2;

  /** What revision 2 adds to the header: the idle timeout in milliseconds. */
  static final int IDLE_TIMEOUT_BYTES = 8;

  static final int FLAG_TAGGED = 1;
  static final int ID_BYTES = 16;
  static final int MAX_KEY_BYTES = 0xFFFF;

  /**
   * Bytes of a blob before its entries when it carries no tag: revision, flags, id, time, count.
   */
  static final int HEADER_BYTES = 1 + 1 + ID_BYTES + 8 + 4;

  /** The most that a tag adds: key id length, a 32-character key id, and the HMAC. */
  static final int MAX_TAG_BYTES = 1 + 32 + Hmac.TAG_BYTES;

  private BlobFormat() {}

  /**
   * The contents of a blob.
   *
   * @param idleTimeoutMillis the session's own idle timeout; 0 when it uses the manager's
   * @param tagKeyId when decoded, the id of the ring key whose tag verified; null for an untagged
   *     blob, or when integrity is off. Ignored by {@link #encode}, which always tags with the
   *     primary key.
   */
  record Contents(
      byte[] id,
      long createdAtMillis,
      long idleTimeoutMillis,
      LinkedHashMap<String, byte[]> values,
      @Nullable String tagKeyId) {

    Contents(byte[] id, long createdAtMillis, LinkedHashMap<String, byte[]> values) {
      this(id, createdAtMillis, 0, values, null);
    }

    Contents(
        byte[] id,
        long createdAtMillis,
        long idleTimeoutMillis,
        LinkedHashMap<String, byte[]> values) {
      this(id, createdAtMillis, idleTimeoutMillis, values, null);
    }
  }

  /** The header bytes of a session, with or without its own idle timeout. */
  static int headerBytes(boolean ownIdleTimeout) {
    return HEADER_BYTES + (ownIdleTimeout ? IDLE_TIMEOUT_BYTES : 0);
  }

  /** The encoded size of one entry. */
  static long entrySize(int keyBytes, int valueBytes) {
    return 2L + keyBytes + 4L + valueBytes;
  }

  /**
   * Encodes a session. With a {@code ring}, the blob is tagged by the ring's primary key; the tag
   * covers the store key too, so a blob copied under another session's key does not verify.
   */
  static byte[] encode(Contents contents, @Nullable KeyRing ring, String storeKey) {
    long size = headerBytes(contents.idleTimeoutMillis() > 0);
    for (Map.Entry<String, byte[]> e : contents.values().entrySet()) {
      size += entrySize(utf8Length(e.getKey()), e.getValue().length);
    }
    return encode(contents, size, ring, storeKey);
  }

  /**
   * Encodes a session whose untagged encoded size, {@code size}, the caller has kept count of, so
   * that no key is encoded twice.
   */
  static byte[] encode(Contents contents, long size, @Nullable KeyRing ring, String storeKey) {
    return encode(
        contents.id(),
        contents.createdAtMillis(),
        contents.idleTimeoutMillis(),
        SessionEntries.of(contents.values()),
        size,
        ring,
        storeKey);
  }

  /**
   * Encodes a session of {@code entries}, whose untagged encoded size is {@code size}: the entries
   * still as they were stored are copied from their blob, not encoded again.
   */
  static byte[] encode(
      byte[] id,
      long createdAtMillis,
      long idleTimeoutMillis,
      SessionEntries entries,
      long size,
      @Nullable KeyRing ring,
      String storeKey) {
    if (idleTimeoutMillis < 0) {
      throw new IllegalArgumentException("negative idle timeout " + idleTimeoutMillis);
    }
    boolean ownIdleTimeout = idleTimeoutMillis > 0;
    String keyId = ring == null ? null : ring.primaryKeyId();
    int tagBytes = keyId == null ? 0 : 1 + keyId.length() + Hmac.TAG_BYTES;
    if (size + tagBytes > Integer.MAX_VALUE - 16) {
      throw new SessionDataException("session too large to encode: " + size + " bytes");
    }
    byte[] blob = new byte[(int) size + tagBytes];
    // Written by index into the array: no buffer object per commit.
    blob[0] = ownIdleTimeout ? REVISION_IDLE_TIMEOUT : REVISION;
    blob[1] = (byte) (keyId == null ? 0 : FLAG_TAGGED);
    int bodyStart = 2 + tagBytes;
    System.arraycopy(id, 0, blob, bodyStart, ID_BYTES);
    int at = putLong(blob, bodyStart + ID_BYTES, createdAtMillis);
    if (ownIdleTimeout) {
      at = putLong(blob, at, idleTimeoutMillis);
    }
    at = BlobEntries.putInt(blob, at, entries.size());
    at = entries.writeTo(blob, at);
    if (at != blob.length) {
      throw new IllegalStateException("encoded size miscounted: " + (blob.length - at) + " left");
    }
    if (ring != null && keyId != null) {
      byte[] tag =
          ring.primaryBlobKey().tagKeyed(storeKey, blob, bodyStart, blob.length - bodyStart);
      // Key ids are base64url characters (KeyRing checks), so each is one byte.
      blob[2] = (byte) keyId.length();
      for (int i = 0; i < keyId.length(); i++) {
        blob[3 + i] = (byte) keyId.charAt(i);
      }
      System.arraycopy(tag, 0, blob, 3 + keyId.length(), Hmac.TAG_BYTES);
    }
    return blob;
  }

  private static int putLong(byte[] out, int at, long value) {
    return BlobEntries.putInt(out, BlobEntries.putInt(out, at, (int) (value >>> 32)), (int) value);
  }

  /** The length of {@code s} in UTF-8, as it is encoded: a lone surrogate counts as one byte. */
  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Decodes a blob.
   *
   * @param ring verifies the blob's tag; null when blob integrity is off (a tag is then skipped)
   * @param maxBlobBytes blobs longer than this are rejected before any byte is read
   * @throws SessionDataException if the blob is too long, of an unknown revision, untagged or
   *     wrongly tagged while integrity is on, truncated, or otherwise malformed
   */
  static Contents decode(byte[] blob, @Nullable KeyRing ring, String storeKey, long maxBlobBytes) {
    return decode(ByteBuffer.wrap(blob), ring, storeKey, maxBlobBytes);
  }

  /**
   * Decodes the blob between {@code blob}'s position and limit, which may be a read-only view of a
   * store's array: nothing is written to it, and nothing keeps it once this returns.
   *
   * @see #decode(byte[], KeyRing, String, long)
   */
  static Contents decode(
      ByteBuffer blob, @Nullable KeyRing ring, String storeKey, long maxBlobBytes) {
    Indexed indexed = index(blob, ring, storeKey, maxBlobBytes);
    return new Contents(
        indexed.id(),
        indexed.createdAtMillis(),
        indexed.idleTimeoutMillis(),
        indexed.entries().toMap(),
        indexed.tagKeyId());
  }

  /**
   * A blob whose tag verified and whose structure is sound, its entries not decoded: see {@link
   * SessionEntries}.
   *
   * @param entriesBytes the encoded size of the entries, their count included
   * @param tagKeyId as for {@link Contents}
   */
  record Indexed(
      byte[] id,
      long createdAtMillis,
      long idleTimeoutMillis,
      SessionEntries entries,
      int entriesBytes,
      @Nullable String tagKeyId) {}

  /**
   * Verifies the blob between {@code blob}'s position and limit, as {@link #decode} does, and
   * checks every entry's structure as decoding it would, but copies out only the header: the
   * entries read their keys and values in place when asked. The blob must never change afterwards,
   * as a store's blob never does (see {@link io.sessionstate.spi.VersionedSessionStore.Stored}).
   *
   * @throws SessionDataException as {@link #decode} does, for the same blobs
   */
  static Indexed index(
      ByteBuffer blob, @Nullable KeyRing ring, String storeKey, long maxBlobBytes) {
    ByteBuffer in = blob.slice();
    int length = in.remaining();
    if (length > maxBlobBytes) {
      throw unreadable("blob is " + length + " bytes, over the limit of " + maxBlobBytes);
    }
    if (length < 2) {
      throw unreadable("blob is truncated: " + length + " bytes");
    }
    int revision = in.get(0);
    if (revision != REVISION && revision != REVISION_IDLE_TIMEOUT) {
      throw unreadable("unknown blob format revision " + (in.get(0) & 0xFF));
    }
    int flags = in.get(1) & 0xFF;
    if ((flags & ~FLAG_TAGGED) != 0) {
      throw unreadable("unknown blob flags " + flags);
    }
    in.position(2);
    String tagKeyId = null;
    if ((flags & FLAG_TAGGED) != 0) {
      int keyIdLength = readUnsignedByte(in);
      if (keyIdLength < 1 || keyIdLength > 32) {
        throw unreadable("bad key id length " + keyIdLength);
      }
      need(in, keyIdLength);
      int keyIdAt = in.position();
      in.position(keyIdAt + keyIdLength);
      need(in, Hmac.TAG_BYTES);
      int tagAt = in.position();
      in.position(tagAt + Hmac.TAG_BYTES);
      if (ring != null) {
        // Nothing past the tag is read before it verifies.
        tagKeyId = ring.keyIdAt(in, keyIdAt, keyIdLength);
        Hmac key = tagKeyId == null ? null : ring.blobKey(tagKeyId);
        if (key == null) {
          throw unreadable("blob is signed by a key that is not in the key ring");
        }
        byte[] expected = key.tagKeyed(storeKey, in.duplicate());
        // Compared in place, in time that does not depend on where the tags differ.
        int diff = 0;
        for (int i = 0; i < Hmac.TAG_BYTES; i++) {
          diff |= expected[i] ^ in.get(tagAt + i);
        }
        if (diff != 0) {
          throw unreadable("blob integrity tag does not verify");
        }
      }
    } else if (ring != null) {
      throw unreadable("blob carries no integrity tag, and blob integrity is on");
    }
    byte[] id = readBytes(in, ID_BYTES);
    long createdAt = readLong(in);
    long idleTimeoutMillis = 0;
    if (revision == REVISION_IDLE_TIMEOUT) {
      idleTimeoutMillis = readLong(in);
      if (idleTimeoutMillis <= 0) {
        // Revision 1 is the form of "the manager's timeout"; a revision 2 blob always has its own.
        throw unreadable("bad idle timeout " + idleTimeoutMillis);
      }
    }
    int entriesBytes = in.remaining();
    return new Indexed(
        id, createdAt, idleTimeoutMillis, BlobEntries.index(in), entriesBytes, tagKeyId);
  }

  private static int readUnsignedByte(ByteBuffer in) {
    need(in, 1);
    return in.get() & 0xFF;
  }

  private static long readLong(ByteBuffer in) {
    need(in, 8);
    return in.getLong();
  }

  private static byte[] readBytes(ByteBuffer in, int length) {
    need(in, length);
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  static void need(ByteBuffer in, int length) {
    if (length > in.remaining()) {
      throw unreadable("blob is truncated: needs " + length + " more bytes, has " + in.remaining());
    }
  }

  /**
   * The entry count in the header of {@code blob}, read without verifying or decoding anything
   * else: for a meter, never for the session. -1 when the header is short or of an unknown
   * revision.
   */
  static int entryCount(byte[] blob) {
    if (blob.length < 2 || (blob[0] != REVISION && blob[0] != REVISION_IDLE_TIMEOUT)) {
      return -1;
    }
    int at = 2;
    if ((blob[1] & FLAG_TAGGED) != 0) {
      if (blob.length < 3) {
        return -1;
      }
      at = 3 + (blob[2] & 0xFF) + Hmac.TAG_BYTES;
    }
    at += ID_BYTES + 8 + (blob[0] == REVISION_IDLE_TIMEOUT ? IDLE_TIMEOUT_BYTES : 0);
    if (at + 4 > blob.length) {
      return -1;
    }
    int count =
        (blob[at] & 0xFF) << 24
            | (blob[at + 1] & 0xFF) << 16
            | (blob[at + 2] & 0xFF) << 8
            | (blob[at + 3] & 0xFF);
    return Math.max(count, -1);
  }

  static SessionDataException unreadable(String reason) {
    return new SessionDataException("unreadable session data: " + reason);
  }
}
