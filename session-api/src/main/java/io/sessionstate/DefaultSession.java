package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.SessionState.Phase;
import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Outcome;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session of one request. State moves one way: unloaded, then loaded (or unavailable when a
 * synchronous load failed). Changes are kept in memory and written as one blob at commit.
 *
 * <p>The parts: {@link SessionState} holds what an invalidation ends, made of {@link SessionValues}
 * (the contents and their size) and {@link SessionKey} (the key and cookie state, which decides
 * what a commit writes as a {@link CommitDecision}); {@link StoreCalls} runs the store calls. This
 * class sequences them and applies the request-level rules.
 */
final class DefaultSession implements Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final SessionOptions options;
  private final StoreCalls calls;
  private final IdleSlides slides;
  private final BooleanSupplier responseStarted;

  /**
   * The load in flight, so a second loadAsync() or a read waits for it instead of loading again.
   * Never handed out: a caller gets a copy, so cancelling or timing out its future cannot stop the
   * load or leave the session half loaded.
   */
  private CompletableFuture<Void> loading;

  /** Whether this request asked the store for the session, whatever came of it. */
  private boolean loadTried;

  /** Whether the commit of an untouched request with a cookie under an older key loaded already. */
  private boolean loadedToResign;

  private SessionState state;

  /**
   * A session for the store key from the request's verified cookie, or null for none; {@code
   * cookieUnderPrimaryKey} says whether the ring's primary key signed that cookie.
   */
  DefaultSession(
      SessionOptions options,
      StoreCalls calls,
      IdleSlides slides,
      String cookieKey,
      boolean cookieUnderPrimaryKey,
      BooleanSupplier responseStarted) {
    this.options = options;
    this.calls = calls;
    this.slides = slides;
    this.responseStarted = responseStarted;
    this.state = SessionState.unloaded(cookieKey, options);
    if (cookieKey != null && !cookieUnderPrimaryKey) {
      state.key.resignCookie();
    }
  }

  // ---- loading

  @Override
  public CompletableFuture<Void> loadAsync() {
    CompletableFuture<Void> load = load();
    return load.isDone() ? load : load.copy();
  }

  /** The session's own load, shared by every access of this request; never given to a caller. */
  private CompletableFuture<Void> load() {
    SessionState s = state;
    if (s.phase != Phase.UNLOADED) {
      return CompletableFuture.completedFuture(null);
    }
    String key = s.key.current();
    if (key == null) {
      // No cookie, so nothing can be stored: a new session costs no round trip.
      s.phase = Phase.LOADED;
      return CompletableFuture.completedFuture(null);
    }
    if (loading != null) {
      return loading;
    }
    Duration ttl = slides.loadTtl(key);
    loadTried = true;
    CompletableFuture<Void> load =
        calls
            .load(key, ttl)
            .handle(
                (stored, failure) -> {
                  if (failure != null) {
                    loading = null; // a later access may try once more, synchronously
                    SessionException error = (SessionException) StoreCalls.unwrap(failure);
                    options.notify("failed", l -> l.failed(null, "load", error));
                    throw new CompletionException(error);
                  }
                  // Into the state the load was for: if invalidate() ended it meanwhile, the
                  // loaded session is gone too.
                  s.applyLoaded(key, stored, ttl, options);
                  if (s.slidBy != null) {
                    slides.slid(key, s.values.ownIdleTimeoutMillis());
                  }
                  return null;
                });
    if (!load.isDone()) {
      loading = load;
    }
    return load;
  }

  /** Loads synchronously on first access, as ASP.NET Core does, unless the manager forbids it. */
  private void ensureLoaded() {
    if (state.phase != Phase.UNLOADED) {
      return;
    }
    CompletableFuture<Void> inFlight = loading;
    if (inFlight != null) {
      try {
        StoreCalls.await(inFlight);
        return;
      } catch (SessionException e) {
        // the async caller saw the failure; this access falls through to one synchronous try
      }
    }
    if (options.requireExplicitLoad()) {
      throw new IllegalStateException(
          "session accessed before loadAsync() completed, and requireExplicitLoad is on");
    }
    try {
      StoreCalls.await(load());
    } catch (SessionException e) {
      state.phase = Phase.UNAVAILABLE;
      state.unavailableBecause = e;
      log.warn("Session unavailable for this request: load failed: {}", e.getMessage());
    }
  }

  /**
   * Loads if needed; the state to change, or null when the session is unavailable, in which case
   * the change is counted as dropped, so the commit reports it instead of letting the request claim
   * a change that was not kept.
   */
  private SessionState availableForChange() {
    SessionState s = available();
    if (s == null) {
      state.droppedChanges++;
    }
    return s;
  }

  /** Loads if needed; the state to read or change, or null when the session is unavailable. */
  private SessionState available() {
    ensureLoaded();
    SessionState s = state;
    return s.phase == Phase.UNAVAILABLE ? null : s;
  }

  // ---- reads

  @Override
  public String id() {
    ensureLoaded();
    return HexFormat.of().formatHex(state.values.id(options.clock()));
  }

  @Override
  public Instant createdAt() {
    ensureLoaded();
    return Instant.ofEpochMilli(state.values.createdAtMillis(options.clock()));
  }

  @Override
  public boolean isNew() {
    ensureLoaded();
    return !state.key.existed();
  }

  @Override
  public boolean isAvailable() {
    ensureLoaded();
    return state.phase != Phase.UNAVAILABLE;
  }

  @Override
  public Set<String> keys() {
    ensureLoaded();
    Set<String> keys = new LinkedHashSet<>(state.values.keys());
    keys.remove(TempData.STORAGE_KEY);
    return Collections.unmodifiableSet(keys);
  }

  @Override
  public Optional<byte[]> tryGetValue(String key) {
    checkUserKey(key);
    return rawGet(key).map(byte[]::clone);
  }

  Optional<byte[]> rawGet(String key) {
    ensureLoaded();
    return Optional.ofNullable(state.values.get(key));
  }

  // The typed reads below only read the stored array and hand out a new object, so they skip the
  // copy tryGetValue makes: the caller never sees the array.

  @Override
  public Optional<String> getString(String key) {
    checkUserKey(key);
    return rawGet(key).map(v -> new String(v, StandardCharsets.UTF_8));
  }

  @Override
  public Optional<Integer> getInt32(String key) {
    checkUserKey(key);
    return rawGet(key).filter(v -> v.length == 4).map(v -> ByteBuffer.wrap(v).getInt());
  }

  @Override
  public Optional<Long> getLong(String key) {
    checkUserKey(key);
    return rawGet(key).filter(v -> v.length == 8).map(v -> ByteBuffer.wrap(v).getLong());
  }

  @Override
  public <T> Optional<T> getObject(String key, Class<T> type) {
    requireNonNull(type, "type");
    ValueCodec codec = options.requireValueCodec();
    Optional<byte[]> bytes = tryGetValue(key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    T value;
    try {
      value = codec.decode(bytes.get(), type);
    } catch (RuntimeException e) {
      throw unreadable(key, type, e);
    }
    if (value == null) {
      // Optional.map would turn this into "absent", hiding a broken codec.
      throw new SessionDataException(
          "value codec " + codec.getClass().getName() + " decoded a value to null");
    }
    return Optional.of(value);
  }

  /**
   * The exception for a value the codec could not decode, reported to the listener the first time
   * this request meets it. The bytes stay: a node that cannot read a value may be the old build of
   * a rolling deploy, and the new one can. A caller that wants the value gone removes it, as the
   * Servlet bridge does.
   */
  private SessionDataException unreadable(String key, Class<?> type, RuntimeException failure) {
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
    SessionState s = state;
    if (s.firstUnreadable(key)) {
      // A session that holds a value has its id already: this assigns none.
      String sessionId = HexFormat.of().formatHex(s.values.id(options.clock()));
      options.notify("unreadableValue", l -> l.unreadableValue(sessionId, key, problem));
    }
    return problem;
  }

  // ---- writes

  @Override
  public void set(String key, byte[] value) {
    checkUserKey(key);
    requireNonNull(value, "value");
    rawSet(key, value.clone());
  }

  /** Sets a value the caller will not touch again. */
  void rawSet(String key, byte[] value) {
    // The limits that need no load are checked before one.
    int keyBytes = state.values.checkEntry(key, value);
    SessionState s = availableForChange();
    if (s == null) {
      return;
    }
    s.values.checkPut(key, keyBytes, value);
    establish(s);
    s.values.put(key, keyBytes, value);
    s.changes.set(key, value);
    s.modified = true;
  }

  /**
   * Gives a new session its key; its cookie must be sent, so the response must not have started.
   */
  private void establish(SessionState s) {
    if (s.key.needsEstablishing()) {
      checkResponseNotStarted("established");
      s.key.establish(options.protector()::newSessionKey);
    }
    s.values.id(options.clock());
  }

  private void checkResponseNotStarted(String what) {
    if (responseStarted.getAsBoolean()) {
      throw new IllegalStateException(
          "The session cannot be "
              + what
              + " after the response has started: its cookie could no longer be sent."
              + " Set session values before writing the response.");
    }
  }

  @Override
  public void setString(String key, String value) {
    requireNonNull(value, "value");
    checkUserKey(key);
    rawSet(key, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void setInt32(String key, int value) {
    checkUserKey(key);
    rawSet(key, ByteBuffer.allocate(4).putInt(value).array());
  }

  @Override
  public void setLong(String key, long value) {
    checkUserKey(key);
    rawSet(key, ByteBuffer.allocate(8).putLong(value).array());
  }

  @Override
  public void setObject(String key, Object value) {
    checkUserKey(key);
    requireNonNull(value, "value");
    rawSet(key, options.requireValueCodec().encode(value));
  }

  @Override
  public void remove(String key) {
    checkUserKey(key);
    rawRemove(key);
  }

  void rawRemove(String key) {
    SessionState s = availableForChange();
    if (s != null && s.values.remove(key)) {
      s.changes.remove(key);
      s.modified = true;
    }
  }

  @Override
  public void clear() {
    SessionState s = availableForChange();
    if (s == null || s.values.isEmpty()) {
      return;
    }
    s.values.clear();
    s.changes.clear();
    s.modified = true;
    s.tempData = null;
  }

  @Override
  public void regenerateId() {
    SessionState s = availableForChange();
    if (s == null || s.key.current() == null) {
      return; // a new session gets a fresh key anyway when its first value is set
    }
    checkResponseNotStarted("given a new key");
    s.key.regenerate(options.protector().newSessionKey());
    s.modified = true;
  }

  @Override
  public void invalidate() {
    SessionState s = state;
    String sessionId = s.values.assignedId().map(HexFormat.of()::formatHex).orElse(null);
    CommitDecision deletion = s.key.invalidation(s.phase == Phase.LOADED);
    if (deletion instanceof CommitDecision.Delete delete) {
      try {
        // With versions, each key keeps a tombstone: a request still running with the old
        // cookie cannot write the session back, and the old cookie starts over under a new key.
        StoreCalls.await(
            calls.versioned() != null
                ? calls.invalidate(delete.keys(), null, options.tombstoneTtl())
                : calls.delete(delete));
      } catch (SessionException e) {
        options.notify("failed", l -> l.failed(sessionId, "invalidate", e));
        throw e;
      }
    }
    state = s.invalidated(options);
    options.notify("invalidated", l -> l.invalidated(sessionId));
  }

  @Override
  public Duration idleTimeout() {
    SessionState s = available();
    long own = s == null ? 0 : s.values.ownIdleTimeoutMillis();
    return own > 0 ? Duration.ofMillis(own) : options.idleTimeout();
  }

  @Override
  public void setIdleTimeout(Duration idleTimeout) {
    requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "idleTimeout must be positive: sessions that never expire are not supported: "
              + idleTimeout);
    }
    if (idleTimeout.compareTo(MIN_IDLE_TIMEOUT) < 0) {
      throw new IllegalArgumentException(
          "idleTimeout must be at least " + MIN_IDLE_TIMEOUT + ": " + idleTimeout);
    }
    if (idleTimeout.compareTo(MAX_IDLE_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "idleTimeout must be at most " + MAX_IDLE_TIMEOUT + ": " + idleTimeout);
    }
    SessionState s = availableForChange();
    if (s != null && s.values.setOwnIdleTimeout(idleTimeout.toMillis())) {
      s.modified = true;
    }
  }

  @Override
  public TempData tempData() {
    SessionState s = state;
    if (s.tempData == null) {
      s.tempData = new TempData(this);
    }
    return s.tempData;
  }

  // ---- commit

  @Override
  public CompletableFuture<Void> commitAsync() {
    SessionState s = state;
    CompletableFuture<Void> inFlight = loading;
    if (s.phase == Phase.UNLOADED && inFlight != null) {
      // Commit what the request did once its load lands; a failed load leaves nothing to commit.
      return inFlight.handle((ignored, failure) -> null).thenCompose(ignored -> commitAsync());
    }
    if (s.phase == Phase.UNLOADED && s.key.current() != null) {
      if (s.key.keyToResign() && !loadedToResign) {
        // The cookie was signed by an older key: load, so the blob is signed again and the
        // cookie re-issued, before that key is retired and would sign this visitor out.
        loadedToResign = true;
        return load().handle((ignored, failure) -> null).thenCompose(ignored -> commitAsync());
      }
      if (!loadTried) {
        slideUntouched(s.key.current());
      }
      return CompletableFuture.completedFuture(null);
    }
    if (s.phase == Phase.UNAVAILABLE) {
      return s.droppedChanges == 0
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(droppedChanges(s));
    }
    if (s.phase != Phase.LOADED) {
      return CompletableFuture.completedFuture(null);
    }
    if (s.tempData != null) {
      s.tempData.flush();
    }
    if (!s.modified) {
      slideByOwnTimeout(s);
      return CompletableFuture.completedFuture(null);
    }
    String sessionId = HexFormat.of().formatHex(s.values.id(options.clock()));
    CommitDecision decision = s.key.commitDecision(s.values.isEmpty(), calls.canReplace());
    if (calls.versioned() != null) {
      return commitVersioned(s, sessionId, decision);
    }
    CompletableFuture<Void> write;
    if (decision instanceof CommitDecision.Delete delete) {
      write = calls.delete(delete);
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
                  s.values.createdAtMillis(options.clock()), s.values.ownIdleTimeoutMillis()));
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
          s.changes.reset();
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

  // ---- commit through a store with versions

  /**
   * The most writes one {@link CommitMode#MERGE} commit makes before it gives up. Each conflict
   * costs one more round trip (the refusal carries what is stored, so there is no reload); a
   * session that changes this often under one commit is a hot spot the application should hear of.
   */
  static final int MAX_MERGE_ATTEMPTS = 10;

  /**
   * Commits through a store with versions: the write is conditional, so a session loaded as
   * existing is written only if it still exists (in {@link CommitMode#MERGE} and {@link
   * CommitMode#STRICT}: only if it is still the version this request loaded), and a signed-out key
   * is never written. Keys this commit leaves behind get tombstones.
   */
  private CompletableFuture<Void> commitVersioned(
      SessionState s, String sessionId, CommitDecision decision) {
    if (decision instanceof CommitDecision.Delete delete) {
      // An emptied session is deleted as it was (not signed out); the keys it was moved away from
      // get tombstones.
      String emptied = s.key.stored() ? s.key.current() : null;
      return finishCommit(
          s,
          sessionId,
          decision,
          calls.invalidate(delete.keys(), emptied, options.tombstoneTtl()).thenApply(v -> true));
    }
    if (!(decision instanceof CommitDecision.Write w)) {
      s.modified = false; // nothing was stored and nothing is
      return CompletableFuture.completedFuture(null);
    }
    String from = s.key.movedFrom();
    boolean hasVersion = from != null || s.key.stored();
    long version = from != null ? s.key.movedFromVersion() : s.key.version();
    CompletableFuture<Boolean> write =
        attempt(s, sessionId, w, from, condition(hasVersion, version), 1)
            .thenCompose(
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
                      : calls.invalidate(others, null, options.tombstoneTtl()).thenApply(v -> true);
                });
    return finishCommit(s, sessionId, decision, write);
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
      String from,
      Condition condition,
      int attempt) {
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
            ? calls.replaceIf(from, condition, w.key(), blob, ttl, options.tombstoneTtl())
            : calls.saveIf(w.key(), condition, blob, ttl);
    return write.thenCompose(
        outcome -> {
          switch (outcome.status()) {
            case SAVED:
              s.key.storedAt(outcome.version());
              return CompletableFuture.completedFuture(true);
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
                  "Session {} was ended by a concurrent request; this request's changes are"
                      + " dropped",
                  sessionId);
              s.key.gone();
              return CompletableFuture.completedFuture(false);
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
          if (options.commitMode() == CommitMode.MERGE) {
            mergeInto(s, storedKey, current);
          }
          // COHERENT meets a conflict only where its condition met a session created meanwhile;
          // its own whole session still wins, over that version.
          return attempt(s, sessionId, w, from, condition(true, current.version()), attempt + 1);
        });
  }

  /**
   * Applies this request's changes again over {@code current}, the session another request
   * committed: its id, creation time and the values this request did not write are kept.
   */
  private void mergeInto(SessionState s, String storeKey, Stored current) {
    BlobFormat.Contents theirs = SessionState.decode(storeKey, current.blob(), options);
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
                s.changes.applyTo(theirs.values())));
  }

  /**
   * Records a finished commit, or reports its failure; {@code write} completes with whether the
   * decision was carried out, false when the session was gone and nothing was written.
   */
  private CompletableFuture<Void> finishCommit(
      SessionState s, String sessionId, CommitDecision decision, CompletableFuture<Boolean> write) {
    return write.handle(
        (landed, failure) -> {
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
          s.changes.reset();
          if (!landed) {
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
        });
  }

  /**
   * A commit that writes nothing: when the load slid the entry by the manager's timeout and the
   * session has its own (this node had not seen it), slide it again by its own, off the response's
   * path.
   */
  private void slideByOwnTimeout(SessionState s) {
    long own = s.values.ownIdleTimeoutMillis();
    if (s.slidBy == null || own == 0 || s.slidBy.toMillis() == own) {
      return;
    }
    String key = s.key.current();
    Duration ttl = options.ttl(s.values.createdAtMillis(options.clock()), own);
    s.slidBy = ttl;
    calls.touch(key, ttl).whenComplete((ignored, failure) -> afterTouch(key, failure));
  }

  /**
   * A request that never read the session slides its expiry all the same, as ASP.NET Core's does:
   * at most once per session and interval on this node, and without waiting for the store.
   */
  private void slideUntouched(String key) {
    IdleSlides.Action action = slides.claimUntouched(key);
    if (action instanceof IdleSlides.Touch touch) {
      calls.touch(key, touch.ttl()).whenComplete((ignored, failure) -> afterTouch(key, failure));
    } else if (action instanceof IdleSlides.Load) {
      // This node does not know the session's own timeout, if it has one: the blob says.
      calls
          .load(key, options.idleTimeout())
          .whenComplete(
              (stored, failure) -> {
                if (failure != null) {
                  slides.forget(key); // its timeout is still unknown: the next one loads again
                  slideFailed(failure);
                  return;
                }
                if (stored.state() != Stored.State.PRESENT) {
                  return; // nothing to slide; the entry stays, so no load for an interval
                }
                long own = ownIdleTimeout(key, stored.blob());
                slides.slid(key, own);
                if (own > 0 && own != options.idleTimeout().toMillis()) {
                  calls
                      .touch(key, Duration.ofMillis(own))
                      .whenComplete((ignored, again) -> afterTouch(key, again));
                }
              });
    }
  }

  /** The own idle timeout a blob carries, 0 for none or for a blob that cannot be read. */
  private long ownIdleTimeout(String key, byte[] blob) {
    try {
      return BlobFormat.decode(
              blob,
              options.blobKeys(),
              key,
              (long) options.maxSessionSize() + BlobFormat.MAX_TAG_BYTES)
          .idleTimeoutMillis();
    } catch (SessionDataException e) {
      return 0; // the request that reads it reports it
    }
  }

  /** Nobody waits for a touch: a failure is told to the listener, and the next request retries. */
  private void afterTouch(String key, Throwable failure) {
    if (failure != null) {
      slides.touchFailed(key);
      slideFailed(failure);
    }
  }

  private void slideFailed(Throwable failure) {
    SessionException error = (SessionException) StoreCalls.unwrap(failure);
    log.debug("Sliding an idle timeout failed: {}", error.getMessage());
    options.notify("failed", l -> l.failed(null, "touch", error));
  }

  /** The failure a commit reports for changes made while the session could not be loaded. */
  private SessionStoreException droppedChanges(SessionState s) {
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

  // ---- what the request cycle needs at the end

  /** The key whose cookie must be sent, if this request established or renewed one. */
  Optional<String> keyToSend() {
    return state.key.keyToSend();
  }

  /** The key of the browser's cookie while it still names this session (none known to be gone). */
  Optional<String> cookieKeyToRefresh() {
    return state.key.cookieKeyToRefresh(state.phase != SessionState.Phase.LOADED);
  }

  /**
   * The session's idle timeout, without loading it: its own or the manager's once loaded; before,
   * what this node knows of it, if anything.
   */
  Optional<Duration> knownIdleTimeout() {
    SessionState s = state;
    return switch (s.phase) {
      case LOADED -> {
        long own = s.values.ownIdleTimeoutMillis();
        yield Optional.of(own > 0 ? Duration.ofMillis(own) : options.idleTimeout());
      }
      case UNLOADED ->
          s.key.current() == null ? Optional.empty() : slides.knownTtl(s.key.current());
      case UNAVAILABLE -> Optional.empty();
    };
  }

  /** Whether the browser's cookie names a session that no longer exists and should be removed. */
  boolean cookieToClear() {
    return state.key.cookieToClear();
  }

  private static void checkUserKey(String key) {
    requireNonNull(key, "key");
    if (key.equals(TempData.STORAGE_KEY)) {
      throw new IllegalArgumentException("key is reserved for TempData: use Session.tempData()");
    }
  }
}
