package io.sessionstate;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Values that live until they are read, such as a message shown once after a redirect. A value read
 * with {@link #get} is removed when the request commits, unless {@link #keep} retains it; {@link
 * #peek} reads without consuming. Values put in a request survive until a later request reads them.
 *
 * <p>TempData lives inside its {@link Session}, under one reserved key that {@link Session#keys()}
 * does not list, and follows the session's rules: limits, establishment, commit. Like the session,
 * it belongs to one request and is not thread-safe. Keys and values are never null.
 */
public final class TempData {
  /** The session key that holds all TempData values; reserved. */
  static final String STORAGE_KEY = "\u0000sessionstate.tempdata";

  private final DefaultSession session;

  /** The values, decoded on first use; null until then. */
  private @Nullable LinkedHashMap<String, byte[]> values;

  private final Set<String> read = new HashSet<>();

  TempData(DefaultSession session) {
    this.session = session;
  }

  private LinkedHashMap<String, byte[]> values() {
    if (values == null) {
      LinkedHashMap<String, byte[]> decoded = new LinkedHashMap<>();
      Optional<byte[]> stored = session.rawGet(STORAGE_KEY);
      if (stored.isPresent()) {
        try {
          decoded = BlobEntries.decode(stored.get());
        } catch (SessionDataException e) {
          // Only reachable with a blob that passed the session's own checks; start over.
          decoded = new LinkedHashMap<>();
        }
      }
      values = decoded;
    }
    return values;
  }

  /**
   * Reads {@code key} and marks it to be removed at commit; empty if absent.
   *
   * @param key the name the value was stored under
   * @return a copy of the value, or empty
   */
  public Optional<byte[]> get(String key) {
    requireNonNull(key, "key");
    byte[] value = values().get(key);
    if (value == null) {
      return Optional.empty();
    }
    read.add(key);
    return Optional.of(value.clone());
  }

  /**
   * Reads {@code key} as UTF-8 and marks it to be removed at commit; empty if absent.
   *
   * @param key the name the value was stored under
   * @return the decoded string, or empty
   */
  public Optional<String> getString(String key) {
    return get(key).map(v -> new String(v, StandardCharsets.UTF_8));
  }

  /**
   * Reads {@code key} without consuming it; empty if absent.
   *
   * @param key the name the value was stored under
   * @return a copy of the value, or empty
   */
  public Optional<byte[]> peek(String key) {
    requireNonNull(key, "key");
    return Optional.ofNullable(values().get(key)).map(byte[]::clone);
  }

  /**
   * Reads {@code key} as UTF-8 without consuming it; empty if absent.
   *
   * @param key the name the value was stored under
   * @return the decoded string, or empty
   */
  public Optional<String> peekString(String key) {
    return peek(key).map(v -> new String(v, StandardCharsets.UTF_8));
  }

  /**
   * Stores {@code value} under {@code key} until a request reads it.
   *
   * @param key the name to store the value under
   * @param value the bytes to store; copied
   */
  public void put(String key, byte[] value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    LinkedHashMap<String, byte[]> next = new LinkedHashMap<>(values());
    next.put(key, value.clone());
    // Written through at once, so the session's size limits and establishment rules apply now.
    session.rawSet(STORAGE_KEY, BlobEntries.encode(next));
    values = next;
    read.remove(key);
  }

  /**
   * Stores {@code value} as UTF-8 under {@code key} until a request reads it.
   *
   * @param key the name to store the value under
   * @param value the string to store
   */
  public void putString(String key, String value) {
    requireNonNull(value, "value");
    put(key, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Retains {@code key} for another request even though it was read.
   *
   * @param key the name of the value to keep
   */
  public void keep(String key) {
    requireNonNull(key, "key");
    read.remove(key);
  }

  /** Retains every value for another request. */
  public void keep() {
    read.clear();
  }

  /**
   * Removes {@code key} now.
   *
   * @param key the name of the value to remove
   */
  public void remove(String key) {
    requireNonNull(key, "key");
    if (values().containsKey(key)) {
      LinkedHashMap<String, byte[]> next = new LinkedHashMap<>(values());
      next.remove(key);
      write(next);
    }
    read.remove(key);
  }

  /** {@return the keys of the values held, read or not} A copy. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(values().keySet()));
  }

  /** Removes the values read in this request and not kept; the session calls it before commit. */
  void flush() {
    if (read.isEmpty() || values == null) {
      return;
    }
    LinkedHashMap<String, byte[]> next = new LinkedHashMap<>(values);
    next.keySet().removeAll(read);
    read.clear();
    write(next);
  }

  private void write(LinkedHashMap<String, byte[]> next) {
    if (next.isEmpty()) {
      session.rawRemove(STORAGE_KEY);
    } else {
      session.rawSet(STORAGE_KEY, BlobEntries.encode(next));
    }
    values = next;
  }
}
