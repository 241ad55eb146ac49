package io.sessionstate;

import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incarnation of a request's session: everything {@link Session#invalidate()} ends. {@link
 * DefaultSession} replaces it whole with {@link #invalidated}, never resetting it field by field,
 * so a field added here cannot be left out of a reset. Its fields are read and written by that
 * class and the parts it hands the state to ({@link SessionLoader}, {@link SessionCommit}); the
 * rules that need no store call live here. Not thread-safe.
 */
final class SessionState {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  enum Phase {
    UNLOADED,
    LOADED,
    /** A synchronous load failed: reads find nothing, writes are ignored. */
    UNAVAILABLE
  }

  /**
   * Volatile, and set by a load only after everything else it applies: a load may complete on
   * another thread, and a request thread that sees {@code LOADED} must see its values and key too.
   */
  volatile Phase phase;

  final SessionKey key;
  SessionValues values;

  /** Whether the values or the key changed since the last commit. */
  boolean modified;

  /** Created on first use; it caches the values stored under {@link TempData#STORAGE_KEY}. */
  @Nullable TempData tempData;

  /** What the load slid the entry's expiry by; null when no load found one. */
  @Nullable Duration slidBy;

  /** Why the session is unavailable: the failure of its load. */
  @Nullable SessionException unavailableBecause;

  /** Changes the request made while the session was unavailable, and so were not kept. */
  int droppedChanges;

  /**
   * What this request wrote since the last commit, for a {@link CommitMode#MERGE} retry; null in
   * the other modes, which never apply a request's changes again.
   */
  final @Nullable ChangeLog changes;

  /** The keys whose values the codec could not decode, once reported; null until there is one. */
  private @Nullable Set<String> unreadableKeys;

  private SessionState(Phase phase, SessionKey key, SessionOptions options) {
    this.phase = phase;
    this.key = key;
    this.values = new SessionValues(options.maxValueSize(), options.maxSessionSize());
    this.changes = options.commitMode() == CommitMode.MERGE ? new ChangeLog() : null;
  }

  /** The state of a request whose verified cookie named {@code cookieKey}, or of one with none. */
  static SessionState unloaded(@Nullable String cookieKey, SessionOptions options) {
    return new SessionState(Phase.UNLOADED, new SessionKey(cookieKey), options);
  }

  /** A fresh state after an invalidation: loaded, empty, keyless, its cookie to clear. */
  SessionState invalidated(SessionOptions options) {
    return new SessionState(Phase.LOADED, key.invalidated(), options);
  }

  /**
   * The exception for a value the codec could not decode, reported to the listener the first time
   * this request meets it. The bytes stay: a node that cannot read a value may be the old build of
   * a rolling deploy, and the new one can. A caller that wants the value gone removes it, as the
   * Servlet bridge does.
   */
  SessionDataException unreadable(
      String key, Class<?> type, RuntimeException failure, SessionOptions options) {
    // The shipped codecs' messages name classes and never quote a value; any other exception may
    // quote the value it refused, so only its class is named.
    String reason =
        failure instanceof SessionDataException
            ? failure.getMessage()
            : "the value codec threw " + failure.getClass().getName();
    SessionDataException problem =
        new SessionDataException(
            "cannot read session value \""
                + SessionValues.abbreviate(key)
                + "\" as "
                + type.getTypeName()
                + ": "
                + reason,
            failure);
    if (firstUnreadable(key)) {
      // A session that holds a value has its id already: this assigns none.
      String sessionId = HexFormat.of().formatHex(values.id(options.clock()));
      options.notify("unreadableValue", l -> l.unreadableValue(sessionId, key, problem));
    }
    return problem;
  }

  /**
   * {@code key}'s value decoded as {@code type} by the manager's codec; a value the codec cannot
   * read is reported as {@link #unreadable} says.
   */
  <T> T decodeValue(String key, byte[] bytes, Class<T> type, SessionOptions options) {
    ValueCodec codec = options.requireValueCodec();
    T value;
    try {
      value = codec.decode(bytes, type);
    } catch (RuntimeException e) {
      throw unreadable(key, type, e, options);
    }
    if (value == null) {
      // Optional.map would turn this into "absent", hiding a broken codec.
      throw new SessionDataException(
          "value codec " + codec.getClass().getName() + " decoded a value to null");
    }
    return value;
  }

  /** Whether {@code key}'s value is found unreadable for the first time in this state. */
  boolean firstUnreadable(String key) {
    if (unreadableKeys == null) {
      unreadableKeys = new HashSet<>();
    }
    return unreadableKeys.add(key);
  }

  /**
   * Takes in what the store returned for {@code storeKey}, which the load slid by {@code ttl}. A
   * blob signed by a key of the ring other than the primary is marked modified, so the commit signs
   * it again before that key is retired.
   */
  void applyLoaded(String storeKey, Stored stored, Duration ttl, SessionOptions options) {
    try {
      apply(storeKey, stored, ttl, options);
    } finally {
      phase = Phase.LOADED; // last: publishes what apply() wrote
    }
  }

  private void apply(String storeKey, Stored stored, Duration ttl, SessionOptions options) {
    if (stored.state() == Stored.State.TOMBSTONE) {
      // The key was signed out or moved: whoever replays its cookie starts over under a fresh
      // key, never under the one a slower request of the old session might still write to.
      key.foundNothing(true);
      return;
    }
    if (stored.state() == Stored.State.ABSENT) {
      key.foundNothing(options.renewsMissingKeys());
      return;
    }
    // Read in place, and each value only when the request reads it: a stored blob never changes,
    // so a copy would guard nothing.
    BlobFormat.Indexed contents = index(storeKey, stored.blobView(), options);
    if (contents == null) {
      key.foundUnreadable(stored.version());
      return;
    }
    if (options.pastAbsoluteLifetime(contents.createdAtMillis())) {
      key.foundExpiredForGood();
      modified = true;
      return;
    }
    key.found(stored.version());
    values = values.loaded(contents);
    slidBy = ttl;
    if (contents.tagKeyId() != null
        && !contents.tagKeyId().equals(options.keyRing().primaryKeyId())) {
      modified = true;
    }
  }

  /**
   * The contents of {@code blob}, or null, logged and reported, when it cannot be read: the request
   * then works on an empty session.
   */
  static BlobFormat.@Nullable Contents decode(
      String storeKey, ByteBuffer blob, SessionOptions options) {
    BlobFormat.Indexed indexed = index(storeKey, blob, options);
    return indexed == null
        ? null
        : new BlobFormat.Contents(
            indexed.id(),
            indexed.createdAtMillis(),
            indexed.idleTimeoutMillis(),
            indexed.entries().toMap(),
            indexed.tagKeyId());
  }

  /** As {@link #decode}, with the values left in the blob until they are read. */
  static BlobFormat.@Nullable Indexed index(
      String storeKey, ByteBuffer blob, SessionOptions options) {
    try {
      return BlobFormat.index(
          blob,
          options.blobKeys(),
          storeKey,
          (long) options.maxSessionSize() + BlobFormat.MAX_TAG_BYTES);
    } catch (SessionDataException e) {
      log.warn(
          "Unreadable data for session key {}, starting an empty session: {}",
          SessionKey.digest(storeKey),
          e.getMessage());
      options.notify("unreadableData", l -> l.unreadableData(e));
      return null;
    }
  }

  /**
   * The session's idle timeout, without loading it: its own or the manager's once loaded; before,
   * what this node knows of it, if anything.
   */
  Optional<Duration> knownIdleTimeout(SessionOptions options, IdleSlides slides) {
    return switch (phase) {
      case LOADED -> {
        long own = values.ownIdleTimeoutMillis();
        yield Optional.of(own > 0 ? Duration.ofMillis(own) : options.idleTimeout());
      }
      case UNLOADED -> key.current() == null ? Optional.empty() : slides.knownTtl(key.current());
      case UNAVAILABLE -> Optional.empty();
    };
  }
}
