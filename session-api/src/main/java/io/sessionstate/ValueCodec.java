package io.sessionstate;

/**
 * Turns object values into bytes and back, for {@link Session#setObject} and {@link
 * Session#getObject}. Implementations must be thread-safe and must report every failure as a {@link
 * SessionDataException}, never as their own exception types.
 *
 * <p>The bytes a codec decodes come from the session's own blob, which the session manager has
 * verified against the key ring when blob integrity is on; a codec that cannot be trusted with
 * hostile bytes (Kryo, Java serialization) should only be used with blob integrity on.
 */
public interface ValueCodec {

  /**
   * Encodes a non-null value.
   *
   * @param value the value to encode; never null
   * @return the encoded bytes, which {@link #decode} reads back
   * @throws SessionDataException if the value cannot be encoded, naming its class
   */
  byte[] encode(Object value);

  /**
   * Decodes bytes that {@link #encode} produced into an instance of {@code type}; never null.
   *
   * @param <T> the type to decode into
   * @param bytes bytes that {@link #encode} produced
   * @param type the class the value must be an instance of
   * @return the decoded value, never null
   * @throws SessionDataException if the bytes cannot be decoded or are not a {@code type}; its
   *     message names classes and never quotes the value, since {@link Session#getObject} passes it
   *     on and the Servlet bridge logs it
   */
  <T> T decode(byte[] bytes, Class<T> type);
}
