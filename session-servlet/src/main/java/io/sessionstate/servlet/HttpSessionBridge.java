package io.sessionstate.servlet;

import io.sessionstate.Session;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Optional;

/**
 * {@link HttpSession} over a sessionstate {@link Session}, for one request. Attribute values are
 * encoded by the filter's {@link io.sessionstate.ValueCodec} when set and decoded when read, so
 * each {@code getAttribute} returns a fresh copy: change a mutable value, then set it again.
 */
final class HttpSessionBridge implements HttpSession {
  private final Session session;
  private final RequestCycle cycle;
  private final boolean existedAtStart;
  private boolean valid = true;

  /** The id this session had when invalidated: the core session goes on as the request's next. */
  private String invalidatedId;

  HttpSessionBridge(Session session, RequestCycle cycle, boolean existedAtStart) {
    this.session = session;
    this.cycle = cycle;
    this.existedAtStart = existedAtStart;
  }

  boolean isValid() {
    return valid;
  }

  boolean existedAtStart() {
    return existedAtStart;
  }

  private void checkValid(String method) {
    if (!valid) {
      throw new IllegalStateException(method + ": the session has been invalidated");
    }
  }

  /** The session's random id ({@link Session#id()}): not the cookie's key, and safe to log. */
  @Override
  public String getId() {
    return valid ? session.id() : invalidatedId;
  }

  @Override
  public long getCreationTime() {
    checkValid("getCreationTime");
    return session.createdAt().toEpochMilli();
  }

  /**
   * The start of this request: the store slides a session's expiry at every load without keeping
   * the time of each access, so the current request is the last access known.
   */
  @Override
  public long getLastAccessedTime() {
    checkValid("getLastAccessedTime");
    return Math.max(cycle.startedAtMillis, session.createdAt().toEpochMilli());
  }

  @Override
  public ServletContext getServletContext() {
    return cycle.servletContext;
  }

  /** This session's idle timeout in seconds: its own if one was set, else the manager's. */
  @Override
  public int getMaxInactiveInterval() {
    return (int) Math.min(Integer.MAX_VALUE, session.idleTimeout().toSeconds());
  }

  /**
   * Gives this session its own idle timeout ({@link Session#setIdleTimeout}), kept with it in the
   * store from this request's commit on and used by every node.
   *
   * @throws IllegalArgumentException for an interval under 60 seconds or over 365 days, and for 0
   *     or less, which the Servlet API reads as "never expire": a session that never expires is not
   *     supported
   */
  @Override
  public void setMaxInactiveInterval(int interval) {
    long min = Session.MIN_IDLE_TIMEOUT.toSeconds();
    long max = Session.MAX_IDLE_TIMEOUT.toSeconds();
    if (interval < min || interval > max) {
      throw new IllegalArgumentException(
          "setMaxInactiveInterval("
              + interval
              + "): the interval must be from "
              + min
              + " to "
              + max
              + " seconds; a session that never expires (0 or less) is not supported");
    }
    session.setIdleTimeout(Duration.ofSeconds(interval));
  }

  @Override
  public Object getAttribute(String name) {
    checkValid("getAttribute");
    if (name == null) {
      return null;
    }
    Optional<byte[]> bytes = session.tryGetValue(name);
    return bytes.map(b -> cycle.codec.decode(b, Object.class)).orElse(null);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    checkValid("getAttributeNames");
    return Collections.enumeration(session.keys());
  }

  /**
   * Encodes {@code value} now and keeps the bytes; a null value removes the attribute, as the
   * Servlet API says.
   *
   * @throws io.sessionstate.SessionDataException if the codec cannot encode the value (with Kryo, a
   *     class that is not registered)
   * @throws IllegalStateException if this would create a session after the response has started
   */
  @Override
  public void setAttribute(String name, Object value) {
    checkValid("setAttribute");
    if (name == null) {
      throw new IllegalArgumentException("attribute name must not be null");
    }
    if (value == null) {
      session.remove(name);
      return;
    }
    session.set(name, cycle.codec.encode(value));
  }

  @Override
  public void removeAttribute(String name) {
    checkValid("removeAttribute");
    if (name != null) {
      session.remove(name);
    }
  }

  /**
   * Deletes the session from the store now and removes its cookie; this object is invalid from then
   * on, and {@code request.getSession()} starts a new session.
   */
  @Override
  public void invalidate() {
    checkValid("invalidate");
    String id = session.id();
    session.invalidate();
    invalidatedId = id;
    valid = false;
  }

  /**
   * Whether the session was created by this request. The core session stops being new once it is
   * stored, which the filter does at the first byte of the response, but the browser has not joined
   * it until its next request.
   */
  @Override
  public boolean isNew() {
    checkValid("isNew");
    return !existedAtStart;
  }

  @Override
  public String toString() {
    return "HttpSessionBridge{valid=" + valid + "}";
  }
}
