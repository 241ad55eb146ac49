package io.sessionstate.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An optional capability: a store that keeps a version beside every blob and saves only under a
 * {@link Condition} checked in the same operation, so that a commit never brings back a session
 * that is gone and, where the caller asks, never overwrites a newer one. It also keeps
 * <em>tombstones</em>: short-lived entries that say "this key was signed out" and that no later
 * conditional save may overwrite.
 *
 * <p>The version is the store's, not part of the blob: the store keeps it beside the blob (a field,
 * a column, a header of its own in front of the blob) and every save through this interface
 * advances it by one. A key that was never saved through this interface reads as version 0. Each
 * method here is one round trip where the backend allows it, and the check and the write are one
 * atomic step: no other client's write lands between them.
 *
 * <p>Through the plain {@link SessionStore} methods a tombstone reads as absent: {@link
 * #loadAndTouch} returns empty for it and {@link #touch} does not turn it back into a session.
 * {@link #save} still overwrites whatever is there, tombstones included, and {@link #delete}
 * removes either.
 *
 * <p>Implementations must be thread-safe; arguments are never null and every TTL is positive.
 */
public interface VersionedSessionStore extends SessionStore {

  /**
   * Returns what is stored under {@code key}: nothing, a tombstone, or a blob with its version. A
   * blob's expiry is reset to {@code ttl} from now in the same operation; a tombstone's is left as
   * it is. One round trip.
   */
  Stored loadVersioned(String key, Duration ttl);

  /**
   * Stores {@code blob} under {@code key}, to expire after {@code ttl}, if and only if what is
   * stored there meets {@code condition}; the check and the write are atomic. A tombstone is never
   * overwritten: under any condition it gives {@link Outcome#gone()}. One round trip.
   *
   * @return {@link Outcome.Status#SAVED} with the new version; {@link Outcome.Status#CONFLICT} with
   *     the blob and version that are stored instead, when another blob is there; {@link
   *     Outcome.Status#GONE} when a tombstone is there, or nothing where the condition wanted a
   *     blob
   */
  Outcome saveIf(String key, Condition condition, byte[] blob, Duration ttl);

  /**
   * Replaces whatever is stored under {@code key} with a tombstone that expires after {@code
   * tombstoneTtl}: the session is signed out, and no conditional save brings it back while the
   * tombstone lasts. Unconditional: a sign-out wins over every concurrent write. One round trip.
   */
  void invalidate(String key, Duration tombstoneTtl);

  /**
   * Moves a session to a new key: if what is stored under {@code oldKey} meets {@code condition},
   * leaves a tombstone there (expiring after {@code tombstoneTtl}) and stores {@code blob} under
   * {@code newKey} at version 1, to expire after {@code ttl}. The two keys differ. The outcome is
   * that of the check on {@code oldKey}, as for {@link #saveIf}; on anything but {@link
   * Outcome.Status#SAVED} neither key is changed when the call returns. One round trip where both
   * keys can be written in one operation; a store that cannot (a Redis Cluster, whose keys live in
   * different slots) says what it does instead.
   */
  Outcome replaceIf(
      String oldKey,
      Condition condition,
      String newKey,
      byte[] blob,
      Duration ttl,
      Duration tombstoneTtl);

  /**
   * What a conditional save expects to find under its key. Immutable and thread-safe.
   *
   * <ul>
   *   <li>{@link #version(long)}: a blob of exactly this version (the one the request loaded);
   *   <li>{@link #exists()}: a blob of any version (a session loaded as existing, last writer wins,
   *       but never brought back once gone);
   *   <li>{@link #absent()}: nothing at all (a new session that must not overwrite a concurrent
   *       one);
   *   <li>{@link #notInvalidated()}: anything but a tombstone (a new session, last writer wins).
   * </ul>
   */
  final class Condition {
    /** The four kinds of condition. */
    public enum Kind {
      VERSION,
      EXISTS,
      ABSENT,
      NOT_INVALIDATED
    }

    private static final Condition EXISTS = new Condition(Kind.EXISTS, -1);
    private static final Condition ABSENT = new Condition(Kind.ABSENT, -1);
    private static final Condition NOT_INVALIDATED = new Condition(Kind.NOT_INVALIDATED, -1);

    private final Kind kind;
    private final long version;

    private Condition(Kind kind, long version) {
      this.kind = kind;
      this.version = version;
    }

    /**
     * A blob of exactly {@code version} must be stored.
     *
     * @throws IllegalArgumentException if {@code version} is negative
     */
    public static Condition version(long version) {
      if (version < 0) {
        throw new IllegalArgumentException("version must not be negative: " + version);
      }
      return new Condition(Kind.VERSION, version);
    }

    /** A blob of any version must be stored. */
    public static Condition exists() {
      return EXISTS;
    }

    /** Nothing may be stored: neither a blob nor a tombstone. */
    public static Condition absent() {
      return ABSENT;
    }

    /** Anything but a tombstone: nothing, or a blob of any version. */
    public static Condition notInvalidated() {
      return NOT_INVALIDATED;
    }

    public Kind kind() {
      return kind;
    }

    /**
     * The expected version.
     *
     * @throws IllegalStateException unless this is a {@link Kind#VERSION} condition
     */
    public long version() {
      if (kind != Kind.VERSION) {
        throw new IllegalStateException("a " + kind + " condition has no version");
      }
      return version;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Condition c && c.kind == kind && c.version == version;
    }

    @Override
    public int hashCode() {
      return kind.hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
      return kind == Kind.VERSION ? "VERSION " + version : kind.toString();
    }
  }

  /**
   * What a store holds under one key: nothing, a tombstone, or a blob and its version. Immutable
   * and thread-safe; the blob is copied on the way in and out.
   */
  final class Stored {
    /** The three things a key can hold. */
    public enum State {
      ABSENT,
      TOMBSTONE,
      PRESENT
    }

    // Only a present entry has a blob; the others hold an empty one, never handed out.
    private static final Stored ABSENT = new Stored(State.ABSENT, new byte[0], -1);
    private static final Stored TOMBSTONE = new Stored(State.TOMBSTONE, new byte[0], -1);

    private final State state;
    private final byte[] blob;
    private final long version;

    private Stored(State state, byte[] blob, long version) {
      this.state = state;
      this.blob = blob;
      this.version = version;
    }

    /** Nothing is stored, or what was has expired. */
    public static Stored absent() {
      return ABSENT;
    }

    /** The key was signed out and its tombstone has not expired. */
    public static Stored tombstone() {
      return TOMBSTONE;
    }

    /**
     * A blob at a version.
     *
     * @throws IllegalArgumentException if {@code version} is negative
     */
    public static Stored present(byte[] blob, long version) {
      requireNonNull(blob, "blob");
      if (version < 0) {
        throw new IllegalArgumentException("version must not be negative: " + version);
      }
      return new Stored(State.PRESENT, blob.clone(), version);
    }

    public State state() {
      return state;
    }

    /**
     * A copy of the blob.
     *
     * @throws IllegalStateException unless the state is {@link State#PRESENT}
     */
    public byte[] blob() {
      requirePresent("blob");
      return blob.clone();
    }

    /**
     * The blob's size in bytes, without copying it.
     *
     * @throws IllegalStateException unless the state is {@link State#PRESENT}
     */
    public int blobLength() {
      requirePresent("blob");
      return blob.length;
    }

    /**
     * The blob's version.
     *
     * @throws IllegalStateException unless the state is {@link State#PRESENT}
     */
    public long version() {
      requirePresent("version");
      return version;
    }

    private void requirePresent(String what) {
      if (state != State.PRESENT) {
        throw new IllegalStateException("no " + what + ": the key holds " + state);
      }
    }

    /** The state and version, never the blob's bytes. */
    @Override
    public String toString() {
      return state == State.PRESENT
          ? "PRESENT version " + version + " (" + blob.length + " bytes)"
          : state.toString();
    }
  }

  /**
   * The outcome of a conditional save: saved (with the new version), a conflict (with what is
   * stored instead, so the caller can merge without another load), or gone (a tombstone, or nothing
   * where a blob was expected). Immutable and thread-safe.
   */
  final class Outcome {
    /** The three outcomes. */
    public enum Status {
      SAVED,
      CONFLICT,
      GONE
    }

    private static final Outcome GONE = new Outcome(Status.GONE, -1, null);

    private final Status status;
    private final long version;

    /** The entry that is there instead; set for a conflict only. */
    private final @Nullable Stored current;

    private Outcome(Status status, long version, @Nullable Stored current) {
      this.status = status;
      this.version = version;
      this.current = current;
    }

    /** The blob was stored at {@code version}. */
    public static Outcome saved(long version) {
      if (version < 0) {
        throw new IllegalArgumentException("version must not be negative: " + version);
      }
      return new Outcome(Status.SAVED, version, null);
    }

    /**
     * Nothing was stored: another blob, {@code currentBlob} at {@code currentVersion}, is there.
     */
    public static Outcome conflict(byte[] currentBlob, long currentVersion) {
      return new Outcome(Status.CONFLICT, -1, Stored.present(currentBlob, currentVersion));
    }

    /** Nothing was stored: the key holds a tombstone, or nothing where a blob was expected. */
    public static Outcome gone() {
      return GONE;
    }

    public Status status() {
      return status;
    }

    /**
     * The version the blob was stored at.
     *
     * @throws IllegalStateException unless the status is {@link Status#SAVED}
     */
    public long version() {
      if (status != Status.SAVED) {
        throw new IllegalStateException("no new version: the outcome is " + status);
      }
      return version;
    }

    /**
     * What is stored instead, for a conflict: always {@link Stored.State#PRESENT}.
     *
     * @throws IllegalStateException unless the status is {@link Status#CONFLICT}
     */
    public Stored current() {
      Stored conflicting = current;
      if (status != Status.CONFLICT || conflicting == null) {
        throw new IllegalStateException("no current entry: the outcome is " + status);
      }
      return conflicting;
    }

    @Override
    public String toString() {
      return switch (status) {
        case SAVED -> "SAVED version " + version;
        case CONFLICT -> "CONFLICT with " + current;
        case GONE -> "GONE";
      };
    }
  }
}
