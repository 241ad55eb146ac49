package io.sessionstate.bench;

/**
 * One implementation under test, doing what one HTTP request does to its session. Each cycle method
 * is one request; the argument picks which of the {@link #populate populated} sessions it belongs
 * to. Thread-safe: several benchmark threads call it at once, each on its own sessions.
 */
interface Cycle extends AutoCloseable {

  /**
   * Stores {@code count} sessions of {@link Workload#VALUES} values, as earlier requests would
   * have, for the cycles to find.
   */
  void populate(int count);

  /**
   * Loads session {@code session}, reads one value, sets another (to a value that differs from the
   * stored one, chosen by {@code tick}) and commits.
   *
   * @return what was read, for the benchmark's blackhole
   */
  Object modified(int session, int tick);

  /** Loads session {@code session}, reads one value and commits with nothing changed. */
  Object readOnly(int session);

  /** A first visit: no cookie, one value set, committed as a new session. */
  Object newSession(int tick);

  /** Removes everything this implementation wrote to its server: the benchmark's own namespace. */
  void deleteAll();

  @Override
  void close();
}
