package io.sessionstate.kryo;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.Registration;
import com.esotericsoftware.kryo.kryo5.Serializer;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.objenesis.strategy.StdInstantiatorStrategy;
import com.esotericsoftware.kryo.kryo5.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.kryo5.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.kryo5.serializers.MapSerializer;
import com.esotericsoftware.kryo.kryo5.util.DefaultClassResolver;
import com.esotericsoftware.kryo.kryo5.util.DefaultInstantiatorStrategy;
import java.util.Map;
import java.util.UUID;

/**
 * One Kryo instance configured the codec's way. Not thread-safe: the codec hands each instance to
 * one thread at a time through its pool.
 */
final class CodecKryo extends Kryo {

  /**
   * Deep enough for any realistic session value; shallow enough that a malicious nesting fails with
   * a Kryo exception long before the thread stack runs out. Kryo counts it on write too, so a value
   * that encodes always decodes.
   */
  static final int MAX_DEPTH = 100;

  /** The message of the last unregistered-class failure, compared by identity on failure. */
  private String unregisteredMessage;

  private Class<?> unregisteredClass;

  CodecKryo(Map<Class<?>, Integer> registrations) {
    super(new NameRefusingClassResolver(), null);
    setRegistrationRequired(true);
    // References would let a value share or cycle objects, at the cost of a map per operation; a
    // cycle instead fails at encode, on the depth limit.
    setReferences(false);
    setMaxDepth(MAX_DEPTH);
    // Generics would let collection and map serializers drop the class id of each element, and with
    // it the one byte per element that CountCheckingSerializer relies on.
    setOptimizedGenerics(false);
    // Registered classes without a no-arg constructor still decode, instead of failing only when
    // a session is read back.
    setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    // Kryo ships this serializer but does not make it a default; the field serializer it would use
    // instead needs deep reflection into java.base.
    addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
    registrations.forEach(this::registerChecked);
  }

  private void registerChecked(Class<?> type, int id) {
    try {
      register(type, id);
    } catch (RuntimeException e) {
      // Kryo builds the serializer here, and fails here when it cannot reach a class's fields or
      // constructor; the builder reports it instead of the first encode.
      throw new IllegalArgumentException(
          "type " + type.getTypeName() + " cannot be registered with KryoValueCodec: " + e, e);
    }
  }

  /**
   * Kryo's collection serializer writes the elements of a one-class collection without a
   * per-element marker, so a list of nulls or of field-less records takes a few bytes whatever its
   * length, and no check on the declared length could tell a real one from a forged one. Routing
   * every element through {@link AnyValueSerializer} gives each its class id or null marker: at
   * least one byte, so the length can be checked against the bytes left. Maps and arrays already
   * write each element with at least one byte.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Serializer getDefaultSerializer(Class type) {
    Serializer serializer = super.getDefaultSerializer(type);
    if (serializer instanceof CollectionSerializer) {
      ((CollectionSerializer) serializer)
          .setElementClass(Object.class, AnyValueSerializer.INSTANCE);
      ((CollectionSerializer) serializer).setElementsCanBeNull(true);
      return new CountCheckingSerializer<>(serializer, true);
    }
    if (serializer instanceof MapSerializer || type.isArray()) {
      return new CountCheckingSerializer<>(serializer, false);
    }
    return serializer;
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected String unregisteredClassMessage(Class type) {
    unregisteredClass = type;
    unregisteredMessage = super.unregisteredClassMessage(type);
    return unregisteredMessage;
  }

  /**
   * The class whose missing registration caused {@code failure}, or null if something else did. The
   * message identity ties the failure to this instance's own lookup, not to an exception some
   * serializer made up with similar text.
   */
  Class<?> unregisteredClassIn(Throwable failure) {
    if (unregisteredMessage == null) {
      return null;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException && t.getMessage() == unregisteredMessage) {
        return unregisteredClass;
      }
    }
    return null;
  }

  /** Writes any value with its class id, or the null marker, as a collection element. */
  private static final class AnyValueSerializer extends Serializer<Object> {
    static final AnyValueSerializer INSTANCE = new AnyValueSerializer();

    private AnyValueSerializer() {
      super(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Object value) {
      kryo.writeClassAndObject(output, value);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
      return kryo.readClassAndObject(input);
    }
  }

  /**
   * With registration required, the codec never writes a class by name, so a name in the input is
   * corrupt data; refusing it here keeps the decoder from even loading a class the bytes name.
   */
  private static final class NameRefusingClassResolver extends DefaultClassResolver {
    @Override
    protected Registration readName(Input input) {
      throw new KryoException("class names are not accepted, only registered class ids");
    }
  }
}
