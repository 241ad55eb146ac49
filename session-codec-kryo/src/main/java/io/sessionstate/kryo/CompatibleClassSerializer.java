package io.sessionstate.kryo;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.serializers.CompatibleFieldSerializer;

/**
 * Kryo's {@link CompatibleFieldSerializer}, the codec's default for classes: fields by name, each
 * value with its class, so that a class keeps its other fields when one is added or removed. Its
 * own reading sizes two arrays from the field count in the bytes before it reads a name; this
 * checks that count against the bytes left and the decode's budget first.
 *
 * <p>Not chunked: chunked encoding would let a removed field whose class is gone be skipped, but it
 * reads fields through Kryo's {@code InputChunked}, past the bounds that {@link BoundedInput}
 * keeps.
 */
final class CompatibleClassSerializer<T> extends CompatibleFieldSerializer<T> {

  CompatibleClassSerializer(Kryo kryo, Class<T> type) {
    super(kryo, type, config());
  }

  private static CompatibleFieldSerializerConfig config() {
    CompatibleFieldSerializerConfig config = new CompatibleFieldSerializerConfig();
    config.setReadUnknownFieldData(true);
    config.setChunkedEncoding(false);
    return config;
  }

  @Override
  @SuppressWarnings("unchecked") // Kryo's graph context is a raw ObjectMap
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    // The field names come first only the first time the class appears in a value.
    if (kryo.getGraphContext().get(this) == null) {
      BoundedInput bounded = BoundedInput.of(input);
      int start = bounded.position();
      int count = bounded.readVarInt(true);
      bounded.setPosition(start);
      bounded.requireElements(count);
      // A String[] and an array of fields, of one reference each.
      if (bounded.reserve(count, 16) < count) {
        throw new KryoException(
            "class " + type.getName() + ": declared " + count + " fields, beyond the budget");
      }
    }
    return super.read(kryo, input, type);
  }
}
