/** The sessionstate API: sessions, the session manager, cookie protection and the store SPI. */
module io.sessionstate {
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports io.sessionstate;
  exports io.sessionstate.spi;
}
