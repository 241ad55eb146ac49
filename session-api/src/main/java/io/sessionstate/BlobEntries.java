package io.sessionstate;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of the stored form ({@link BlobFormat}): each a key's UTF-8 length and bytes, then a
 * value's length and bytes, after their count. Writes them by index into an array, and checks them
 * as {@link SessionEntries} reads them in place; also the whole of what {@link TempData} stores.
 * Stateless.
 */
final class BlobEntries {
  private BlobEntries() {}

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

  /** Encodes a map of entries alone, as {@link TempData} stores its values. */
  static byte[] encode(Map<String, byte[]> entries) {
    long size = 4;
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      size +=
          BlobFormat.entrySize(
              e.getKey().getBytes(StandardCharsets.UTF_8).length, e.getValue().length);
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

  /** Decodes what {@link #encode} wrote. */
  static LinkedHashMap<String, byte[]> decode(byte[] bytes) {
    return index(ByteBuffer.wrap(bytes)).toMap();
  }

  /**
   * Checks the entries from {@code in}'s position to its limit and notes where each lies, in a
   * buffer whose offsets are {@code in}'s own; reads no value.
   */
  static SessionEntries index(ByteBuffer in) {
    int count = readInt(in);
    // Each entry takes at least 6 bytes, so a count the remaining bytes cannot hold is a lie.
    if (count < 0 || count > in.remaining() / 6) {
      throw BlobFormat.unreadable(
          "bad entry count " + count + " for " + in.remaining() + " remaining bytes");
    }
    SessionEntries entries = new SessionEntries(in, count);
    CharsetDecoder utf8 = null; // made on the first key that is not plain ASCII
    for (int i = 0; i < count; i++) {
      int offset = in.position();
      int keyLength = readUnsignedShort(in);
      BlobFormat.need(in, keyLength);
      int keyAt = in.position();
      String key = null;
      // An ASCII key's bytes are its characters, so they give its hash undecoded.
      int hash = KeyHash.start();
      int end = keyAt + keyLength;
      int at = keyAt;
      for (; at < end; at++) {
        byte b = in.get(at);
        if (b < 0) {
          break;
        }
        hash = KeyHash.step(hash, b);
      }
      hash = KeyHash.end(hash);
      if (at < end) {
        if (utf8 == null) {
          utf8 =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        key = decodeUtf8(utf8, in.slice(keyAt, keyLength));
        hash = KeyHash.of(key);
      }
      in.position(end);
      int valueLength = readInt(in);
      if (valueLength < 0) {
        throw BlobFormat.unreadable("negative value length " + valueLength);
      }
      BlobFormat.need(in, valueLength);
      in.position(in.position() + valueLength);
      if (!entries.addStored(offset, hash, key)) {
        throw BlobFormat.unreadable("duplicate key in blob");
      }
    }
    if (in.hasRemaining()) {
      throw BlobFormat.unreadable(in.remaining() + " unexpected bytes after the last entry");
    }
    return entries;
  }

  private static String decodeUtf8(CharsetDecoder decoder, ByteBuffer bytes) {
    try {
      CharBuffer chars = decoder.reset().decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw BlobFormat.unreadable("a key is not valid UTF-8");
    }
  }

  private static int readUnsignedShort(ByteBuffer in) {
    BlobFormat.need(in, 2);
    return in.getShort() & 0xFFFF;
  }

  private static int readInt(ByteBuffer in) {
    BlobFormat.need(in, 4);
    return in.getInt();
  }
}
