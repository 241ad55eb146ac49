/** The contract suite that every sessionstate store must pass. */
module io.sessionstate.tck {
  requires transitive io.sessionstate;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports io.sessionstate.tck;

  opens io.sessionstate.tck to
      org.junit.platform.commons;
}
