package io.sessionstate;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One live session of a principal, as {@link PrincipalSessions#list} found it: its {@link
 * Session#id() id}, when it was created, when it was last used and when it expires. It never holds
 * the session's key, so it is safe to show on a page or to log. Immutable and thread-safe.
 *
 * <p>The last access is derived from the session's expiry, which slides with every request that
 * loads the session and, throttled by the {@linkplain SessionManager#touchInterval() touch
 * interval}, with those that do not: it is exact to that interval. For a session cut short by an
 * absolute lifetime it is the earliest time the expiry allows.
 */
public final class SessionInfo {
  private final String id;
  private final Instant createdAt;
  private final Instant lastAccessedAt;
  private final Instant expiresAt;

  SessionInfo(String id, Instant createdAt, Instant lastAccessedAt, Instant expiresAt) {
    this.id = requireNonNull(id, "id");
    this.createdAt = requireNonNull(createdAt, "createdAt");
    this.lastAccessedAt = requireNonNull(lastAccessedAt, "lastAccessedAt");
    this.expiresAt = requireNonNull(expiresAt, "expiresAt");
  }

  /** {@return the session's {@link Session#id()}: stable for its life, never its key} */
  public String id() {
    return id;
  }

  /** {@return when the session was created} */
  public Instant createdAt() {
    return createdAt;
  }

  /** {@return when a request last used the session, to the touch interval} */
  public Instant lastAccessedAt() {
    return lastAccessedAt;
  }

  /** {@return when the session expires unless another request uses it} */
  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionInfo s
        && s.id.equals(id)
        && s.createdAt.equals(createdAt)
        && s.lastAccessedAt.equals(lastAccessedAt)
        && s.expiresAt.equals(expiresAt);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "SessionInfo{id="
        + id
        + ", createdAt="
        + createdAt
        + ", lastAccessedAt="
        + lastAccessedAt
        + ", expiresAt="
        + expiresAt
        + "}";
  }
}
