package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a loaded, changed session: carries out the {@link CommitDecision} of its key state through
 * the store calls (conditionally, in the manager's {@link CommitMode}, over a store with versions),
 * then records the outcome in the session's state, in this node's {@link IdleSlides} and with the
 * listener. Holds no state of its own.
 */
final class SessionCommit {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** The future of every commit made on the caller's thread, which that caller only awaits. */
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  // Whether a write landed, as the steps inside a commit pass it on; never handed out.
  private static final CompletableFuture<Boolean> LANDED = CompletableFuture.completedFuture(true);
  private static final CompletableFuture<Boolean> NOT_LANDED =
      CompletableFuture.completedFuture(false);

  private final SessionOptions options;
  private final StoreCalls calls;
  private final IdleSlides slides;

  SessionCommit(SessionOptions options, StoreCalls calls, IdleSlides slides) {
    this.options = options;
    this.calls = calls;
    this.slides = slides;
  }

  /**
   * Writes {@code s}, which is loaded and modified; completes when the store has it. With {@code
   * callerWaits} the store is called on this thread, so the future is complete on return.
   */
  CompletableFuture<Void> write(SessionState s, boolean callerWaits) {
    byte[] id = s.values.id(options.clock());
    // Only a listener reads the id as text: without one, a commit spends nothing on it, and the
    // no-op listener is handed the empty string.
    String sessionId =
        options.listener() == SessionListener.NONE ? "" : HexFormat.of().formatHex(id);
    CommitDecision decision = s.key.commitDecision(s.values.isEmpty(), calls.canReplace());
    if (calls.versioned() != null) {
      return commitVersioned(s, sessionId, decision, callerWaits);
    }
    CompletableFuture<Void> write;
    if (decision instanceof CommitDecision.Delete delete) {
      write = calls.delete(delete, callerWaits);
    } else if (decision instanceof CommitDecision.Write w) {
      byte[] blob;
      try {
        blob = s.values.encode(options.blobKeys(), w.key(), options.clock());
      } catch (SessionDataException e) {
        options.notify("failed", l -> l.failed(sessionId, "commit", e));
        return CompletableFuture.failedFuture(e);
      }
      write =
          calls.write(
              w,
              blob,
              options.ttl(
                  s.values.createdAtMillis(options.clock()), s.values.ownIdleTimeoutMillis()),
              callerWaits);
    } else {
      s.modified = false; // nothing was stored and nothing is
      return CompletableFuture.completedFuture(null);
    }
    return write.handle(
        (ignored, failure) -> {
          if (failure != null) {
            SessionException error = (SessionException) StoreCalls.unwrap(failure);
            options.notify("failed", l -> l.failed(sessionId, "commit", error));
            throw new CompletionException(error);
          }
          s.key.committed(decision);
          s.modified = false;
          if (s.changes != null) {
            s.changes.reset();
          }
          for (String stale : decision.staleKeys()) {
            slides.forget(stale);
          }
          if (decision instanceof CommitDecision.Write w) {
            slides.slid(w.key(), s.values.ownIdleTimeoutMillis());
            if (w.created()) {
              options.notify("created", l -> l.created(sessionId));
            }
            if (w.regenerated()) {
              options.notify("regenerated", l -> l.regenerated(sessionId));
            }
          }
          options.notify("committed", l -> l.committed(sessionId));
          return null;
        });
  }

  // ---- through a store with versions

  /**
   * The most writes one {@link CommitMode#MERGE} commit makes before it gives up. The first
   * conflict costs one more write (the refusal carries what is stored); each later one a pause, a
   * read and a write. A session that changes this often under one commit, even with the pauses
   * spreading its writers out, is a hot spot the application should hear of.
   */
  static final int MAX_MERGE_ATTEMPTS = 32;

  /**
   * The longest pause before the third write of a merge; each later one may be twice as long, up to
   * {@link #MAX_MERGE_PAUSE}, and the pause is a random part of it.
   */
  static final Duration FIRST_MERGE_PAUSE = Duration.ofMillis(2);

  /** The longest pause between two writes of a merge. */
  static final Duration MAX_MERGE_PAUSE = Duration.ofMillis(50);

  /**
   * Commits through a store with versions: the write is conditional, so a session loaded as
   * existing is written only if it still exists (in {@link CommitMode#MERGE} and {@link
   * CommitMode#STRICT}: only if it is still the version this request loaded), and a signed-out key
   * is never written. Keys this commit leaves behind get tombstones.
   */
  private CompletableFuture<Void> commitVersioned(
      SessionState s, String sessionId, CommitDecision decision, boolean callerWaits) {
    if (decision instanceof CommitDecision.Delete delete) {
      // An emptied session is deleted as it was (not signed out); the keys it was moved away from
      // get tombstones.
      String emptied = s.key.stored() ? s.key.current() : null;
      return finishCommit(
          s,
          sessionId,
          decision,
          calls
              .invalidate(delete.keys(), emptied, options.tombstoneTtl(), callerWaits)
              .thenApply(v -> true),
          callerWaits);
    }
    if (!(decision instanceof CommitDecision.Write w)) {
      s.modified = false; // nothing was stored and nothing is
      return CompletableFuture.completedFuture(null);
    }
    String from = s.key.movedFrom();
    boolean hasVersion = from != null || s.key.stored();
    long version = from != null ? s.key.movedFromVersion() : s.key.version();
    CompletableFuture<Boolean> first =
        attempt(s, sessionId, w, from, condition(hasVersion, version), 1, callerWaits);
    if (w.staleKeys().isEmpty()) {
      // The usual commit: nothing left to end once the session landed.
      return finishCommit(s, sessionId, decision, first, callerWaits);
    }
    CompletableFuture<Boolean> write =
        first.thenCompose(
            landed -> {
              if (!landed) {
                return CompletableFuture.completedFuture(false);
              }
              // Keys other than the one moved from (a key past its absolute lifetime) end
              // with a tombstone too, once the session is safely under its new key.
              List<String> others = new ArrayList<>(w.staleKeys());
              others.remove(from);
              return others.isEmpty()
                  ? CompletableFuture.completedFuture(true)
                  : calls
                      .invalidate(others, null, options.tombstoneTtl(), callerWaits)
                      .thenApply(v -> true);
            });
    return finishCommit(s, sessionId, decision, write, callerWaits);
  }

  /** The condition of a write over an entry at {@code version}, or over none. */
  private Condition condition(boolean hasVersion, long version) {
    boolean coherent = options.commitMode() == CommitMode.COHERENT;
    if (hasVersion) {
      return coherent ? Condition.exists() : Condition.version(version);
    }
    return coherent ? Condition.notInvalidated() : Condition.absent();
  }

  /**
   * One conditional write and what follows from its outcome; completes with whether the session
   * landed in the store.
   */
  private CompletableFuture<Boolean> attempt(
      SessionState s,
      String sessionId,
      CommitDecision.Write w,
      @Nullable String from,
      Condition condition,
      int attempt,
      boolean callerWaits) {
    byte[] blob;
    try {
      blob = s.values.encode(options.blobKeys(), w.key(), options.clock());
    } catch (SessionDataException e) {
      return CompletableFuture.failedFuture(e);
    }
    Duration ttl =
        options.ttl(s.values.createdAtMillis(options.clock()), s.values.ownIdleTimeoutMillis());
    CompletableFuture<Outcome> write =
        from != null
            ? calls.replaceIf(
                from, condition, w.key(), blob, ttl, options.tombstoneTtl(), callerWaits)
            : calls.saveIf(w.key(), condition, blob, ttl, callerWaits);
    if (write.isDone()) {
      // Called on this thread: what follows runs now, without a dependent future.
      try {
        return afterWrite(s, sessionId, w, from, attempt, callerWaits, write.join());
      } catch (CompletionException e) {
        return CompletableFuture.failedFuture(e);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(new CompletionException(e));
      }
    }
    return write.thenCompose(
        outcome -> afterWrite(s, sessionId, w, from, attempt, callerWaits, outcome));
  }

  /**
   * What follows from the outcome of a conditional write; completes with whether the session landed
   * in the store.
   */
  private CompletableFuture<Boolean> afterWrite(
      SessionState s,
      String sessionId,
      CommitDecision.Write w,
      @Nullable String from,
      int attempt,
      boolean callerWaits,
      Outcome outcome) {
    switch (outcome.status()) {
      case SAVED:
        s.key.storedAt(outcome.version());
        return LANDED;
      case GONE:
        if (options.commitMode() == CommitMode.STRICT) {
          throw new CompletionException(
              new SessionConflictException(
                  "session commit refused: the session was invalidated, moved to a new key"
                      + " or expired since this request loaded it"));
        }
        // Signed out (or moved, or expired) meanwhile: the sign-out wins, and this
        // request's changes go with the session.
        log.debug(
            "Session {} was ended by a concurrent request; this request's changes are dropped",
            HexFormat.of().formatHex(s.values.id(options.clock())));
        s.key.gone();
        return NOT_LANDED;
      default:
        break;
    }
    Stored current = outcome.current();
    if (options.commitMode() == CommitMode.STRICT) {
      throw new CompletionException(
          new SessionConflictException(
              "session commit refused: another request committed the session since this"
                  + " request loaded it"));
    }
    if (attempt >= MAX_MERGE_ATTEMPTS) {
      throw new CompletionException(
          new SessionConflictException(
              "session commit gave up: the session changed under each of "
                  + MAX_MERGE_ATTEMPTS
                  + " attempts to merge this request's changes"));
    }
    String storedKey = from != null ? from : w.key();
    if (options.commitMode() == CommitMode.MERGE && attempt > 1) {
      return mergeAfterPause(s, sessionId, w, from, storedKey, current, attempt, callerWaits);
    }
    if (options.commitMode() == CommitMode.MERGE) {
      mergeInto(s, storedKey, current);
    }
    // COHERENT meets a conflict only where its condition met a session created meanwhile;
    // its own whole session still wins, over that version.
    return attempt(
        s, sessionId, w, from, condition(true, current.version()), attempt + 1, callerWaits);
  }

  /**
   * A merge after a second conflict: several requests are writing the session at once. Each round
   * of conflicts lets exactly one of them through, so writers that all retried at once would need
   * as many writes as there are writers, and past {@link #MAX_MERGE_ATTEMPTS} of them the rest
   * would fail. A random pause, doubling with each try, spreads them out; the session is read again
   * after it, so the write that follows meets a version at most one round trip old.
   */
  private CompletableFuture<Boolean> mergeAfterPause(
      SessionState s,
      String sessionId,
      CommitDecision.Write w,
      @Nullable String from,
      String storedKey,
      Stored refused,
      int attempt,
      boolean callerWaits) {
    long bound =
        Math.min(
            MAX_MERGE_PAUSE.toNanos(), FIRST_MERGE_PAUSE.toNanos() << Math.min(attempt - 2, 20));
    Duration pause = Duration.ofNanos(ThreadLocalRandom.current().nextLong(bound + 1));
    Duration ttl =
        options.ttl(s.values.createdAtMillis(options.clock()), s.values.ownIdleTimeoutMillis());
    return calls
        .pause(pause, callerWaits)
        .thenCompose(ignored -> calls.load(storedKey, ttl, callerWaits))
        .thenCompose(
            stored -> {
              if (stored.state() != Stored.State.PRESENT) {
                // Signed out, moved or expired meanwhile: the conditional write finds it gone.
                return attempt(
                    s,
                    sessionId,
                    w,
                    from,
                    condition(true, refused.version()),
                    attempt + 1,
                    callerWaits);
              }
              mergeInto(s, storedKey, stored);
              return attempt(
                  s,
                  sessionId,
                  w,
                  from,
                  condition(true, stored.version()),
                  attempt + 1,
                  callerWaits);
            });
  }

  /**
   * Applies this request's changes again over {@code current}, the session another request
   * committed: its id, creation time and the values this request did not write are kept.
   */
  private void mergeInto(SessionState s, String storeKey, Stored current) {
    BlobFormat.Contents theirs = SessionState.decode(storeKey, current.blobView(), options);
    if (theirs == null) {
      // What they stored cannot be read: ours replaces it, as a commit over unreadable data does.
      return;
    }
    s.values =
        s.values.loaded(
            new BlobFormat.Contents(
                theirs.id(),
                theirs.createdAtMillis(),
                // The session's own idle timeout is not a per-key change: this request's stands.
                s.values.ownIdleTimeoutMillis(),
                requireNonNull(s.changes, "a merge keeps its changes").applyTo(theirs.values())));
  }

  /**
   * Records a finished commit, or reports its failure; {@code write} completes with whether the
   * decision was carried out, false when the session was gone and nothing was written.
   */
  private CompletableFuture<Void> finishCommit(
      SessionState s,
      String sessionId,
      CommitDecision decision,
      CompletableFuture<Boolean> write,
      boolean callerWaits) {
    if (write.isDone()) {
      Boolean landed = null;
      Throwable failure = null;
      try {
        landed = write.join();
      } catch (CompletionException | CancellationException e) {
        failure = e;
      }
      try {
        recordCommit(s, sessionId, decision, landed, failure);
      } catch (CompletionException e) {
        return CompletableFuture.failedFuture(e);
      }
      // A caller that waits only awaits the future, never hands it out: one shared one serves.
      return callerWaits ? DONE : CompletableFuture.completedFuture(null);
    }
    return write.handle((landed, failure) -> recordCommit(s, sessionId, decision, landed, failure));
  }

  /** Records a commit: {@code landed} false when the session was gone and nothing was written. */
  private @Nullable Void recordCommit(
      SessionState s,
      String sessionId,
      CommitDecision decision,
      @Nullable Boolean landed,
      @Nullable Throwable failure) {
    if (failure != null) {
      Throwable cause = StoreCalls.unwrap(failure);
      SessionException error =
          cause instanceof SessionException e
              ? e
              : new SessionStoreException(calls.store().name(), "commit", cause);
      options.notify("failed", l -> l.failed(sessionId, "commit", error));
      throw new CompletionException(error);
    }
    s.modified = false;
    if (s.changes != null) {
      s.changes.reset();
    }
    if (!Boolean.TRUE.equals(landed)) {
      return null; // gone: nothing was written, no event but the debug line
    }
    s.key.committed(decision);
    for (String stale : decision.staleKeys()) {
      slides.forget(stale);
    }
    if (decision instanceof CommitDecision.Write w) {
      slides.slid(w.key(), s.values.ownIdleTimeoutMillis());
      if (w.created()) {
        options.notify("created", l -> l.created(sessionId));
      }
      if (w.regenerated()) {
        options.notify("regenerated", l -> l.regenerated(sessionId));
      }
    }
    options.notify("committed", l -> l.committed(sessionId));
    return null;
  }

  /** The failure a commit reports for changes made while the session could not be loaded. */
  SessionStoreException droppedChanges(SessionState s) {
    int n = s.droppedChanges;
    SessionStoreException error =
        new SessionStoreException(
            calls.store().name(),
            "commit",
            "the session could not be loaded, so "
                + n
                + (n == 1 ? " change" : " changes")
                + " made by this request "
                + (n == 1 ? "was" : "were")
                + " not kept",
            s.unavailableBecause);
    options.notify("failed", l -> l.failed(null, "commit", error));
    return error;
  }
}
