package io.sessionstate.servlet;

import io.sessionstate.SessionException;
import io.sessionstate.SessionListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The session events a manager reports, as lines ({@code created <id>}, {@code failed load
 * SessionStoreException}), for the scenarios that port ASP.NET Core's log assertions: the listener
 * is this library's record of what happened to a session.
 */
final class EventLog implements SessionListener {
  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

  @Override
  public void created(String sessionId) {
    events.add("created " + sessionId);
  }

  @Override
  public void committed(String sessionId) {
    events.add("committed " + sessionId);
  }

  @Override
  public void failed(String sessionId, String operation, SessionException error) {
    events.add("failed " + operation + " " + error.getClass().getSimpleName());
  }

  @Override
  public void invalidated(String sessionId) {
    events.add("invalidated " + sessionId);
  }

  /** The events so far, oldest first, forgetting them. */
  List<String> take() {
    List<String> taken = new ArrayList<>();
    for (String e = events.poll(); e != null; e = events.poll()) {
      taken.add(e);
    }
    return taken;
  }

  /**
   * Waits up to 10 seconds for at least {@code count} events (one that nobody waits for, such as a
   * touch's failure, comes after the response), then takes them all.
   */
  List<String> await(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.size() < count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return take();
  }
}
