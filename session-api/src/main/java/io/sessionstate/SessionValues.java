package io.sessionstate;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A session's contents (its id, creation time and values) and the size of the blob they encode to,
 * kept as values change and checked against the manager's limits. Pure: no I/O. Not thread-safe.
 */
final class SessionValues {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int maxValueSize;
  private final int maxSessionSize;
  private SessionEntries values;

  /** The encoded size of these values, without an integrity tag. */
  private long size;

  /** Null until the session needs one, so a session that never gets a value costs no randomness. */
  private byte @Nullable [] id;

  private long createdAtMillis;

  /** The session's own idle timeout in milliseconds; 0 when it uses the manager's. */
  private long ownIdleTimeoutMillis;

  /** No values, under the given limits. */
  SessionValues(int maxValueSize, int maxSessionSize) {
    this(maxValueSize, maxSessionSize, new SessionEntries(), null, 0, 0, BlobFormat.HEADER_BYTES);
  }

  private SessionValues(
      int maxValueSize,
      int maxSessionSize,
      SessionEntries values,
      byte @Nullable [] id,
      long createdAtMillis,
      long ownIdleTimeoutMillis,
      long size) {
    this.maxValueSize = maxValueSize;
    this.maxSessionSize = maxSessionSize;
    this.values = values;
    this.id = id;
    this.createdAtMillis = createdAtMillis;
    this.ownIdleTimeoutMillis = ownIdleTimeoutMillis;
    this.size = size;
  }

  /** The contents of a decoded blob, under the same limits as these. */
  SessionValues loaded(BlobFormat.Contents contents) {
    long total = BlobFormat.HEADER_BYTES;
    for (Map.Entry<String, byte[]> e : contents.values().entrySet()) {
      total += BlobFormat.entrySize(utf8Length(e.getKey()), e.getValue().length);
    }
    return new SessionValues(
        maxValueSize,
        maxSessionSize,
        SessionEntries.of(contents.values()),
        contents.id(),
        contents.createdAtMillis(),
        contents.idleTimeoutMillis(),
        total);
  }

  /** The contents of an indexed blob, read in place, under the same limits as these. */
  SessionValues loaded(BlobFormat.Indexed indexed) {
    return new SessionValues(
        maxValueSize,
        maxSessionSize,
        indexed.entries(),
        indexed.id(),
        indexed.createdAtMillis(),
        indexed.idleTimeoutMillis(),
        BlobFormat.HEADER_BYTES - 4 + indexed.entriesBytes());
  }

  /** The session's own idle timeout in milliseconds; 0 when it uses the manager's. */
  long ownIdleTimeoutMillis() {
    return ownIdleTimeoutMillis;
  }

  /**
   * Checks an idle timeout a session asks for: the bounds of {@link Session#setIdleTimeout}.
   *
   * @throws IllegalArgumentException if it is out of them
   */
  static void checkOwnIdleTimeout(Duration idleTimeout) {
    requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "idleTimeout must be positive: sessions that never expire are not supported: "
              + idleTimeout);
    }
    if (idleTimeout.compareTo(Session.MIN_IDLE_TIMEOUT) < 0) {
      throw new IllegalArgumentException(
          "idleTimeout must be at least " + Session.MIN_IDLE_TIMEOUT + ": " + idleTimeout);
    }
    if (idleTimeout.compareTo(Session.MAX_IDLE_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "idleTimeout must be at most " + Session.MAX_IDLE_TIMEOUT + ": " + idleTimeout);
    }
  }

  /** Gives the session its own idle timeout; returns whether that changed it. */
  boolean setOwnIdleTimeout(long millis) {
    if (millis == ownIdleTimeoutMillis) {
      return false;
    }
    ownIdleTimeoutMillis = millis;
    return true;
  }

  /** The encoded size: the values' and what the header adds for an own idle timeout. */
  private long encodedSize(long valuesSize) {
    return valuesSize + (ownIdleTimeoutMillis > 0 ? BlobFormat.IDLE_TIMEOUT_BYTES : 0);
  }

  /** The session's id, given one now (created now, by {@code clock}) if it has none. */
  byte[] id(Clock clock) {
    if (id == null) {
      id = new byte[BlobFormat.ID_BYTES];
      RANDOM.nextBytes(id);
      createdAtMillis = clock.millis();
    }
    return id;
  }

  /** The session's id, if it has one yet. */
  Optional<byte[]> assignedId() {
    return Optional.ofNullable(id);
  }

  /** When the session was created, which is now (by {@code clock}) if it has no id yet. */
  long createdAtMillis(Clock clock) {
    id(clock);
    return createdAtMillis;
  }

  // ---- values

  /** The stored array: callers hand out copies or new objects, never the array. */
  byte @Nullable [] get(String key) {
    return values.get(key);
  }

  /** The keys, in order; a copy. */
  List<String> keys() {
    return values.keys();
  }

  boolean isEmpty() {
    return values.size() == 0;
  }

  /**
   * Checks what can be checked of an entry before the session is loaded: the key's length and the
   * value's size.
   *
   * @return the key's length in UTF-8 bytes
   * @throws IllegalArgumentException if either is over its limit, or the key is not valid Unicode
   */
  int checkEntry(String key, byte[] value) {
    int keyBytes = checkKeyLength(key);
    if (value.length > maxValueSize) {
      throw new IllegalArgumentException(
          "value for key \""
              + abbreviate(key)
              + "\" is "
              + value.length
              + " bytes, over maxValueSize of "
              + maxValueSize);
    }
    return keyBytes;
  }

  /**
   * Checks that putting {@code value} under {@code key} keeps the session within its size limit.
   *
   * @throws IllegalArgumentException if it would not
   */
  void checkPut(String key, int keyBytes, byte[] value) {
    long newSize = encodedSize(sizeAfterPut(keyBytes, value, values.valueLength(key)));
    if (newSize > maxSessionSize) {
      throw new IllegalArgumentException(
          "setting key \""
              + abbreviate(key)
              + "\" would make the session "
              + newSize
              + " bytes, over maxSessionSize of "
              + maxSessionSize);
    }
  }

  /** Puts a value the caller will not touch again; {@link #checkPut} came first. */
  void put(String key, int keyBytes, byte[] value) {
    size = sizeAfterPut(keyBytes, value, values.put(key, value));
  }

  private long sizeAfterPut(int keyBytes, byte[] value, int oldLength) {
    return size
        + BlobFormat.entrySize(keyBytes, value.length)
        - (oldLength < 0 ? 0 : BlobFormat.entrySize(keyBytes, oldLength));
  }

  /** Removes {@code key}; returns whether it was there. */
  boolean remove(String key) {
    long removed = values.remove(key);
    if (removed < 0) {
      return false;
    }
    size -= removed;
    return true;
  }

  /** Removes every value. */
  void clear() {
    values = new SessionEntries();
    size = BlobFormat.HEADER_BYTES;
  }

  /**
   * The blob to store under {@code storeKey}, tagged under {@code blobKeys} unless that is null.
   *
   * @throws SessionDataException if the session is over its size limit
   */
  byte[] encode(@Nullable KeyRing blobKeys, String storeKey, Clock clock) {
    long encoded = encodedSize(size);
    if (encoded > maxSessionSize) {
      throw new SessionDataException(
          "session is " + encoded + " bytes, over maxSessionSize of " + maxSessionSize);
    }
    return BlobFormat.encode(
        id(clock), createdAtMillis, ownIdleTimeoutMillis, values, encoded, blobKeys, storeKey);
  }

  // ---- keys

  private static int checkKeyLength(String key) {
    int length = utf8Length(key);
    if (length > BlobFormat.MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "session keys are limited to "
              + BlobFormat.MAX_KEY_BYTES
              + " UTF-8 bytes: key \""
              + abbreviate(key)
              + "\" is "
              + length);
    }
    return length;
  }

  private static int utf8Length(String s) {
    // Exact for well-formed strings, without encoding the whole key to count it.
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        length += 1;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        length += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        // UTF-8 cannot carry a lone surrogate: storing it would silently change the key.
        throw new IllegalArgumentException(
            "session key is not valid Unicode: lone surrogate at index " + i);
      } else {
        length += 3;
      }
    }
    return length;
  }

  /** The key as messages show it: keys may be long, and a message need not carry all of it. */
  static String abbreviate(String key) {
    return key.length() <= 40 ? key : key.substring(0, 40) + "...";
  }
}
