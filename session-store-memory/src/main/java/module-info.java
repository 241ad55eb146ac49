/** An in-process sessionstate store over Caffeine, bounded in bytes. */
module io.sessionstate.memory {
  requires transitive io.sessionstate;
  // Transitive because Builder.ticker takes Caffeine's Ticker: a caller must read the module.
  requires transitive com.github.benmanes.caffeine;

  exports io.sessionstate.memory;
}
