package io.sessionstate.servlet;

import static java.util.Objects.requireNonNull;

import io.sessionstate.servlet.SessionFilter.CommitFailure;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;

/**
 * The options of a {@link SessionFilter}, set by its {@link SessionFilter.Builder} or read from
 * {@code web.xml} by {@link InitParams}: each setter checks its argument at once, and an option
 * never set keeps its default. Not thread-safe; the filter copies what it needs when it is built or
 * initialized.
 */
final class FilterOptions {
  private final List<EventListener> listeners = new ArrayList<>();
  private CommitFailure commitFailure = CommitFailure.RESPOND_503;
  private boolean trustForwardedProto;

  void listener(EventListener listener) {
    requireNonNull(listener, "listener");
    if (!SessionListeners.isSupported(listener)) {
      throw new IllegalArgumentException(
          "listener must implement HttpSessionListener, HttpSessionAttributeListener or"
              + " HttpSessionIdListener: "
              + listener.getClass().getName());
    }
    listeners.add(listener);
  }

  void commitFailure(CommitFailure value) {
    commitFailure = requireNonNull(value, "commitFailure");
  }

  void trustForwardedProto(boolean trust) {
    trustForwardedProto = trust;
  }

  SessionListeners listeners() {
    return new SessionListeners(listeners);
  }

  CommitFailure commitFailure() {
    return commitFailure;
  }

  boolean trustForwardedProto() {
    return trustForwardedProto;
  }
}
