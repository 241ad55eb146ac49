package io.sessionstate;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options a session reads, fixed when the {@link SessionManager} is built. Immutable; every
 * component is non-null except {@code absoluteLifetime} (null: no limit) and {@code valueCodec}
 * (null: none configured).
 */
record SessionOptions(
    Duration idleTimeout,
    @Nullable Duration absoluteLifetime,
    boolean requireExplicitLoad,
    boolean renewUnknownKeys,
    CookieOptions cookieOptions,
    KeyRing keyRing,
    CookieProtector protector,
    boolean blobIntegrity,
    Clock clock,
    SessionListener listener,
    @Nullable ValueCodec valueCodec,
    int maxValueSize,
    int maxSessionSize,
    CommitMode commitMode,
    Duration tombstoneTtl) {

  // Named for the manager: listener failures are a configuration matter of the manager's user.
  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

  /** The ring that tags and verifies stored blobs, or null when blobs carry no tag. */
  @Nullable KeyRing blobKeys() {
    return blobIntegrity ? keyRing : null;
  }

  /**
   * Whether a verified cookie whose session is gone starts under a fresh key. With an absolute
   * lifetime a missing entry may be one that expired for good: its key must never be stored again,
   * or whoever still holds the old cookie would share the new session.
   */
  boolean renewsMissingKeys() {
    return renewUnknownKeys || absoluteLifetime != null;
  }

  /** Whether a session created at {@code createdAtMillis} is past its absolute lifetime now. */
  boolean pastAbsoluteLifetime(long createdAtMillis) {
    return absoluteLifetime != null
        && clock.millis() - createdAtMillis >= absoluteLifetime.toMillis();
  }

  /**
   * The expiry to store with: the session's own idle timeout (in milliseconds, 0 for the
   * manager's), cut short by the absolute lifetime if set.
   */
  Duration ttl(long createdAtMillis, long ownIdleTimeoutMillis) {
    Duration ttl = ownIdleTimeoutMillis > 0 ? Duration.ofMillis(ownIdleTimeoutMillis) : idleTimeout;
    if (absoluteLifetime != null) {
      long left = createdAtMillis + absoluteLifetime.toMillis() - clock.millis();
      Duration remaining = Duration.ofMillis(Math.max(1, left));
      if (remaining.compareTo(ttl) < 0) {
        ttl = remaining;
      }
    }
    return ttl;
  }

  /** The value codec, for the object methods of {@link Session}. */
  ValueCodec requireValueCodec() {
    if (valueCodec == null) {
      throw new IllegalStateException(
          "no valueCodec configured: set SessionManager.Builder.valueCodec(...) to store objects");
    }
    return valueCodec;
  }

  /**
   * Tells the listener of {@code event}; a listener that throws costs a log line, never a request.
   */
  void notify(String event, Consumer<SessionListener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      log.warn("SessionListener threw from {}", event, e);
    }
  }
}
