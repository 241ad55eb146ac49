package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.SessionState.Phase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
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
  private final BooleanSupplier responseStarted;

  /**
   * The load in flight, so a second loadAsync() or a read waits for it instead of loading again.
   */
  private CompletableFuture<Void> loading;

  private SessionState state;

  /** A session for the store key from the request's verified cookie, or null for none. */
  DefaultSession(
      SessionOptions options, StoreCalls calls, String cookieKey, BooleanSupplier responseStarted) {
    this.options = options;
    this.calls = calls;
    this.responseStarted = responseStarted;
    this.state = SessionState.unloaded(cookieKey, options);
  }

  // ---- loading

  @Override
  public CompletableFuture<Void> loadAsync() {
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
    CompletableFuture<Void> load =
        calls
            .loadAndTouch(key, options.idleTimeout())
            .handle(
                (blob, failure) -> {
                  if (failure != null) {
                    loading = null; // a later access may try once more, synchronously
                    SessionException error = (SessionException) StoreCalls.unwrap(failure);
                    options.notify("failed", l -> l.failed(null, "load", error));
                    throw new CompletionException(error);
                  }
                  // Into the state the load was for: if invalidate() ended it meanwhile, the
                  // loaded session is gone too.
                  s.applyLoaded(key, blob, options);
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
      StoreCalls.await(loadAsync());
    } catch (SessionException e) {
      state.phase = Phase.UNAVAILABLE;
      log.warn("Session unavailable for this request: load failed: {}", e.getMessage());
    }
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
    T value = codec.decode(bytes.get(), type);
    if (value == null) {
      // Optional.map would turn this into "absent", hiding a broken codec.
      throw new SessionDataException(
          "value codec " + codec.getClass().getName() + " decoded a value to null");
    }
    return Optional.of(value);
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
    SessionState s = available();
    if (s == null) {
      return;
    }
    s.values.checkPut(key, keyBytes, value);
    establish(s);
    s.values.put(key, keyBytes, value);
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
    SessionState s = available();
    if (s != null && s.values.remove(key)) {
      s.modified = true;
    }
  }

  @Override
  public void clear() {
    SessionState s = available();
    if (s == null || s.values.isEmpty()) {
      return;
    }
    s.values.clear();
    s.modified = true;
    s.tempData = null;
  }

  @Override
  public void regenerateId() {
    SessionState s = available();
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
        StoreCalls.await(calls.delete(delete));
      } catch (SessionException e) {
        options.notify("failed", l -> l.failed(sessionId, "invalidate", e));
        throw e;
      }
    }
    state = s.invalidated(options);
    options.notify("invalidated", l -> l.invalidated(sessionId));
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
    if (s.phase != Phase.LOADED) {
      // Never loaded means never touched; unavailable means what we hold is not the stored
      // session, and writing it would destroy the real one.
      return CompletableFuture.completedFuture(null);
    }
    if (s.tempData != null) {
      s.tempData.flush();
    }
    if (!s.modified) {
      return CompletableFuture.completedFuture(null); // the load already slid the expiry
    }
    String sessionId = HexFormat.of().formatHex(s.values.id(options.clock()));
    CommitDecision decision = s.key.commitDecision(s.values.isEmpty(), calls.canReplace());
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
      write = calls.write(w, blob, options.ttl(s.values.createdAtMillis(options.clock())));
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
          if (decision instanceof CommitDecision.Write w) {
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

  // ---- what the request cycle needs at the end

  /** The key whose cookie must be sent, if this request established or renewed one. */
  Optional<String> keyToSend() {
    return state.key.keyToSend();
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
