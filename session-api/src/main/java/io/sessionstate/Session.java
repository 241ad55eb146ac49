package io.sessionstate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One visitor's session, as seen by one request: a map of string keys to byte-array values, loaded
 * from the store once and committed back once.
 *
 * <p>A session belongs to one request and is not thread-safe: use it from the request's thread
 * (completion of {@link #loadAsync()} may run on another thread, and publishes its state safely).
 * Keys and values are never null; passing null throws {@link NullPointerException}. Values are
 * copied on the way in and on the way out.
 *
 * <p>The first read or write loads the session synchronously unless {@link #loadAsync()} ran first;
 * with {@link SessionManager.Builder SessionManager.Builder.requireExplicitLoad(boolean)} that
 * access throws {@link IllegalStateException} instead. If a synchronous load fails the session
 * becomes unavailable: {@link #isAvailable()} is false, reads find nothing and writes are not kept;
 * the commit then fails with {@link SessionStoreException}, so the request does not claim a change
 * that was lost.
 *
 * <p>Concurrent requests for the same session do not lock each other: each commits the whole
 * session, and the last commit wins.
 */
public interface Session {

  /**
   * The shortest idle timeout a session may be given: 1 minute. A session that expires sooner than
   * a visitor reads a page is no session, and the floor catches seconds passed where minutes were
   * meant.
   */
  Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(1);

  /** The longest idle timeout a session may be given: 365 days. */
  Duration MAX_IDLE_TIMEOUT = Duration.ofDays(365);

  /**
   * {@return a random identifier of this session, stable for its whole life and distinct from the
   * key in the cookie} Safe to log or to use as a foreign key.
   */
  String id();

  /**
   * {@return false when the session could not be loaded; reads then find nothing, and writes are
   * not kept and make the commit fail}
   */
  boolean isAvailable();

  /**
   * {@return when this session was created, by the manager's clock: stored in the blob for an
   * existing session; for a new one, the moment its first value was set or its {@link #id()} was
   * first asked, whichever came first}
   */
  Instant createdAt();

  /**
   * {@return true until the session has been in the store: a visitor without a (valid) cookie, a
   * session that expired or was invalidated, or one that is being created by this request} False
   * for a session this request loaded from the store or committed to it.
   */
  boolean isNew();

  /** {@return the keys of the values in this session, in the order they were first set} A copy. */
  Set<String> keys();

  /**
   * Loads the session from the store, if it is not loaded yet, and slides its idle timeout in the
   * same round trip. The future fails with {@link SessionStoreException} when the store fails and
   * {@link SessionTimeoutException} when the I/O timeout passes. The future is the caller's own:
   * cancelling it, or completing it by {@code orTimeout}, changes nothing in the session, whose
   * load goes on for its next access and its commit.
   *
   * @return a future that completes once the session is loaded, or at once if it already is
   */
  CompletableFuture<Void> loadAsync();

  /**
   * Writes the session back if anything changed, with the idle timeout as its expiry. Nothing is
   * written when nothing changed, since the load already slid the expiry; a request that never
   * loaded the session slides it with a touch that the commit does not wait for, at most once per
   * session and {@linkplain SessionManager.Builder touch interval} on this node. A session with no
   * values is never stored. The future fails with {@link SessionStoreException} (also when changes
   * were made while the session was unavailable), {@link SessionTimeoutException} or {@link
   * SessionDataException}; a failed commit is never silent.
   *
   * @return a future that completes once the store has the session, or at once if nothing was to be
   *     written
   */
  CompletableFuture<Void> commitAsync();

  /**
   * Returns a copy of the value under {@code key}, or empty if there is none.
   *
   * @param key the name the value was stored under
   * @return a copy of the value, or empty
   */
  Optional<byte[]> tryGetValue(String key);

  /**
   * Sets {@code key} to a copy of {@code value}.
   *
   * @param key the name to store the value under
   * @param value the bytes to store; copied, so later changes to the array are not seen
   * @throws IllegalArgumentException if the key is over 65,535 UTF-8 bytes, the value is over the
   *     manager's {@code maxValueSize}, or the session would grow over its {@code maxSessionSize}
   * @throws IllegalStateException if this is a new session and the response has already started, so
   *     its cookie can no longer be sent
   */
  void set(String key, byte[] value);

  /**
   * Removes {@code key}; the session is changed only if the key was there.
   *
   * @param key the name the value was stored under
   */
  void remove(String key);

  /** Removes every value; the session is changed only if it held any. */
  void clear();

  /**
   * Returns the value under {@code key} decoded as UTF-8, or empty if there is none.
   *
   * @param key the name the value was stored under
   * @return the decoded string, or empty
   */
  Optional<String> getString(String key);

  /**
   * Sets {@code key} to {@code value} encoded as UTF-8.
   *
   * @param key the name to store the value under
   * @param value the string to store
   */
  void setString(String key, String value);

  /**
   * Returns the value under {@code key} as a big-endian 32-bit integer, or empty if there is none
   * or it is not 4 bytes long.
   *
   * @param key the name the value was stored under
   * @return the integer, or empty
   */
  Optional<Integer> getInt32(String key);

  /**
   * Sets {@code key} to {@code value} as 4 big-endian bytes, as ASP.NET Core's {@code SetInt32}.
   *
   * @param key the name to store the value under
   * @param value the integer to store
   */
  void setInt32(String key, int value);

  /**
   * Returns the value under {@code key} as a big-endian 64-bit integer, or empty if there is none
   * or it is not 8 bytes long.
   *
   * @param key the name the value was stored under
   * @return the integer, or empty
   */
  Optional<Long> getLong(String key);

  /**
   * Sets {@code key} to {@code value} as 8 big-endian bytes.
   *
   * @param key the name to store the value under
   * @param value the integer to store
   */
  void setLong(String key, long value);

  /**
   * Returns the value under {@code key} decoded by the manager's {@link ValueCodec}, or empty if
   * there is none.
   *
   * <p>A value the codec cannot decode (its class changed or is gone, or its bytes are corrupt)
   * costs that value only: this method throws, the {@link SessionListener} hears of it once per key
   * per request ({@link SessionListener#unreadableValue}), and every other value reads as before.
   * The bytes are left in the session, since another node of a rolling deploy may read them; call
   * {@link #remove(String)} to drop them at the next commit, as the Servlet bridge does.
   *
   * @param <T> the type of the value
   * @param key the name the value was stored under
   * @param type the class the decoded value must be an instance of
   * @return the decoded value, or empty
   * @throws IllegalStateException if the manager has no value codec
   * @throws SessionDataException if the value cannot be decoded as {@code type}; the message names
   *     the key and {@code type} (and the stored class where the codec could read it), never the
   *     value
   */
  <T> Optional<T> getObject(String key, Class<T> type);

  /**
   * Sets {@code key} to {@code value} encoded by the manager's {@link ValueCodec}.
   *
   * @param key the name to store the value under
   * @param value the value to encode and store
   * @throws IllegalStateException if the manager has no value codec
   * @throws SessionDataException if the codec cannot encode the value
   */
  void setObject(String key, Object value);

  /**
   * Gives the session a new key, keeping its contents: the old store entry is deleted and a new
   * cookie is sent at commit. Call it when a user signs in, against session fixation. With a store
   * that keeps versions, the old key keeps a tombstone for the manager's {@code tombstoneTtl}, so a
   * request still running with the old cookie cannot write the pre-sign-in session back.
   *
   * @throws IllegalStateException if the response has already started, so the new cookie could not
   *     be sent
   */
  void regenerateId();

  /**
   * Ends the session now: its store entry is deleted at once, its values are cleared and the cookie
   * is removed from the browser. A value set afterwards starts a new session with a new key. With a
   * store that keeps versions, the entry is replaced by a tombstone for the manager's {@code
   * tombstoneTtl}: a request that loaded the session earlier and commits later writes nothing, and
   * the old cookie, replayed, starts a new session under a new key.
   *
   * @throws SessionStoreException if the store fails to delete the entry
   * @throws SessionTimeoutException if the delete does not finish within the I/O timeout
   */
  void invalidate();

  /**
   * {@return how long this session lives without a request: its own idle timeout if it was given
   * one, else the manager's}
   */
  Duration idleTimeout();

  /**
   * Gives this session its own idle timeout, kept with it in the store, from this request's commit
   * on: every later load, save and touch, on any node, slides its expiry by it. Use it for a longer
   * "remember me" session, or a shorter one for an administrator.
   *
   * @param idleTimeout this session's own idle timeout
   * @throws IllegalArgumentException if {@code idleTimeout} is zero or negative (sessions that
   *     never expire are not supported), under {@link #MIN_IDLE_TIMEOUT} or over {@link
   *     #MAX_IDLE_TIMEOUT}
   */
  void setIdleTimeout(Duration idleTimeout);

  /**
   * Binds this session to {@code principal}, the name of the user who signed in, from this
   * request's commit on, so that {@link SessionManager#principalSessions()} finds it among the
   * user's sessions. The name is kept in the session: it survives {@link #regenerateId()} (call
   * that first, at sign-in: the commit then writes the index once), and {@link #invalidate()},
   * {@link #clear()}, {@link #unbindPrincipal()} and expiry unbind it. Binding the name the session
   * is bound to already does nothing. Over a store with a {@link
   * io.sessionstate.spi.PrincipalIndex} the commit that binds costs one more store call; without
   * one the name is only kept in the session.
   *
   * @param principal the signed-in user's name
   * @throws IllegalArgumentException if {@code principal} is blank or over 1,024 characters
   * @throws SessionLimitException if the principal holds as many live sessions as {@link
   *     SessionManager.Builder SessionManager.Builder.maxSessionsPerPrincipal(int,
   *     SessionLimitPolicy)} allows, under {@link SessionLimitPolicy#REFUSE_NEW}
   * @throws IllegalStateException if this is a new session and the response has already started
   */
  void bindPrincipal(String principal);

  /** Unbinds the session from its principal at this request's commit; does nothing if unbound. */
  void unbindPrincipal();

  /** {@return the name this session is bound to, if any} */
  Optional<String> principal();

  /**
   * Values for the next request, read once: see {@link TempData}.
   *
   * @return this session's values for the next request
   */
  TempData tempData();
}
