package io.sessionstate.spi;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
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
   * blob's expiry slides to at least {@code ttl} from now in the same operation, as {@link
   * SessionStore#loadAndTouch} says; a tombstone's is left as it is. One round trip.
   *
   * @param key the store key
   * @param ttl the blob's new time to live, positive
   * @return what the key holds
   */
  Stored loadVersioned(String key, Duration ttl);

  /**
   * Stores {@code blob} under {@code key}, to expire after {@code ttl}, if and only if what is
   * stored there meets {@code condition}; the check and the write are atomic. A tombstone is never
   * overwritten: under any condition it gives {@link Outcome#gone()}. One round trip.
   *
   * @param key the store key
   * @param condition what must be stored under the key for the write to happen
   * @param blob the session's encoded bytes
   * @param ttl how long the blob lives, positive
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
   *
   * @param key the store key
   * @param tombstoneTtl how long the tombstone lives, positive
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
   *
   * @param oldKey the key the session is stored under now
   * @param condition what must be stored under {@code oldKey} for the move to happen
   * @param newKey the key to store the session under instead
   * @param blob the session's encoded bytes
   * @param ttl how long the blob lives under {@code newKey}, positive
   * @param tombstoneTtl how long the tombstone under {@code oldKey} lives, positive
   * @return what came of the move
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
      /** A blob of one version: see {@link #version(long)}. */
      VERSION,
      /** A blob of any version: see {@link #exists()}. */
      EXISTS,
      /** Nothing at all: see {@link #absent()}. */
      ABSENT,
      /** Anything but a tombstone: see {@link #notInvalidated()}. */
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
     * {@return the condition that a blob of exactly {@code version} is stored}
     *
     * @param version the version the stored blob must have, not negative
     * @throws IllegalArgumentException if {@code version} is negative
     */
    public static Condition version(long version) {
      if (version < 0) {
        throw new IllegalArgumentException("version must not be negative: " + version);
      }
      return new Condition(Kind.VERSION, version);
    }

    /** {@return the condition that a blob of any version is stored} */
    public static Condition exists() {
      return EXISTS;
    }

    /** {@return the condition that nothing is stored: neither a blob nor a tombstone} */
    public static Condition absent() {
      return ABSENT;
    }

    /**
     * Anything but a tombstone: nothing, or a blob of any version.
     *
     * @return the condition that no tombstone is stored
     */
    public static Condition notInvalidated() {
      return NOT_INVALIDATED;
    }

    /** {@return the kind of this condition} */
    public Kind kind() {
      return kind;
    }

    /**
     * {@return the expected version}
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
   * and thread-safe; the blob is copied on the way in and out, except through {@link
   * #presentUncopied} and {@link #blobView()}, which a store and a reader use where a copy would
   * guard nothing.
   */
  final class Stored {
    /** The three things a key can hold. */
    public enum State {
      /** Nothing is stored, or what was has expired. */
      ABSENT,
      /** The key was signed out; its tombstone has not expired. */
      TOMBSTONE,
      /** A blob is stored, at a version. */
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

    /** {@return the state of a key where nothing is stored, or what was has expired} */
    public static Stored absent() {
      return ABSENT;
    }

    /** {@return the state of a key that was signed out and whose tombstone has not expired} */
    public static Stored tombstone() {
      return TOMBSTONE;
    }

    /**
     * {@return a stored blob at a version}
     *
     * @param blob the blob; copied
     * @param version the blob's version, not negative
     * @throws IllegalArgumentException if {@code version} is negative
     */
    public static Stored present(byte[] blob, long version) {
      requireNonNull(blob, "blob");
      if (version < 0) {
        throw new IllegalArgumentException("version must not be negative: " + version);
      }
      return new Stored(State.PRESENT, blob.clone(), version);
    }

    /**
     * A blob at a version, taking {@code blob} itself rather than a copy: for a store that hands
     * over an array nothing will change again, such as a fresh reply from its server or an array it
     * never writes to. {@link #blob()} still returns copies; {@link #blobView()} reads it in place.
     *
     * @param blob the stored bytes, which the caller hands over and never writes again
     * @param version the blob's version, zero or more
     * @return a present blob
     * @throws IllegalArgumentException if {@code version} is negative
     */
    public static Stored presentUncopied(byte[] blob, long version) {
      requireNonNull(blob, "blob");
      if (version < 0) {
        throw new IllegalArgumentException("version must not be negative: " + version);
      }
      return new Stored(State.PRESENT, blob, version);
    }

    /** {@return what the key holds} */
    public State state() {
      return state;
    }

    /**
     * {@return a copy of the blob}
     *
     * @throws IllegalStateException unless the state is {@link State#PRESENT}
     */
    public byte[] blob() {
      requirePresent("blob");
      return blob.clone();
    }

    /**
     * A read-only view of the blob, without a copy. Nothing writes the blob once it is here (see
     * {@link #presentUncopied}), so a reader may keep the view: a session reads its values from it
     * as the request asks for them.
     *
     * @return the blob, read-only, positioned at its start
     * @throws IllegalStateException unless the state is {@link State#PRESENT}
     */
    public ByteBuffer blobView() {
      requirePresent("blob");
      return ByteBuffer.wrap(blob).asReadOnlyBuffer();
    }

    /**
     * {@return the blob's size in bytes, without copying it}
     *
     * @throws IllegalStateException unless the state is {@link State#PRESENT}
     */
    public int blobLength() {
      requirePresent("blob");
      return blob.length;
    }

    /**
     * {@return the blob's version}
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
      /** The blob was stored; {@link Outcome#version()} says at which version. */
      SAVED,
      /** Another blob is stored; {@link Outcome#current()} says which. */
      CONFLICT,
      /** The key holds a tombstone, or nothing where a blob was expected. */
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

    /**
     * {@return the outcome of a write that stored the blob at {@code version}}
     *
     * @param version the new version, not negative
     */
    public static Outcome saved(long version) {
      if (version < 0) {
        throw new IllegalArgumentException("version must not be negative: " + version);
      }
      return new Outcome(Status.SAVED, version, null);
    }

    /**
     * {@return the outcome of a write that stored nothing because another blob, {@code currentBlob}
     * at {@code currentVersion}, is there}
     *
     * @param currentBlob the blob stored instead; copied
     * @param currentVersion that blob's version, not negative
     */
    public static Outcome conflict(byte[] currentBlob, long currentVersion) {
      return new Outcome(Status.CONFLICT, -1, Stored.present(currentBlob, currentVersion));
    }

    /**
     * {@return the outcome of a write that stored nothing because the key holds a tombstone, or
     * nothing where a blob was expected}
     */
    public static Outcome gone() {
      return GONE;
    }

    /** {@return whether the write happened, and if not, why} */
    public Status status() {
      return status;
    }

    /**
     * {@return the version the blob was stored at}
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
     * {@return what is stored instead, for a conflict: always {@link Stored.State#PRESENT}}
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
