/** An in-process sessionstate store over Caffeine, bounded in bytes. */
module io.sessionstate.memory {
  requires transitive io.sessionstate;
  // Not transitive: no Caffeine type appears in this module's API.
  requires com.github.benmanes.caffeine;
  requires static transitive org.jspecify;

  exports io.sessionstate.memory;
}
