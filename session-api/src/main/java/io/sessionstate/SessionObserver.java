package io.sessionstate;

import org.jspecify.annotations.Nullable;

/**
 * Receives what a meter needs of a {@link SessionManager}: the timing and outcome of every store
 * operation, and the events of sessions' lives. It is the seam a metrics binding (such as {@code
 * session-micrometer}) implements; set it with {@link SessionManager.Builder
 * SessionManager.Builder.observer(SessionObserver)}.
 *
 * <p>Nothing that names or holds a session reaches an observer: no session key, no cookie, no
 * session id, no stored value and no exception message (a store's error can quote what it was
 * given), only the store's name, enumerated kinds, the class of an error, numbers of nanoseconds,
 * bytes and values.
 *
 * <p>Every method has an empty default. Methods are called on the thread that made the store call
 * or caused the event, so they must be thread-safe and quick; an exception thrown by an observer is
 * logged and otherwise ignored. The parameters are plain values rather than an event object so that
 * an observation allocates nothing. With the default, {@link #NONE}, the manager calls its store
 * directly and pays nothing for observation.
 */
public interface SessionObserver {

  /** An observer that ignores everything; the manager then does not observe at all. */
  SessionObserver NONE = new SessionObserver() {};

  /**
   * One store operation finished.
   *
   * @param storeName the store's {@link io.sessionstate.spi.SessionStore#name() name}, such as
   *     {@code memory}, {@code redis} or {@code postgresql}
   * @param operation what the manager asked of the store
   * @param outcome how it ended
   * @param errorType for {@link StoreOutcome#ERROR} and {@link StoreOutcome#TIMEOUT}, the class of
   *     the store's own error (the first cause that is not a {@link SessionException}, or the
   *     exception itself when there is none); null otherwise
   * @param durationNanos how long the call took, on {@link System#nanoTime()}
   * @param blobBytes the size of the blob loaded or written, or -1 when the call carried none
   * @param valueCount for a call that wrote a blob, the number of entries in it ({@link TempData}'s
   *     values count as one); -1 for a load (its blob is counted when the session reads it, not
   *     before it is verified) and for a call that wrote no blob
   */
  default void storeCall(
      String storeName,
      StoreOperation operation,
      StoreOutcome outcome,
      @Nullable Class<? extends Throwable> errorType,
      long durationNanos,
      int blobBytes,
      int valueCount) {}

  /**
   * Something happened in a session's life.
   *
   * @param storeName the name of the manager's store, for telling managers apart
   * @param event what happened
   */
  default void sessionEvent(String storeName, Event event) {}

  /** What the manager asked of its store. */
  enum StoreOperation {
    /** A load that slides the expiry: {@code loadAndTouch} or {@code loadVersioned}. */
    LOAD("load"),
    /** An unconditional save. */
    SAVE("save"),
    /** A save under a condition on what is stored ({@code saveIf}). */
    CONDITIONAL_SAVE("conditional_save"),
    /** A slide of the expiry alone. */
    TOUCH("touch"),
    /** A removal. */
    DELETE("delete"),
    /** A tombstone written over a signed-out key. */
    INVALIDATE("invalidate"),
    /** A move to a new key in one operation. */
    REPLACE("replace"),
    /** A move to a new key under a condition on the old one ({@code replaceIf}). */
    CONDITIONAL_REPLACE("conditional_replace"),
    /**
     * A call of a store capability this release does not name; the store keeps the capability, and
     * its calls are timed under this operation.
     */
    OTHER("other");

    private final String tagValue;

    StoreOperation(String tagValue) {
      this.tagValue = tagValue;
    }

    /**
     * {@return the lower-case name, for a tag or a label: {@code load}, {@code conditional_save},
     * ...}
     */
    public String tagValue() {
      return tagValue;
    }
  }

  /** How a store operation ended. */
  enum StoreOutcome {
    /** Done: a load found a blob, a write was stored. */
    OK("ok"),
    /**
     * Nothing there: a load found no blob (or a tombstone), or a conditional write found no session
     * where it expected one and was dropped.
     */
    ABSENT("absent"),
    /** A conditional write found another version of the session and wrote nothing. */
    CONFLICT("conflict"),
    /** The store gave up waiting on its server (a socket or operation timeout). */
    TIMEOUT("timeout"),
    /** The store failed; {@code errorType} says with what. */
    ERROR("error");

    private final String tagValue;

    StoreOutcome(String tagValue) {
      this.tagValue = tagValue;
    }

    /** {@return the lower-case name, for a tag or a label: {@code ok}, {@code absent}, ...} */
    public String tagValue() {
      return tagValue;
    }
  }

  /** An event of a session's life. */
  enum Event {
    /** A new session was stored for the first time. */
    CREATED("created"),
    /** A session was ended by {@link Session#invalidate()}. */
    INVALIDATED("invalidated"),
    /** A session was moved to a new key by {@link Session#regenerateId()}. */
    REGENERATED("regenerated"),
    /** A stored blob could not be read; the request went on with an empty session. */
    UNREADABLE_DATA("unreadable_data"),
    /** One value could not be decoded by the value codec; the other values were read. */
    UNREADABLE_VALUE("unreadable_value"),
    /**
     * A conditional write met another request's version of the session; depending on the {@link
     * CommitMode} the commit merges and tries again, writes over it, or fails.
     */
    CONFLICT("conflict"),
    /**
     * A commit's write was dropped because the session was signed out, moved to a new key or
     * expired meanwhile.
     */
    DROPPED_WRITE("dropped_write");

    private final String tagValue;

    Event(String tagValue) {
      this.tagValue = tagValue;
    }

    /**
     * {@return the lower-case name, for a tag or a label: {@code created}, {@code dropped_write},
     * ...}
     */
    public String tagValue() {
      return tagValue;
    }
  }
}
