package io.sessionstate;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
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
    at = putInt(blob, at, entries.size());
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

  /**
   * Writes a key's length and UTF-8 bytes at {@code at}, an ASCII key, the usual one, without
   * encoding it; returns where the key ends.
   */
  static int putKey(byte[] out, int at, String key) {
    int length = key.length();
    for (int i = 0; i < length; i++) {
      if (key.charAt(i) >= 0x80) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        at = putShort(out, at, utf8.length);
        System.arraycopy(utf8, 0, out, at, utf8.length);
        return at + utf8.length;
      }
    }
    at = putShort(out, at, length);
    for (int i = 0; i < length; i++) {
      out[at + i] = (byte) key.charAt(i);
    }
    return at + length;
  }

  static int putShort(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 8);
    out[at + 1] = (byte) value;
    return at + 2;
  }

  static int putInt(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 24);
    out[at + 1] = (byte) (value >>> 16);
    out[at + 2] = (byte) (value >>> 8);
    out[at + 3] = (byte) value;
    return at + 4;
  }

  private static int putLong(byte[] out, int at, long value) {
    return putInt(out, putInt(out, at, (int) (value >>> 32)), (int) value);
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
    return new Indexed(id, createdAt, idleTimeoutMillis, indexEntries(in), entriesBytes, tagKeyId);
  }

  /** Encodes a map of entries alone, as {@link TempData} stores its values. */
  static byte[] encodeEntries(Map<String, byte[]> entries) {
    long size = 4;
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      size += entrySize(e.getKey().getBytes(StandardCharsets.UTF_8).length, e.getValue().length);
    }
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size));
    out.putInt(entries.size());
    entries.forEach(
        (k, v) -> {
          byte[] key = k.getBytes(StandardCharsets.UTF_8);
          out.putShort((short) key.length).put(key).putInt(v.length).put(v);
        });
    return out.array();
  }

  /** Decodes what {@link #encodeEntries} wrote. */
  static LinkedHashMap<String, byte[]> decodeEntries(byte[] bytes) {
    return indexEntries(ByteBuffer.wrap(bytes)).toMap();
  }

  /**
   * Checks the entries from {@code in}'s position to its limit and notes where each lies, in a
   * buffer whose offsets are {@code in}'s own; reads no value.
   */
  private static SessionEntries indexEntries(ByteBuffer in) {
    int count = readInt(in);
    // Each entry takes at least 6 bytes, so a count the remaining bytes cannot hold is a lie.
    if (count < 0 || count > in.remaining() / 6) {
      throw unreadable("bad entry count " + count + " for " + in.remaining() + " remaining bytes");
    }
    SessionEntries entries = new SessionEntries(in, count);
    CharsetDecoder utf8 = null; // made on the first key that is not plain ASCII
    for (int i = 0; i < count; i++) {
      int offset = in.position();
      int keyLength = readUnsignedShort(in);
      need(in, keyLength);
      int keyAt = in.position();
      String key = null;
      // An ASCII key's bytes are its characters, so they give its String hash undecoded.
      int hash = 0;
      int end = keyAt + keyLength;
      int at = keyAt;
      for (; at < end; at++) {
        byte b = in.get(at);
        if (b < 0) {
          break;
        }
        hash = 31 * hash + b;
      }
      if (at < end) {
        if (utf8 == null) {
          utf8 =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        key = decodeUtf8(utf8, in.slice(keyAt, keyLength));
        hash = key.hashCode();
      }
      in.position(end);
      int valueLength = readInt(in);
      if (valueLength < 0) {
        throw unreadable("negative value length " + valueLength);
      }
      need(in, valueLength);
      in.position(in.position() + valueLength);
      if (!entries.addStored(offset, hash, key)) {
        throw unreadable("duplicate key in blob");
      }
    }
    if (in.hasRemaining()) {
      throw unreadable(in.remaining() + " unexpected bytes after the last entry");
    }
    return entries;
  }

  private static String decodeUtf8(CharsetDecoder decoder, ByteBuffer bytes) {
    try {
      CharBuffer chars = decoder.reset().decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw unreadable("a key is not valid UTF-8");
    }
  }

  private static int readUnsignedByte(ByteBuffer in) {
    need(in, 1);
    return in.get() & 0xFF;
  }

  private static int readUnsignedShort(ByteBuffer in) {
    need(in, 2);
    return in.getShort() & 0xFFFF;
  }

  private static int readInt(ByteBuffer in) {
    need(in, 4);
    return in.getInt();
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

  private static void need(ByteBuffer in, int length) {
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

  private static SessionDataException unreadable(String reason) {
    return new SessionDataException("unreadable session data: " + reason);
  }
}
