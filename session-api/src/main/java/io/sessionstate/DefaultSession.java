package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.SessionState.Phase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The session of one request. State moves one way: unloaded, then loaded (or unavailable when a
 * synchronous load failed). Changes are kept in memory and written as one blob at commit.
 *
 * <p>The parts: {@link SessionState} holds what an invalidation ends, made of {@link SessionValues}
 * (the contents and their size) and {@link SessionKey} (the key and cookie state, which decides
 * what a commit writes as a {@link CommitDecision}); {@link StoreCalls} runs the store calls;
 * {@link SessionLoader} loads the session, {@link SessionCommit} writes it and {@link TouchCommit}
 * slides its expiry when a commit writes nothing. This class sequences them and applies the
 * request-level rules.
 */
final class DefaultSession implements Session {
  private final SessionOptions options;
  private final StoreCalls calls;
  private final IdleSlides slides;
  private final BooleanSupplier responseStarted;
  private final SessionLoader loader;
  private final SessionCommit commit;
  private final TouchCommit touches;
  private final SessionPrincipal principal;

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
      @Nullable String cookieKey,
      boolean cookieUnderPrimaryKey,
      BooleanSupplier responseStarted,
      Principals principals) {
    this.options = options;
    this.calls = calls;
    this.slides = slides;
    this.responseStarted = responseStarted;
    this.loader = new SessionLoader(options, calls, slides);
    this.commit = new SessionCommit(options, calls, slides);
    this.touches = new TouchCommit(options, calls, slides);
    this.principal = new SessionPrincipal(principals, options);
    this.state = SessionState.unloaded(cookieKey, options);
    if (cookieKey != null && !cookieUnderPrimaryKey) {
      state.key.resignCookie();
    }
  }

  // ---- loading

  @Override
  public CompletableFuture<Void> loadAsync() {
    CompletableFuture<Void> load = loader.load(state, false);
    return load.isDone() ? load : load.copy();
  }

  /** Loads synchronously on first access, as ASP.NET Core does, unless the manager forbids it. */
  private void ensureLoaded() {
    loader.ensureLoaded(state);
  }

  /**
   * Loads if needed; the state to change, or null when the session is unavailable, in which case
   * the change is counted as dropped, so the commit reports it instead of letting the request claim
   * a change that was not kept.
   */
  private @Nullable SessionState availableForChange() {
    SessionState s = available();
    if (s == null) {
      state.droppedChanges++;
    }
    return s;
  }

  /** Loads if needed; the state to read or change, or null when the session is unavailable. */
  private @Nullable SessionState available() {
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
    keys.remove(Principals.STORAGE_KEY);
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
    options.requireValueCodec(); // before the lookup: a missing codec is found at once
    // Decoded from a copy: a codec may keep or change the array it is given.
    return tryGetValue(key).map(bytes -> state.decodeValue(key, bytes, type, options));
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
    if (s.changes != null) {
      s.changes.set(key, value);
    }
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
      if (s.changes != null) {
        s.changes.remove(key);
      }
      s.modified = true;
    }
  }

  @Override
  public void clear() {
    SessionState s = availableForChange();
    if (s == null || s.values.isEmpty()) {
      return;
    }
    principal.beforeChange(s); // the binding goes with the values
    s.values.clear();
    if (s.changes != null) {
      s.changes.clear();
    }
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
                ? calls.invalidate(delete.keys(), null, options.tombstoneTtl(), true)
                : calls.delete(delete, true));
      } catch (SessionException e) {
        options.notify("failed", l -> l.failed(sessionId, "invalidate", e));
        throw e;
      }
      principal.invalidated(s, delete.keys());
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
    SessionValues.checkOwnIdleTimeout(idleTimeout);
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
    return commit(false);
  }

  /**
   * Commits the session. With {@code callerWaits} (a synchronous {@code finish()}) the store is
   * called on this thread, bounded by the store's own timeouts, and the future is complete on
   * return; otherwise on the manager's executor, under the I/O timeout.
   */
  CompletableFuture<Void> commit(boolean callerWaits) {
    SessionState s = state;
    CompletableFuture<Void> inFlight = loader.inFlight();
    if (s.phase == Phase.UNLOADED && inFlight != null) {
      if (callerWaits) {
        loader.awaitInFlight();
        return commit(true);
      }
      // Commit what the request did once its load lands; a failed load leaves nothing to commit.
      return inFlight.handle((ignored, failure) -> null).thenCompose(ignored -> commit(false));
    }
    if (s.phase == Phase.UNLOADED && s.key.current() != null) {
      if (s.key.keyToResign() && !loadedToResign) {
        // The cookie was signed by an older key: load, so the blob is signed again and the
        // cookie re-issued, before that key is retired and would sign this visitor out.
        loadedToResign = true;
        return loader
            .load(s, callerWaits)
            .handle((ignored, failure) -> null)
            .thenCompose(ignored -> commit(callerWaits));
      }
      if (!loader.tried()) {
        touches.slideUntouched(s.key.current());
      }
      return CompletableFuture.completedFuture(null);
    }
    if (s.phase == Phase.UNAVAILABLE) {
      return s.droppedChanges == 0
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(commit.droppedChanges(s));
    }
    if (s.phase != Phase.LOADED) {
      return CompletableFuture.completedFuture(null);
    }
    if (s.tempData != null) {
      s.tempData.flush();
    }
    if (!s.modified) {
      touches.slideByOwnTimeout(s);
      return CompletableFuture.completedFuture(null);
    }
    return principal.owesIndexWrite(s)
        ? principal.commit(s, () -> commit.write(s, callerWaits))
        : commit.write(s, callerWaits);
  }

  // ---- the principal

  @Override
  public void bindPrincipal(String name) {
    principal.bind(this, availableForChange(), name);
  }

  @Override
  public void unbindPrincipal() {
    principal.unbind(this, availableForChange());
  }

  @Override
  public Optional<String> principal() {
    return principal.of(available());
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

  /** The session's idle timeout, if known without loading it: see {@link SessionState}. */
  Optional<Duration> knownIdleTimeout() {
    return state.knownIdleTimeout(options, slides);
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
    SessionPrincipal.checkUserKey(key);
  }
}
