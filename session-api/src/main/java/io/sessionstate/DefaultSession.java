package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 */
final class DefaultSession implements Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SessionManager manager;
  private final SessionStore store;
  private final BooleanSupplier responseStarted;

  /** Whether the request presented a cookie that verified, so the browser holds a key. */
  private final boolean hadCookie;

  /** The store key; null for a new session until its first value is set. */
  private String storeKey;

  /** Whether {@link #storeKey} is not in the browser yet and must be sent in a cookie. */
  private boolean keyNeedsCookie;

  /** Whether the store may hold an entry under {@link #storeKey}. */
  private boolean stored;

  /** Entries to delete at commit: the old key after a regeneration or an absolute expiry. */
  private final List<String> staleKeys = new ArrayList<>(1);

  private boolean loaded;

  /**
   * The load in flight, so a second loadAsync() or a read waits for it instead of loading again.
   */
  private CompletableFuture<Void> loading;

  /** Whether this session, under any key, was in the store before: decides created vs committed. */
  private boolean existed;

  private boolean available = true;
  private LinkedHashMap<String, byte[]> values = new LinkedHashMap<>();
  private long size = BlobFormat.HEADER_BYTES;
  private byte[] idBytes;
  private long createdAtMillis;
  private boolean modified;
  private boolean regenerated;
  private boolean invalidated;
  private boolean cookieIssued;
  private TempData tempData;

  DefaultSession(SessionManager manager, String cookieKey, BooleanSupplier responseStarted) {
    this.manager = manager;
    this.store = manager.store;
    this.responseStarted = responseStarted;
    this.storeKey = cookieKey;
    this.hadCookie = cookieKey != null;
  }

  // ---- loading

  @Override
  public CompletableFuture<Void> loadAsync() {
    if (loaded) {
      return CompletableFuture.completedFuture(null);
    }
    if (storeKey == null) {
      // No cookie, so nothing can be stored: a new session costs no round trip.
      loaded = true;
      return CompletableFuture.completedFuture(null);
    }
    if (loading != null) {
      return loading;
    }
    String key = storeKey;
    CompletableFuture<Void> load =
        manager
            .call("load", () -> store.loadAndTouch(key, manager.idleTimeout))
            .handle(
                (blob, failure) -> {
                  if (failure != null) {
                    loading = null; // a later access may try once more, synchronously
                    SessionException error = (SessionException) SessionManager.unwrap(failure);
                    manager.notify("failed", () -> manager.listener.failed(null, "load", error));
                    throw new CompletionException(error);
                  }
                  applyLoaded(blob);
                  return null;
                });
    if (!load.isDone()) {
      loading = load;
    }
    return load;
  }

  private void applyLoaded(Optional<byte[]> blob) {
    loaded = true;
    if (blob.isEmpty()) {
      // With an absolute lifetime a missing entry may be one that expired for good: its key must
      // never be stored again, or whoever still holds the old cookie would share the new session.
      if (manager.renewUnknownKeys || manager.absoluteLifetime != null) {
        storeKey = null; // a fresh key is made when the first value is set
      }
      return;
    }
    BlobFormat.Contents contents;
    try {
      contents =
          BlobFormat.decode(
              blob.get(),
              manager.blobIntegrity ? manager.keyRing : null,
              storeKey,
              (long) manager.maxSessionSize + BlobFormat.MAX_TAG_BYTES);
    } catch (SessionDataException e) {
      stored = true; // the entry is there; a commit overwrites it
      log.warn(
          "Unreadable data for session key {}, starting an empty session: {}",
          digest(storeKey),
          e.getMessage());
      manager.notify("unreadableData", () -> manager.listener.unreadableData(e));
      return;
    }
    if (manager.absoluteLifetime != null
        && manager.clock.millis() - contents.createdAtMillis()
            >= manager.absoluteLifetime.toMillis()) {
      // Past its absolute lifetime: the old entry goes at commit, the browser is told to drop its
      // cookie, and a new session starts under a fresh key; the old key is never stored again.
      staleKeys.add(storeKey);
      storeKey = null;
      modified = true;
      invalidated = true;
      return;
    }
    stored = true;
    existed = true;
    values = contents.values();
    idBytes = contents.id();
    createdAtMillis = contents.createdAtMillis();
    long total = BlobFormat.HEADER_BYTES;
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      total += BlobFormat.entrySize(utf8Length(e.getKey()), e.getValue().length);
    }
    size = total;
  }

  /** Loads synchronously on first access, as ASP.NET Core does, unless the manager forbids it. */
  private void ensureLoaded() {
    if (loaded) {
      return;
    }
    CompletableFuture<Void> inFlight = loading;
    if (inFlight != null) {
      try {
        SessionManager.await(inFlight);
        return;
      } catch (SessionException e) {
        // the async caller saw the failure; this access falls through to one synchronous try
      }
    }
    if (manager.requireExplicitLoad) {
      throw new IllegalStateException(
          "session accessed before loadAsync() completed, and requireExplicitLoad is on");
    }
    try {
      SessionManager.await(loadAsync());
    } catch (SessionException e) {
      loaded = true;
      available = false;
      log.warn("Session unavailable for this request: load failed: {}", e.getMessage());
    }
  }

  // ---- reads

  @Override
  public String id() {
    ensureLoaded();
    return HexFormat.of().formatHex(idBytes());
  }

  private byte[] idBytes() {
    if (idBytes == null) {
      idBytes = new byte[BlobFormat.ID_BYTES];
      RANDOM.nextBytes(idBytes);
      createdAtMillis = manager.clock.millis();
    }
    return idBytes;
  }

  @Override
  public Instant createdAt() {
    ensureLoaded();
    idBytes();
    return Instant.ofEpochMilli(createdAtMillis);
  }

  @Override
  public boolean isNew() {
    ensureLoaded();
    return !existed;
  }

  @Override
  public boolean isAvailable() {
    ensureLoaded();
    return available;
  }

  @Override
  public Set<String> keys() {
    ensureLoaded();
    Set<String> keys = new LinkedHashSet<>(values.keySet());
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
    return Optional.ofNullable(values.get(key));
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
    ValueCodec codec = codec();
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
    int keyBytes = checkKeyLength(key);
    if (value.length > manager.maxValueSize) {
      throw new IllegalArgumentException(
          "value for key \""
              + abbreviate(key)
              + "\" is "
              + value.length
              + " bytes, over maxValueSize of "
              + manager.maxValueSize);
    }
    ensureLoaded();
    if (!available) {
      return;
    }
    byte[] old = values.get(key);
    long newSize =
        size
            + BlobFormat.entrySize(keyBytes, value.length)
            - (old == null ? 0 : BlobFormat.entrySize(keyBytes, old.length));
    if (newSize > manager.maxSessionSize) {
      throw new IllegalArgumentException(
          "setting key \""
              + abbreviate(key)
              + "\" would make the session "
              + newSize
              + " bytes, over maxSessionSize of "
              + manager.maxSessionSize);
    }
    establish();
    values.put(key, value);
    size = newSize;
    modified = true;
  }

  /**
   * Gives a new session its key; its cookie must be sent, so the response must not have started.
   */
  private void establish() {
    if (storeKey == null) {
      checkResponseNotStarted("established");
      storeKey = manager.protector.newSessionKey();
      keyNeedsCookie = true;
    } else if (keyNeedsCookie) {
      checkResponseNotStarted("established");
    }
    idBytes();
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
    rawSet(key, codec().encode(value));
  }

  @Override
  public void remove(String key) {
    checkUserKey(key);
    rawRemove(key);
  }

  void rawRemove(String key) {
    ensureLoaded();
    if (!available) {
      return;
    }
    byte[] old = values.remove(key);
    if (old != null) {
      size -= BlobFormat.entrySize(utf8Length(key), old.length);
      modified = true;
    }
  }

  @Override
  public void clear() {
    ensureLoaded();
    if (!available || values.isEmpty()) {
      return;
    }
    values.clear();
    size = BlobFormat.HEADER_BYTES;
    modified = true;
    tempData = null;
  }

  @Override
  public void regenerateId() {
    ensureLoaded();
    if (!available || storeKey == null) {
      return; // a new session gets a fresh key anyway when its first value is set
    }
    checkResponseNotStarted("given a new key");
    if (stored) {
      staleKeys.add(storeKey);
    }
    storeKey = manager.protector.newSessionKey();
    keyNeedsCookie = true;
    stored = false;
    regenerated = true;
    modified = true;
  }

  @Override
  public void invalidate() {
    String sessionId = idBytes == null ? null : HexFormat.of().formatHex(idBytes);
    List<String> doomed = new ArrayList<>(staleKeys);
    // Loaded, we know whether the key names an entry; unloaded or unavailable, it may, and a
    // sign-out that left it behind would leave the old cookie signed in.
    if (storeKey != null && (stored || hadCookie && (!loaded || !available))) {
      doomed.add(storeKey);
    }
    if (!doomed.isEmpty()) {
      try {
        SessionManager.await(
            manager.call(
                "delete",
                () -> {
                  doomed.forEach(store::delete);
                  return null;
                }));
      } catch (SessionException e) {
        manager.notify("failed", () -> manager.listener.failed(sessionId, "invalidate", e));
        throw e;
      }
    }
    staleKeys.clear();
    storeKey = null;
    keyNeedsCookie = false;
    stored = false;
    loaded = true;
    available = true;
    values = new LinkedHashMap<>();
    size = BlobFormat.HEADER_BYTES;
    idBytes = null;
    existed = false;
    modified = false;
    regenerated = false;
    invalidated = true;
    tempData = null;
    manager.notify("invalidated", () -> manager.listener.invalidated(sessionId));
  }

  @Override
  public TempData tempData() {
    if (tempData == null) {
      tempData = new TempData(this);
    }
    return tempData;
  }

  // ---- commit

  @Override
  public CompletableFuture<Void> commitAsync() {
    CompletableFuture<Void> inFlight = loading;
    if (!loaded && inFlight != null) {
      // Commit what the request did once its load lands; a failed load leaves nothing to commit.
      return inFlight.handle((ignored, failure) -> null).thenCompose(ignored -> commitAsync());
    }
    if (!loaded || !available) {
      // Never loaded means never touched; unavailable means what we hold is not the stored
      // session, and writing it would destroy the real one.
      return CompletableFuture.completedFuture(null);
    }
    if (tempData != null) {
      tempData.flush();
    }
    if (!modified) {
      return CompletableFuture.completedFuture(null); // the load already slid the expiry
    }
    String sessionId = HexFormat.of().formatHex(idBytes());
    List<String> doomed = List.copyOf(staleKeys);
    String key = storeKey;
    CompletableFuture<Void> write;
    boolean saving = !values.isEmpty();
    if (!saving) {
      // Empty sessions are never stored: delete what was there instead of writing nothing.
      List<String> deletes = new ArrayList<>(doomed);
      if (key != null && stored) {
        deletes.add(key);
      }
      if (deletes.isEmpty()) {
        modified = false;
        return CompletableFuture.completedFuture(null);
      }
      write =
          manager.call(
              "delete",
              () -> {
                deletes.forEach(store::delete);
                return null;
              });
    } else {
      byte[] blob;
      try {
        if (size > manager.maxSessionSize) {
          throw new SessionDataException(
              "session is " + size + " bytes, over maxSessionSize of " + manager.maxSessionSize);
        }
        blob =
            BlobFormat.encode(
                new BlobFormat.Contents(idBytes(), createdAtMillis, values),
                manager.blobIntegrity ? manager.keyRing : null,
                key);
      } catch (SessionDataException e) {
        manager.notify("failed", () -> manager.listener.failed(sessionId, "commit", e));
        return CompletableFuture.failedFuture(e);
      }
      Duration ttl = ttl();
      if (doomed.size() == 1 && store instanceof ReplacingSessionStore replacing) {
        write =
            manager.call(
                "replace",
                () -> {
                  replacing.replace(doomed.get(0), key, blob, ttl);
                  return null;
                });
      } else {
        write =
            manager.call(
                "save",
                () -> {
                  store.save(key, blob, ttl);
                  doomed.forEach(store::delete);
                  return null;
                });
      }
    }
    boolean isNew = !existed;
    boolean wasRegenerated = regenerated && existed;
    return write.handle(
        (ignored, failure) -> {
          if (failure != null) {
            SessionException error = (SessionException) SessionManager.unwrap(failure);
            manager.notify("failed", () -> manager.listener.failed(sessionId, "commit", error));
            throw new CompletionException(error);
          }
          staleKeys.removeAll(doomed);
          modified = false;
          regenerated = false;
          stored = saving;
          existed = saving;
          if (saving) {
            cookieIssued |= keyNeedsCookie;
            if (isNew) {
              manager.notify("created", () -> manager.listener.created(sessionId));
            }
            if (wasRegenerated) {
              manager.notify("regenerated", () -> manager.listener.regenerated(sessionId));
            }
          }
          manager.notify("committed", () -> manager.listener.committed(sessionId));
          return null;
        });
  }

  /** The expiry to store with: the idle timeout, cut short by the absolute lifetime if set. */
  private Duration ttl() {
    Duration ttl = manager.idleTimeout;
    if (manager.absoluteLifetime != null) {
      long left = createdAtMillis + manager.absoluteLifetime.toMillis() - manager.clock.millis();
      Duration remaining = Duration.ofMillis(Math.max(1, left));
      if (remaining.compareTo(ttl) < 0) {
        ttl = remaining;
      }
    }
    return ttl;
  }

  // ---- what the request cycle needs at the end

  /** The key whose cookie must be sent, if this request established or renewed one. */
  Optional<String> keyToSend() {
    return cookieIssued && stored ? Optional.of(storeKey) : Optional.empty();
  }

  /** The key of the browser's cookie while it still names this session (none known to be gone). */
  Optional<String> cookieKeyToRefresh() {
    boolean mayExist = !loaded || !available || stored;
    return hadCookie && !invalidated && !keyNeedsCookie && storeKey != null && mayExist
        ? Optional.of(storeKey)
        : Optional.empty();
  }

  /** Whether the browser's cookie names a session that no longer exists and should be removed. */
  boolean cookieToClear() {
    return invalidated && hadCookie && keyToSend().isEmpty();
  }

  // ---- helpers

  private ValueCodec codec() {
    if (manager.valueCodec == null) {
      throw new IllegalStateException(
          "no valueCodec configured: set SessionManager.Builder.valueCodec(...) to store objects");
    }
    return manager.valueCodec;
  }

  private static void checkUserKey(String key) {
    requireNonNull(key, "key");
    if (key.equals(TempData.STORAGE_KEY)) {
      throw new IllegalArgumentException("key is reserved for TempData: use Session.tempData()");
    }
  }

  private static int checkKeyLength(String key) {
    int length = utf8Length(key);
    if (length > BlobFormat.MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "session keys are limited to "
              + BlobFormat.MAX_KEY_BYTES
              + " UTF-8 bytes: key \""
              + abbreviate(key)
              + "\" is "
              + length);
    }
    return length;
  }

  private static int utf8Length(String s) {
    // Exact for well-formed strings, without encoding the whole key to count it.
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        length += 1;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        length += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        // UTF-8 cannot carry a lone surrogate: storing it would silently change the key.
        throw new IllegalArgumentException(
            "session key is not valid Unicode: lone surrogate at index " + i);
      } else {
        length += 3;
      }
    }
    return length;
  }

  private static String abbreviate(String key) {
    return key.length() <= 40 ? key : key.substring(0, 40) + "...";
  }

  /** A short, non-reversible digest of a store key, the only form a key may take in a log line. */
  static String digest(String storeKey) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(storeKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
