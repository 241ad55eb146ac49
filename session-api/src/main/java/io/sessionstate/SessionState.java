package io.sessionstate;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incarnation of a request's session: everything {@link Session#invalidate()} ends. {@link
 * DefaultSession} replaces it whole with {@link #invalidated}, never resetting it field by field,
 * so a field added here cannot be left out of a reset. Its fields are that class's to read and
 * write; the rules that need no store call live here. Not thread-safe.
 */
final class SessionState {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  enum Phase {
    UNLOADED,
    LOADED,
    /** A synchronous load failed: reads find nothing, writes are ignored. */
    UNAVAILABLE
  }

  Phase phase;
  final SessionKey key;
  SessionValues values;

  /** Whether the values or the key changed since the last commit. */
  boolean modified;

  /** Created on first use; it caches the values stored under {@link TempData#STORAGE_KEY}. */
  TempData tempData;

  private SessionState(Phase phase, SessionKey key, SessionValues values) {
    this.phase = phase;
    this.key = key;
    this.values = values;
  }

  /** The state of a request whose verified cookie named {@code cookieKey}, or of one with none. */
  static SessionState unloaded(String cookieKey, SessionOptions options) {
    return new SessionState(Phase.UNLOADED, new SessionKey(cookieKey), emptyValues(options));
  }

  /** A fresh state after an invalidation: loaded, empty, keyless, its cookie to clear. */
  SessionState invalidated(SessionOptions options) {
    return new SessionState(Phase.LOADED, key.invalidated(), emptyValues(options));
  }

  private static SessionValues emptyValues(SessionOptions options) {
    return new SessionValues(options.maxValueSize(), options.maxSessionSize());
  }

  /** Takes in what the store returned for {@code storeKey}. */
  void applyLoaded(String storeKey, Optional<byte[]> blob, SessionOptions options) {
    phase = Phase.LOADED;
    if (blob.isEmpty()) {
      key.foundNothing(options.renewsMissingKeys());
      return;
    }
    BlobFormat.Contents contents;
    try {
      contents =
          BlobFormat.decode(
              blob.get(),
              options.blobKeys(),
              storeKey,
              (long) options.maxSessionSize() + BlobFormat.MAX_TAG_BYTES);
    } catch (SessionDataException e) {
      key.foundUnreadable();
      log.warn(
          "Unreadable data for session key {}, starting an empty session: {}",
          SessionKey.digest(storeKey),
          e.getMessage());
      options.notify("unreadableData", l -> l.unreadableData(e));
      return;
    }
    if (options.pastAbsoluteLifetime(contents.createdAtMillis())) {
      key.foundExpiredForGood();
      modified = true;
      return;
    }
    key.found();
    values = values.loaded(contents);
  }
}
