package io.sessionstate.spring.boot;

import io.sessionstate.SessionDataException;
import io.sessionstate.SessionException;
import io.sessionstate.SessionListener;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Tells every listener bean of each event, in order; one that throws does not keep the event from
 * the others, and the first exception is rethrown for the manager to log.
 */
final class CompositeSessionListener implements SessionListener {

  private final List<SessionListener> listeners;

  CompositeSessionListener(List<SessionListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void created(String sessionId) {
    each(l -> l.created(sessionId));
  }

  @Override
  public void committed(String sessionId) {
    each(l -> l.committed(sessionId));
  }

  @Override
  public void failed(@Nullable String sessionId, String operation, SessionException error) {
    each(l -> l.failed(sessionId, operation, error));
  }

  @Override
  public void regenerated(String sessionId) {
    each(l -> l.regenerated(sessionId));
  }

  @Override
  public void invalidated(@Nullable String sessionId) {
    each(l -> l.invalidated(sessionId));
  }

  @Override
  public void unreadableData(SessionDataException problem) {
    each(l -> l.unreadableData(problem));
  }

  private void each(Consumer<SessionListener> event) {
    RuntimeException first = null;
    for (SessionListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
