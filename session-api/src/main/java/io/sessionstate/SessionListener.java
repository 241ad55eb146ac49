package io.sessionstate;

import org.jspecify.annotations.Nullable;

/**
 * Receives the events of a session's life, for metrics, audit or application logic. Every method
 * has an empty default, so a listener overrides only what it needs. Methods are called on the
 * thread that caused the event and must be thread-safe and quick; an exception thrown by a listener
 * is logged and otherwise ignored.
 *
 * <p>Sessions are named by their {@link Session#id()}, never by their key.
 */
public interface SessionListener {

  /** A listener that ignores every event. */
  SessionListener NONE = new SessionListener() {};

  /** A new session was stored for the first time. */
  default void created(String sessionId) {}

  /** A changed session was committed to the store. */
  default void committed(String sessionId) {}

  /**
   * A load, commit or invalidation failed ({@code operation} is {@code load}, {@code commit} or
   * {@code invalidate}), or the {@code touch} that slides the idle timeout of a session a request
   * never read, which nobody waits for. {@code sessionId} is null when the session was not loaded.
   */
  default void failed(@Nullable String sessionId, String operation, SessionException error) {}

  /** The session was given a new key by {@link Session#regenerateId()}. */
  default void regenerated(String sessionId) {}

  /**
   * The session was ended by {@link Session#invalidate()}. {@code sessionId} is null when the
   * session was invalidated without being loaded first.
   */
  default void invalidated(@Nullable String sessionId) {}

  /**
   * The store held a blob that could not be read (corrupt, truncated, of an unknown revision, too
   * large, or not signed by the key ring); the request went on with an empty session.
   */
  default void unreadableData(SessionDataException problem) {}

  /**
   * The value under {@code key} (the name the application stored it under, not the session's key)
   * could not be decoded by the value codec: its class changed or is gone, or its bytes are
   * corrupt. {@link Session#getObject} threw {@code problem}, whose message names the key and the
   * class; the other values are untouched. Called once per key per request, however often the value
   * is read.
   */
  default void unreadableValue(String sessionId, String key, SessionDataException problem) {}
}
