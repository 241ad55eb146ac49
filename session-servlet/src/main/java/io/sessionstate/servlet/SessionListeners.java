package io.sessionstate.servlet;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Servlet session listeners registered with the filter, and how they are called: in order of
 * registration, on the thread that caused the event; an exception from a listener is logged and the
 * request goes on, as containers do. Immutable once built.
 */
final class SessionListeners {
  private static final Logger log = LoggerFactory.getLogger(SessionFilter.class);

  static final SessionListeners NONE = new SessionListeners(List.of());

  private final List<HttpSessionListener> lifecycle = new ArrayList<>();
  private final List<HttpSessionAttributeListener> attributes = new ArrayList<>();
  private final List<HttpSessionIdListener> ids = new ArrayList<>();

  SessionListeners(List<EventListener> listeners) {
    for (EventListener l : listeners) {
      if (l instanceof HttpSessionListener s) {
        lifecycle.add(s);
      }
      if (l instanceof HttpSessionAttributeListener a) {
        attributes.add(a);
      }
      if (l instanceof HttpSessionIdListener i) {
        ids.add(i);
      }
    }
  }

  /** Whether {@code listener} is of a kind the filter calls. */
  static boolean isSupported(EventListener listener) {
    return listener instanceof HttpSessionListener
        || listener instanceof HttpSessionAttributeListener
        || listener instanceof HttpSessionIdListener;
  }

  boolean hasAttributeListeners() {
    return !attributes.isEmpty();
  }

  void created(HttpSession session) {
    HttpSessionEvent event = new HttpSessionEvent(session);
    for (HttpSessionListener l : lifecycle) {
      safely("sessionCreated", l, () -> l.sessionCreated(event));
    }
  }

  void destroyed(HttpSession session) {
    HttpSessionEvent event = new HttpSessionEvent(session);
    for (HttpSessionListener l : lifecycle) {
      safely("sessionDestroyed", l, () -> l.sessionDestroyed(event));
    }
  }

  void idChanged(HttpSession session, String oldId) {
    HttpSessionEvent event = new HttpSessionEvent(session);
    for (HttpSessionIdListener l : ids) {
      safely("sessionIdChanged", l, () -> l.sessionIdChanged(event, oldId));
    }
  }

  void added(HttpSession session, String name, Object value) {
    HttpSessionBindingEvent event = new HttpSessionBindingEvent(session, name, value);
    for (HttpSessionAttributeListener l : attributes) {
      safely("attributeAdded", l, () -> l.attributeAdded(event));
    }
  }

  /** {@code oldValue} is the value replaced, as the Servlet API says of this event. */
  void replaced(HttpSession session, String name, @Nullable Object oldValue) {
    HttpSessionBindingEvent event = new HttpSessionBindingEvent(session, name, oldValue);
    for (HttpSessionAttributeListener l : attributes) {
      safely("attributeReplaced", l, () -> l.attributeReplaced(event));
    }
  }

  void removed(HttpSession session, String name, @Nullable Object value) {
    HttpSessionBindingEvent event = new HttpSessionBindingEvent(session, name, value);
    for (HttpSessionAttributeListener l : attributes) {
      safely("attributeRemoved", l, () -> l.attributeRemoved(event));
    }
  }

  static void bound(HttpSession session, String name, Object value) {
    if (value instanceof HttpSessionBindingListener l) {
      HttpSessionBindingEvent event = new HttpSessionBindingEvent(session, name, value);
      safely("valueBound", l, () -> l.valueBound(event));
    }
  }

  static void unbound(HttpSession session, String name, @Nullable Object value) {
    if (value instanceof HttpSessionBindingListener l) {
      HttpSessionBindingEvent event = new HttpSessionBindingEvent(session, name, value);
      safely("valueUnbound", l, () -> l.valueUnbound(event));
    }
  }

  private static void safely(String event, Object listener, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("{} of {} threw; the request goes on", event, listener.getClass().getName(), e);
    }
  }
}
