package io.sessionstate.spi;

import java.time.Duration;

/**
 * An optional capability: a store that can move a session to a new key in one round trip. The
 * session manager uses it when a session's key is {@linkplain
 * io.sessionstate.Session#regenerateId() regenerated}; without it, a regeneration is a {@link
 * #save} of the new key followed by a {@link #delete} of the old one.
 */
public interface ReplacingSessionStore extends SessionStore {

  /**
   * Stores {@code blob} under {@code newKey} with expiry {@code ttl} and removes {@code oldKey}, as
   * one operation where the backend allows it.
   *
   * @param oldKey the key the session is stored under now
   * @param newKey the key to store the session under instead
   * @param blob the session's encoded bytes
   * @param ttl how long the blob lives under {@code newKey}, positive
   */
  void replace(String oldKey, String newKey, byte[] blob, Duration ttl);
}
