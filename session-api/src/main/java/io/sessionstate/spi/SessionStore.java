package io.sessionstate.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Where session blobs live. A store knows keys, bytes and expiry; it knows nothing of cookies or of
 * what a blob contains. Calls are synchronous. Where the request waits for a call anyway (a load on
 * first access, {@code finish()}, {@code invalidate()}) the {@code SessionManager} makes it on the
 * request's thread, so a store that may block must bound every call by timeouts of its own (connect
 * and operation or socket timeouts, with defaults). The asynchronous methods run calls on the
 * manager's executor under its I/O timeout, except for a store that {@linkplain #isNonBlocking()
 * never blocks}, which is called inline everywhere.
 *
 * <p>Implementations must be thread-safe. Keys and blobs are never null; a blob may be empty; every
 * {@code ttl} is positive. The session manager never calls a store after closing it. Absence is a
 * value ({@link Optional#empty()}), never an error; deleting an unknown key does nothing; a save
 * overwrites. Every failure is reported as a {@link io.sessionstate.SessionStoreException} naming
 * the store and the operation.
 *
 * <p>Every implementation must pass the contract suite in {@code session-store-tck}.
 */
public interface SessionStore extends AutoCloseable {

  /**
   * {@return a short name for messages and logs, such as {@code memory}, {@code redis} or {@code
   * sql}}
   */
  String name();

  /**
   * Returns the blob stored under {@code key} and, in the same operation, slides its expiry to at
   * least {@code ttl} from now: never earlier, and a store may keep a small margin past it so that
   * most loads need not write (the SQL stores keep up to a twentieth of {@code ttl}; see each
   * store). This is the request's one round trip for a read-only request.
   *
   * @param key the store key, from the session cookie
   * @param ttl the new time to live, positive
   * @return the blob, or empty when there is none or it has expired
   */
  Optional<byte[]> loadAndTouch(String key, Duration ttl);

  /**
   * Stores {@code blob} under {@code key}, replacing any previous blob, to expire after {@code
   * ttl}.
   *
   * @param key the store key
   * @param blob the session's encoded bytes; the store keeps no reference to the array after
   *     returning
   * @param ttl how long the blob lives, positive
   */
  void save(String key, byte[] blob, Duration ttl);

  /**
   * Slides the expiry of {@code key} to at least {@code ttl} from now, with the same margin as
   * {@link #loadAndTouch}; does nothing if the key is absent.
   *
   * @param key the store key
   * @param ttl the new time to live, positive
   */
  void touch(String key, Duration ttl);

  /**
   * Removes {@code key}; does nothing if it is absent.
   *
   * @param key the store key
   */
  void delete(String key);

  /**
   * {@return whether every call returns without waiting on I/O or on another thread, as a store
   * over this process's heap does} The session manager then calls the store inline, on the
   * request's thread, with no executor hop and no I/O timeout, even from the asynchronous methods.
   * Default false: a store that may block runs the asynchronous methods' calls on the manager's
   * executor. Asked once, when the manager is built.
   */
  default boolean isNonBlocking() {
    return false;
  }

  /**
   * {@return whether anything outside this process (another node, an operator, whoever can reach
   * the server) can write the blobs this store returns} When true, the session manager tags stored
   * blobs under its key ring and verifies the tag before decoding, unless configured otherwise.
   * Default true, the safe answer; a store over this process's heap says false. Asked once, when
   * the manager is built.
   */
  default boolean isExternallyWritable() {
    return true;
  }

  /**
   * Releases the store's resources. Closing a store that was built over a caller's client does not
   * close that client. Closing twice does nothing. After {@code close()} every operation fails at
   * once, without retrying, with a {@link io.sessionstate.SessionStoreException} that says the
   * store is closed: a late call from a request still in flight gets the same outcome as any other
   * store failure, never a half-working store.
   */
  @Override
  void close();
}
