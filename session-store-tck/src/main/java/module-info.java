/**
 * The contract suite that every sessionstate store must pass, and the counting decorators and log
 * capture its tests share. JUnit Jupiter is not brought along: the suite runs on the one the
 * project's tests already use.
 */
module io.sessionstate.tck {
  requires transitive io.sessionstate;
  requires transitive java.sql;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires static transitive org.jspecify;

  exports io.sessionstate.tck;

  opens io.sessionstate.tck to
      org.junit.platform.commons;
}
