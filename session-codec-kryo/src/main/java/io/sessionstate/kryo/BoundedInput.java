package io.sessionstate.kryo;

import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.io.Input;

/**
 * An {@link Input} over one complete value that refuses a declared length larger than the bytes
 * left to read. Kryo allocates the array for a string or a primitive array from its declared length
 * before reading a single element, so without this check five bytes could ask for gigabytes. Every
 * element takes at least one byte, so the check never rejects what {@code Output} wrote.
 */
final class BoundedInput extends Input {

  BoundedInput(byte[] bytes) {
    super(bytes);
  }

  /** Fails unless {@code count} elements, of at least one byte each, can still follow. */
  void requireElements(long count) {
    if (count < 0 || count > limit - position) {
      throw new KryoException(
          "declared length " + count + " exceeds the " + (limit - position) + " bytes left");
    }
  }

  @Override
  public String readString() {
    requireUtf8CharsAvailable();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    requireUtf8CharsAvailable();
    return super.readStringBuilder();
  }

  /**
   * An ASCII string is read byte by byte and needs no check; a UTF-8 one declares its char count
   * first (as count + 1, with 0 for null), and that count sizes the char array.
   */
  private void requireUtf8CharsAvailable() {
    if (position == limit || (buffer[position] & 0x80) == 0) {
      return;
    }
    int start = position;
    int declared = readVarIntFlag(true);
    try {
      if (declared > 1) {
        requireElements(declared - 1L);
      } else if (declared < 0) {
        requireElements(declared);
      }
    } finally {
      position = start;
    }
  }

  @Override
  public byte[] readBytes(int length) {
    requireElements(length);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    requireElements(length);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    requireElements(length);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    requireElements(length);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    requireElements(length);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    requireElements(length);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    requireElements(length);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    requireElements(length);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    requireElements(length);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    requireElements(length);
    return super.readBooleans(length);
  }
}
