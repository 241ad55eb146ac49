package io.sessionstate.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An optional capability: a store that keeps, beside its sessions, an index from a principal name
 * (the signed-in user) to the keys of that principal's sessions, so that the session manager can
 * list a user's sessions, end one, end them all, and cap how many a user holds.
 *
 * <p>The index is written only when a session is bound, moved to a new key or unbound: a request
 * that does neither never calls it, so it costs nothing on the ordinary request path. The index
 * does not follow every slide of a session's expiry, so it may hold <em>stale</em> entries, keys
 * whose session has expired or was signed out. {@link #sessionsOf} never returns one, and removes
 * those it meets; each store also says how it removes the stale entries of principals nobody lists,
 * and within what time.
 *
 * <p>Principal names are opaque, non-empty strings; keys are session keys as the other methods take
 * them. Neither ever appears in a log line or an exception message. Implementations must be
 * thread-safe; arguments are never null unless marked, and every TTL is positive.
 */
public interface PrincipalIndex extends SessionStore {

  /**
   * Records that the session under {@code key} belongs to {@code principal}, and, in the same
   * operation, removes {@code replacedKey} (the key the session was moved away from) if it is not
   * null. {@code ttl} is the session's time to live as just written, a hint for pruning. One round
   * trip.
   *
   * @param principal the name the session is bound to
   * @param key the session's store key
   * @param replacedKey the key the session moved away from, or null
   * @param ttl the session's time to live as just written
   * @return how many keys the index holds for {@code principal} afterwards, stale entries included
   */
  int index(String principal, String key, @Nullable String replacedKey, Duration ttl);

  /**
   * Removes {@code key} from {@code principal}'s entries; does nothing if it is not there.
   *
   * @param principal the name the session was bound to
   * @param key the session's store key
   */
  void unindex(String principal, String key);

  /**
   * The live sessions indexed under {@code principal}: each one's key, blob and remaining time to
   * live, read without sliding its expiry. Tombstones and expired sessions are left out, and their
   * index entries are removed. A store that reads each session with its own call (as a Redis
   * Cluster must, since the sessions live in different slots) says so.
   *
   * @param principal the name the sessions are bound to
   * @return the live sessions, in no particular order
   */
  List<IndexedSession> sessionsOf(String principal);

  /**
   * One live session of a principal, as the index found it. Immutable; the blob is copied on the
   * way in and out. Its {@link #toString()} names neither the key nor the blob.
   */
  final class IndexedSession {
    private final String key;
    private final byte[] blob;
    private final Duration expiresIn;

    /**
     * A live session under {@code key}, holding {@code blob}, expiring in {@code expiresIn}.
     *
     * @param key the session's store key
     * @param blob the session's blob; copied
     * @param expiresIn how long the session lives from the moment it was read
     * @throws IllegalArgumentException if {@code expiresIn} is negative
     */
    public IndexedSession(String key, byte[] blob, Duration expiresIn) {
      this.key = requireNonNull(key, "key");
      this.blob = requireNonNull(blob, "blob").clone();
      this.expiresIn = requireNonNull(expiresIn, "expiresIn");
      if (expiresIn.isNegative()) {
        throw new IllegalArgumentException("expiresIn must not be negative: " + expiresIn);
      }
    }

    /** {@return the session's store key} */
    public String key() {
      return key;
    }

    /** {@return a copy of the session's blob} */
    public byte[] blob() {
      return blob.clone();
    }

    /** {@return how long the session lives from the moment it was read, without another request} */
    public Duration expiresIn() {
      return expiresIn;
    }

    @Override
    public String toString() {
      return "IndexedSession{" + blob.length + " bytes, expiresIn=" + expiresIn + "}";
    }
  }
}
