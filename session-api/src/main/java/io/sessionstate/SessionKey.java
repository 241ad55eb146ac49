package io.sessionstate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Which store key a session lives under, what the store may hold of it, and what the browser must
 * be told: the key and cookie state of one request. Pure state, no I/O; it decides what a commit
 * writes ({@link #commitDecision}) and learns the outcome ({@link #committed}). Not thread-safe.
 */
final class SessionKey {

  /** Whether the request presented a cookie that verified, so the browser holds a key. */
  private final boolean hadCookie;

  /** The store key; null for a new session until its first value is set. */
  private @Nullable String current;

  /** Whether {@link #current} is not in the browser yet and must be sent in a cookie. */
  private boolean needsCookie;

  /** Whether the store may hold an entry under {@link #current}. */
  private boolean stored;

  /** Whether this session, under any key, was in the store before: decides created vs committed. */
  private boolean existed;

  /** Whether the key changed since the last commit. */
  private boolean regenerated;

  /** Entries to delete at commit: the old key after a regeneration or an absolute expiry. */
  // Empty in most requests: no array until a key is added.
  private final List<String> staleKeys = new ArrayList<>(0);

  /** Whether a commit stored the session under a key that needed a cookie. */
  private boolean cookieIssued;

  /** Whether the session ended (invalidated, or past its absolute lifetime) in this request. */
  private boolean ended;

  /**
   * The key the browser's cookie carries, when that cookie was signed by a key of the ring other
   * than the primary: it is sent again, signed by the primary, while it still names the session.
   */
  private @Nullable String cookieToResign;

  /** The version of the entry under {@link #current} while {@link #stored}, as the store said. */
  private long version = -1;

  /**
   * The stored key this session was moved away from by a regeneration in this request, and that
   * entry's version: a store with versions moves it only if it is still that version (or still
   * there).
   */
  private @Nullable String movedFrom;

  private long movedFromVersion = -1;

  /** The state of a request whose verified cookie named {@code cookieKey}, or of one with none. */
  SessionKey(@Nullable String cookieKey) {
    this.hadCookie = cookieKey != null;
    this.current = cookieKey;
  }

  private SessionKey(boolean hadCookie, boolean ended) {
    this.hadCookie = hadCookie;
    this.ended = ended;
  }

  /** The state after an invalidation: no key, nothing stored, the browser's cookie to clear. */
  SessionKey invalidated() {
    return new SessionKey(hadCookie, true);
  }

  /** The store key, or null while the session has none. */
  @Nullable String current() {
    return current;
  }

  boolean existed() {
    return existed;
  }

  // ---- what the load found

  /** The store holds nothing under the key; with {@code renew}, that key is never used again. */
  void foundNothing(boolean renew) {
    if (renew) {
      current = null; // a fresh key is made when the first value is set
    }
  }

  /** The store holds an entry under the key that could not be read; a commit overwrites it. */
  void foundUnreadable(long version) {
    stored = true;
    this.version = version;
  }

  /** The store holds this session under the key, at {@code version}. */
  void found(long version) {
    stored = true;
    existed = true;
    this.version = version;
  }

  /** Whether an entry is (or may be) stored under {@link #current}, at {@link #version()}. */
  boolean stored() {
    return stored;
  }

  long version() {
    return version;
  }

  /** The key a regeneration in this request moved the session away from, or null. */
  @Nullable String movedFrom() {
    return movedFrom;
  }

  long movedFromVersion() {
    return movedFromVersion;
  }

  /**
   * A store with versions refused the commit: the session was invalidated or moved (or expired)
   * meanwhile. Nothing of it is stored under any key this request knows; the browser's cookie is to
   * be removed.
   */
  void gone() {
    staleKeys.clear();
    movedFrom = null;
    stored = false;
    existed = false;
    regenerated = false;
    ended = true;
  }

  /** The stored entry is now at {@code version}, after a write through a store with versions. */
  void storedAt(long version) {
    this.version = version;
  }

  /**
   * The stored session is past its absolute lifetime: its entry goes at commit, the browser is told
   * to drop its cookie, and a new session starts under a fresh key; the old key is never stored
   * again.
   */
  void foundExpiredForGood() {
    staleKeys.add(current);
    current = null;
    ended = true;
  }

  // ---- changes

  /**
   * Whether giving the session a value must send a cookie, so the response must not have started.
   */
  boolean needsEstablishing() {
    return current == null || needsCookie;
  }

  /** Gives a new session a key from {@code newKey}; a session with one keeps it. */
  void establish(Supplier<String> newKey) {
    if (current == null) {
      current = newKey.get();
      needsCookie = true;
    }
  }

  /** Moves the session to {@code newKey}; the old entry, if any, goes at commit. */
  void regenerate(String newKey) {
    if (stored) {
      staleKeys.add(current);
      if (movedFrom == null) {
        movedFrom = current;
        movedFromVersion = version;
      }
    }
    current = newKey;
    needsCookie = true;
    stored = false;
    regenerated = true;
  }

  /**
   * What an invalidation deletes now. {@code loaded} says whether the load ran and succeeded: then
   * we know whether the key names an entry; otherwise it may, and a sign-out that left it behind
   * would leave the old cookie signed in.
   */
  CommitDecision invalidation(boolean loaded) {
    List<String> doomed = new ArrayList<>(staleKeys);
    if (current != null && (stored || hadCookie && !loaded)) {
      doomed.add(current);
    }
    return doomed.isEmpty() ? CommitDecision.NOTHING : new CommitDecision.Delete(doomed);
  }

  // ---- commit

  /**
   * What a commit of a modified session writes.
   *
   * @param empty whether the session holds no value
   * @param canReplace whether the store moves a session to a new key in one call
   */
  CommitDecision commitDecision(boolean empty, boolean canReplace) {
    if (empty) {
      // Empty sessions are never stored: delete what was there instead of writing nothing.
      List<String> deletes = new ArrayList<>(staleKeys);
      if (current != null && stored) {
        deletes.add(current);
      }
      return deletes.isEmpty() ? CommitDecision.NOTHING : new CommitDecision.Delete(deletes);
    }
    boolean created = !existed;
    boolean moved = regenerated && existed;
    String key = current;
    if (key == null) {
      // setting a session's first value gives it a key, so a session with values has one
      throw new IllegalStateException("a session with values has no key");
    }
    if (staleKeys.size() == 1 && canReplace) {
      return new CommitDecision.Replace(key, staleKeys.get(0), created, moved);
    }
    // The usual save has no stale key: the shared empty list, not a copy of an empty one.
    return new CommitDecision.Save(
        key, staleKeys.isEmpty() ? List.of() : staleKeys, created, moved);
  }

  /** Records that the store carried out {@code decision}. */
  void committed(CommitDecision decision) {
    // Only the keys this decision covered: a regeneration during an async commit adds another.
    staleKeys.removeAll(decision.staleKeys());
    if (movedFrom != null && decision.staleKeys().contains(movedFrom)) {
      movedFrom = null;
    }
    regenerated = false;
    boolean saved = decision instanceof CommitDecision.Write;
    stored = saved;
    existed = saved;
    if (saved) {
      cookieIssued |= needsCookie;
    }
  }

  // ---- what the response needs

  /** Whether the browser's cookie was signed by an older key of the ring. */
  boolean keyToResign() {
    return cookieToResign != null;
  }

  /** The browser's cookie was signed by an older key of the ring: re-issue it if it stays. */
  void resignCookie() {
    cookieToResign = current;
  }

  /**
   * The key whose cookie must be sent: if this request established or renewed one, or if the
   * browser's cookie was signed by an older key and still names the stored session.
   */
  Optional<String> keyToSend() {
    if (!stored) {
      return Optional.empty();
    }
    String key = current;
    if (key == null) {
      return Optional.empty();
    }
    return cookieIssued || key.equals(cookieToResign) ? Optional.of(key) : Optional.empty();
  }

  /**
   * The key of the browser's cookie while it still names this session: none once the session is
   * known to be gone, ended, or under a new key that a commit sends anyway.
   *
   * @param unknown whether the store's answer is unknown (not loaded, or the load failed), so the
   *     entry may still exist
   */
  Optional<String> cookieKeyToRefresh(boolean unknown) {
    return hadCookie && !ended && !needsCookie && current != null && (unknown || stored)
        ? Optional.of(current)
        : Optional.empty();
  }

  /** Whether the browser's cookie names a session that no longer exists and should be removed. */
  boolean cookieToClear() {
    return ended && hadCookie && keyToSend().isEmpty();
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
