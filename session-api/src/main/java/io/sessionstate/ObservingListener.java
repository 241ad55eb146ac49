package io.sessionstate;

import io.sessionstate.SessionObserver.Event;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's listener when an observer is set: tells the observer of each session event, by kind
 * alone (no session id, no value key), then passes the event on to the application's listener.
 * Thread-safe if both are.
 */
final class ObservingListener implements SessionListener {
  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

  private final SessionListener listener;
  private final SessionObserver observer;
  private final String storeName;

  private ObservingListener(SessionListener listener, SessionObserver observer, String storeName) {
    this.listener = listener;
    this.observer = observer;
    this.storeName = storeName;
  }

  /** {@code listener}, or, with an observer, a listener that tells it too. */
  static SessionListener of(SessionListener listener, SessionObserver observer, String storeName) {
    return observer == SessionObserver.NONE
        ? listener
        : new ObservingListener(listener, observer, storeName);
  }

  // The observer first, guarded on its own: a listener that throws must not cost the meter its
  // count, nor an observer that throws the listener its event.
  private void tell(Event event) {
    try {
      observer.sessionEvent(storeName, event);
    } catch (RuntimeException e) {
      log.warn("SessionObserver threw from sessionEvent", e);
    }
  }

  @Override
  public void created(String sessionId) {
    tell(Event.CREATED);
    listener.created(sessionId);
  }

  @Override
  public void committed(String sessionId) {
    listener.committed(sessionId);
  }

  @Override
  public void failed(@Nullable String sessionId, String operation, SessionException error) {
    listener.failed(sessionId, operation, error);
  }

  @Override
  public void regenerated(String sessionId) {
    tell(Event.REGENERATED);
    listener.regenerated(sessionId);
  }

  @Override
  public void invalidated(@Nullable String sessionId) {
    tell(Event.INVALIDATED);
    listener.invalidated(sessionId);
  }

  @Override
  public void unreadableData(SessionDataException problem) {
    tell(Event.UNREADABLE_DATA);
    listener.unreadableData(problem);
  }

  @Override
  public void unreadableValue(String sessionId, String key, SessionDataException problem) {
    tell(Event.UNREADABLE_VALUE);
    listener.unreadableValue(sessionId, key, problem);
  }
}
