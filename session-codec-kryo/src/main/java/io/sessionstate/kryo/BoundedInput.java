package io.sessionstate.kryo;

import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.io.Input;

/**
 * An {@link Input} over one complete value that bounds what a declared length can make the decoder
 * allocate, across the whole decode.
 *
 * <p>Kryo sizes an array, a string or a collection's capacity from the length the bytes declare,
 * before it reads one element. Two rules keep that honest:
 *
 * <ul>
 *   <li>a declared length must fit in the bytes that are left: every element takes at least one
 *       byte (and a fixed-size element its size, a varint element its terminating byte), so these
 *       checks never reject what {@code Output} wrote;
 *   <li>capacity reserved ahead of the elements themselves (an {@code ArrayList}'s array, a hash
 *       table, an object array) draws from one {@linkplain #reserve budget} per decode of {@code
 *       max(value size / 2, 32 KiB)} bytes, which the byte arrays read draw down too. A count
 *       beyond what is left is not pre-allocated: the collection or array grows as its elements
 *       actually arrive. Without the shared budget, 50 nested lists in a 1 MB value could each
 *       reserve 8 MB before failing; with it, what a decode allocates beyond the objects it returns
 *       stays within half the value's size.
 * </ul>
 *
 * <p>Not thread-safe; one instance serves one decode.
 */
final class BoundedInput extends Input {

  /** The budget of a small value: enough that no realistic session value ever grows. */
  static final int MIN_BUDGET = 32 * 1024;

  /** Bytes that capacity reserved ahead of the elements may still take in this decode. */
  private long budget;

  BoundedInput(byte[] bytes) {
    super(bytes);
    this.budget = Math.max(bytes.length / 2, MIN_BUDGET);
  }

  /** Every input the codec's serializers read from is one of these. */
  static BoundedInput of(Input input) {
    if (input instanceof BoundedInput) {
      return (BoundedInput) input;
    }
    throw new IllegalStateException("KryoValueCodec decodes only through BoundedInput");
  }

  /**
   * Reserves room for up to {@code count} elements of {@code elementBytes} each and returns how
   * many it granted: {@code count} while the budget lasts, fewer (down to zero) after that.
   */
  int reserve(int count, int elementBytes) {
    long granted = Math.min(count, budget / elementBytes);
    budget -= granted * elementBytes;
    return (int) granted;
  }

  /** Fails unless {@code count} elements, of at least one byte each, can still follow. */
  void requireElements(long count) {
    requireBytes(count, 1);
  }

  private void requireBytes(long count, int bytesPerElement) {
    if (count < 0 || count > (limit - position) / bytesPerElement) {
      throw new KryoException(
          "declared length " + count + " exceeds the " + (limit - position) + " bytes left");
    }
  }

  /**
   * Fails unless {@code count} complete varints of at most {@code maxBytes} bytes each follow, the
   * way {@link #readVarInt} and {@link #readVarLong} read them. An {@code int[]} is then allocated
   * only for elements that are really there.
   */
  private void requireVarInts(int count, int maxBytes) {
    requireElements(count);
    int p = position;
    for (int i = 0; i < count; i++) {
      int length = 1;
      while (p < limit && (buffer[p] & 0x80) != 0 && length < maxBytes) {
        p++;
        length++;
      }
      if (p >= limit) {
        throw new KryoException(
            "declared length " + count + " exceeds the " + i + " elements left in the bytes");
      }
      p++;
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
    // Present bytes, so never refused; but what they take leaves less to reserve ahead.
    budget = Math.max(0, budget - length);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    requireBytes(length, Integer.BYTES);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    if (!getVariableLengthEncoding()) {
      return readInts(length);
    }
    requireVarInts(length, 5);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    requireBytes(length, Long.BYTES);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    if (!getVariableLengthEncoding()) {
      return readLongs(length);
    }
    requireVarInts(length, 9);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    requireBytes(length, Float.BYTES);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    requireBytes(length, Double.BYTES);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    requireBytes(length, Short.BYTES);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    requireBytes(length, Character.BYTES);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    requireElements(length);
    return super.readBooleans(length);
  }
}
