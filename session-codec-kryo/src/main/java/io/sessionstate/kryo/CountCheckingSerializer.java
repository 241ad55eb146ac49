package io.sessionstate.kryo;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.Serializer;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;

/**
 * Wraps a Kryo array, collection or map serializer, whose wire form starts with the element count
 * plus one, and refuses a count larger than the bytes left before the wrapped serializer sizes its
 * array, {@code ArrayList} or {@code HashMap} table from it, or loops that many times. The codec
 * configures these serializers so that every element takes at least one byte (see {@link
 * CodecKryo#getDefaultSerializer}); that is what makes the check exact, never rejecting what the
 * same serializer wrote.
 */
final class CountCheckingSerializer<T> extends Serializer<T> {
  private final Serializer<T> delegate;
  private final boolean flaggedCount;

  /**
   * @param flaggedCount whether the count is Kryo's flagged varint (collections, whose top bit of
   *     the first byte says whether nulls occur) rather than a plain varint (arrays, maps)
   */
  CountCheckingSerializer(Serializer<T> delegate, boolean flaggedCount) {
    super(delegate.getAcceptsNull(), delegate.isImmutable());
    this.delegate = delegate;
    this.flaggedCount = flaggedCount;
  }

  @Override
  public void write(Kryo kryo, Output output, T object) {
    delegate.write(kryo, output, object);
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    // Decoding always reads through a BoundedInput; any other Input is a programming error that
    // the cast reports.
    BoundedInput bounded = (BoundedInput) input;
    int start = bounded.position();
    int countPlusOne = flaggedCount ? bounded.readVarIntFlag(true) : bounded.readVarInt(true);
    bounded.requireElements(countPlusOne == 0 ? 0 : countPlusOne - 1L);
    bounded.setPosition(start);
    return delegate.read(kryo, input, type);
  }

  @Override
  public T copy(Kryo kryo, T original) {
    return delegate.copy(kryo, original);
  }
}
