package io.sessionstate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one request did to its session's values, for a {@link CommitMode#MERGE} commit that must
 * apply it again over a session another request committed meanwhile: each key's last write (a
 * value, or a removal) since the last {@link #clear()}, and whether a clear came first. Only the
 * outcome per key is kept, not every call: applying it again gives what the request's own calls
 * gave. Not thread-safe.
 */
final class ChangeLog {
  /** Marks a removal; compared by identity. */
  private static final byte[] REMOVED = new byte[0];

  private final LinkedHashMap<String, byte[]> writes = new LinkedHashMap<>();
  private boolean cleared;

  /** Records that {@code key} was set to {@code value}, an array nobody changes afterwards. */
  void set(String key, byte[] value) {
    writes.remove(key); // keeps the order of the last writes
    writes.put(key, value);
  }

  void remove(String key) {
    writes.remove(key);
    writes.put(key, REMOVED);
  }

  /** A clear wipes what was there before it, and what this request wrote before it. */
  void clear() {
    writes.clear();
    cleared = true;
  }

  boolean isEmpty() {
    return writes.isEmpty() && !cleared;
  }

  /** Forgets everything: after a commit, the next one starts from what was stored. */
  void reset() {
    writes.clear();
    cleared = false;
  }

  /**
   * The values that result from applying these changes to {@code stored}, the values another
   * request committed: the keys this request did not write keep their stored values.
   */
  LinkedHashMap<String, byte[]> applyTo(Map<String, byte[]> stored) {
    LinkedHashMap<String, byte[]> merged =
        cleared ? new LinkedHashMap<>() : new LinkedHashMap<>(stored);
    for (Map.Entry<String, byte[]> w : writes.entrySet()) {
      if (w.getValue() == REMOVED) {
        merged.remove(w.getKey());
      } else {
        merged.put(w.getKey(), w.getValue());
      }
    }
    return merged;
  }
}
