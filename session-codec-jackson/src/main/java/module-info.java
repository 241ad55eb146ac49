/** Object session values as JSON through Jackson 3, with polymorphic types allow-listed. */
module io.sessionstate.jackson {
  // Transitive: the public type implements ValueCodec and throws SessionDataException, and its
  // builder hands the user Jackson's JsonMapper.Builder.
  requires transitive io.sessionstate;
  requires transitive tools.jackson.databind;
  requires static transitive org.jspecify;

  exports io.sessionstate.jackson;
}
