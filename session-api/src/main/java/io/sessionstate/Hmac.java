package io.sessionstate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** One HMAC-SHA256 key with a {@link Mac} per thread, since {@code Mac} is not thread-safe. */
final class Hmac {
  static final int TAG_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final ThreadLocal<Mac> mac;

  /** A thread's buffers for {@link #tagAscii}, so a cookie's tag costs no allocation. */
  private final ThreadLocal<byte[][]> buffers =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[1024], new byte[TAG_BYTES]});

  Hmac(byte[] secret) {
    SecretKeySpec key = new SecretKeySpec(secret, ALGORITHM);
    this.mac = ThreadLocal.withInitial(() -> newMac(key));
    newMac(key); // fail at construction, not on first use, if the JDK lacks the algorithm
  }

  /**
   * The tag of the characters {@code s[from, to)}, each below 128 and taken as one byte, in a
   * buffer of this thread that the next call on the thread overwrites.
   */
  byte[] tagAscii(String s, int from, int to) {
    Mac m = mac.get();
    byte[][] b = buffers.get();
    byte[] scratch = b[0];
    int i = from;
    while (i < to) {
      int n = Math.min(scratch.length, to - i);
      for (int k = 0; k < n; k++) {
        scratch[k] = (byte) s.charAt(i + k);
      }
      m.update(scratch, 0, n);
      i += n;
    }
    try {
      m.doFinal(b[1], 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException("HmacSHA256 gave a tag longer than " + TAG_BYTES, e);
    }
    return b[1];
  }

  /**
   * The tag of {@code data[offset, offset + length)}, in a buffer of this thread that the next
   * {@code tagAscii}, {@code tagInPlace} or {@code tagKeyed} on the thread overwrites.
   */
  byte[] tagInPlace(byte[] data, int offset, int length) {
    Mac m = mac.get();
    byte[] tag = buffers.get()[1];
    m.update(data, offset, length);
    try {
      m.doFinal(tag, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException("HmacSHA256 gave a tag longer than " + TAG_BYTES, e);
    }
    return tag;
  }

  /**
   * The tag of {@code storeKey} in UTF-8, a zero byte, and {@code data}'s remaining bytes (which it
   * consumes), in a buffer of this thread that the next call of this kind on the thread overwrites.
   * A read-only buffer is fed to the {@code Mac} through this thread's scratch array, not the fresh
   * array per call that {@code Mac.update(ByteBuffer)} makes for a buffer without an accessible
   * one.
   */
  byte[] tagKeyed(String storeKey, ByteBuffer data) {
    Mac m = mac.get();
    byte[][] b = buffers.get();
    updateKey(m, b[0], storeKey);
    byte[] scratch = b[0];
    while (data.hasRemaining()) {
      int n = Math.min(scratch.length, data.remaining());
      data.get(scratch, 0, n);
      m.update(scratch, 0, n);
    }
    return finish(m, b[1]);
  }

  /** As {@link #tagKeyed(String, ByteBuffer)}, of {@code data[offset, offset + length)}. */
  byte[] tagKeyed(String storeKey, byte[] data, int offset, int length) {
    Mac m = mac.get();
    byte[][] b = buffers.get();
    updateKey(m, b[0], storeKey);
    m.update(data, offset, length);
    return finish(m, b[1]);
  }

  /** Feeds the store key and its terminating zero byte, which no key contains. */
  private static void updateKey(Mac m, byte[] scratch, String storeKey) {
    int length = storeKey.length();
    if (length < scratch.length) {
      int i = 0;
      for (; i < length; i++) {
        char c = storeKey.charAt(i);
        if (c >= 0x80) {
          break;
        }
        scratch[i] = (byte) c;
      }
      if (i == length) {
        scratch[length] = 0;
        m.update(scratch, 0, length + 1);
        return;
      }
    }
    m.update(storeKey.getBytes(StandardCharsets.UTF_8));
    m.update((byte) 0);
  }

  private static byte[] finish(Mac m, byte[] tag) {
    try {
      m.doFinal(tag, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException("HmacSHA256 gave a tag longer than " + TAG_BYTES, e);
    }
    return tag;
  }

  /** The tag of the concatenation of {@code parts}. */
  byte[] tag(byte[]... parts) {
    Mac m = mac.get();
    for (byte[] part : parts) {
      m.update(part);
    }
    return m.doFinal();
  }

  /** The tag of {@code data[offset, offset + length)}. */
  byte[] tag(byte[] data, int offset, int length) {
    Mac m = mac.get();
    m.update(data, offset, length);
    return m.doFinal();
  }

  /** The tag of {@code prefix} followed by {@code data[offset, offset + length)}. */
  byte[] tag(byte[] prefix, byte[] data, int offset, int length) {
    Mac m = mac.get();
    m.update(prefix);
    m.update(data, offset, length);
    return m.doFinal();
  }

  /** The tag of {@code prefix} followed by {@code data}'s remaining bytes, which it consumes. */
  byte[] tag(byte[] prefix, ByteBuffer data) {
    Mac m = mac.get();
    m.update(prefix);
    m.update(data);
    return m.doFinal();
  }

  /** Compares in time that does not depend on where the tags differ. */
  static boolean equal(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac m = Mac.getInstance(ALGORITHM);
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }
}
