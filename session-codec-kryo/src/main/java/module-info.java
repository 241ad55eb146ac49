/** Object session values through Kryo, with class registration required. */
@SuppressWarnings("requires-automatic") // kryo5 5.6.0 ships no module-info, only a stable name.
module io.sessionstate.kryo {
  // Transitive: the public type implements ValueCodec and throws SessionDataException.
  requires transitive io.sessionstate;
  requires com.esotericsoftware.kryo.kryo5;
  requires static transitive org.jspecify;

  exports io.sessionstate.kryo;
}
