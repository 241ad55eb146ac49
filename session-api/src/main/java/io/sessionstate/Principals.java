package io.sessionstate;

import static java.util.Objects.requireNonNull;

import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.PrincipalIndex.IndexedSession;
import io.sessionstate.spi.VersionedSessionStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One manager's side of the principal index: the name a session is bound to (kept in the session
 * under a reserved key, so it moves with the session's contents through {@link
 * Session#regenerateId()} and goes with them on {@link Session#invalidate()}), the store calls that
 * keep the {@link PrincipalIndex} in step with commits, and the listing and ending of a principal's
 * sessions. Thread-safe: it holds only the manager's fixed options.
 */
final class Principals {
  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

  /** The reserved session key of the principal's name, UTF-8. */
  static final String STORAGE_KEY = "\u0000sessionstate.principal";

  /** The longest principal name accepted, in characters. */
  static final int MAX_NAME_LENGTH = 1024;

  private final SessionOptions options;
  private final StoreCalls calls;
  private final @Nullable PrincipalIndex index;
  private final int maxSessions;
  private final @Nullable SessionLimitPolicy policy;

  /**
   * {@code maxSessions} 0 for no limit, with a null {@code policy}. {@code index} is the store as
   * the application gave it, not the observing decorator, which does not carry this capability.
   */
  Principals(
      SessionOptions options,
      StoreCalls calls,
      @Nullable PrincipalIndex index,
      int maxSessions,
      @Nullable SessionLimitPolicy policy) {
    this.options = options;
    this.calls = calls;
    this.index = index;
    this.maxSessions = maxSessions;
    this.policy = policy;
  }

  /** The index, or null when the store keeps none: binding then only marks the session. */
  @Nullable PrincipalIndex index() {
    return index;
  }

  PrincipalIndex requireIndex() {
    if (index == null) {
      throw new IllegalStateException(
          "the store "
              + calls.store().name()
              + " keeps no principal index (io.sessionstate.spi.PrincipalIndex)");
    }
    return index;
  }

  static String checkName(String principal) {
    requireNonNull(principal, "principal");
    if (principal.isBlank()) {
      throw new IllegalArgumentException("principal must not be blank");
    }
    if (principal.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "principal must be at most "
              + MAX_NAME_LENGTH
              + " characters: it has "
              + principal.length());
    }
    return principal;
  }

  static @Nullable String principalOf(SessionValues values) {
    byte[] name = values.get(STORAGE_KEY);
    return name == null ? null : new String(name, StandardCharsets.UTF_8);
  }

  private static @Nullable String principalOf(Map<String, byte[]> values) {
    byte[] name = values.get(STORAGE_KEY);
    return name == null ? null : new String(name, StandardCharsets.UTF_8);
  }

  // ---- binding

  /**
   * Under {@link SessionLimitPolicy#REFUSE_NEW}, refuses a sign-in of {@code principal} that would
   * exceed the limit. Blocks for one listing; nothing under another policy or without a limit.
   */
  void checkLimit(String principal) {
    if (maxSessions > 0 && policy == SessionLimitPolicy.REFUSE_NEW && index != null) {
      if (StoreCalls.await(calls.call("list", true, () -> found(principal))).size()
          >= maxSessions) {
        throw new SessionLimitException(maxSessions);
      }
    }
  }

  /**
   * Brings the index in step with a commit that moved the session from ({@code oldPrincipal},
   * {@code oldKey}) to ({@code newPrincipal}, {@code newKey}); any of them may be null. One store
   * call in every case but a switch from one principal to another (two), plus the ending of other
   * sessions when the least recently used go over the limit.
   */
  CompletableFuture<Void> reindex(
      @Nullable String oldPrincipal,
      @Nullable String oldKey,
      @Nullable String newPrincipal,
      @Nullable String newKey,
      Duration ttl,
      String sessionId) {
    return calls.call(
        "index",
        true,
        () -> {
          if (newPrincipal == null || newKey == null) {
            if (oldPrincipal != null && oldKey != null) {
              requireIndex().unindex(oldPrincipal, oldKey);
            }
            return null;
          }
          boolean same = newPrincipal.equals(oldPrincipal);
          if (!same && oldPrincipal != null && oldKey != null) {
            requireIndex().unindex(oldPrincipal, oldKey);
          }
          String replaced = same && oldKey != null && !oldKey.equals(newKey) ? oldKey : null;
          int count = requireIndex().index(newPrincipal, newKey, replaced, ttl);
          if (maxSessions > 0
              && policy == SessionLimitPolicy.END_LEAST_RECENTLY_USED
              && count > maxSessions) {
            endLeastRecentlyUsed(newPrincipal, sessionId);
          }
          return null;
        });
  }

  /** Ends the principal's least recently used sessions, never {@code keepId}, down to the limit. */
  private void endLeastRecentlyUsed(String principal, String keepId) {
    List<Found> live = new ArrayList<>(found(principal));
    live.removeIf(f -> f.info.id().equals(keepId));
    // By the unclamped last use: the store's expiry alone orders them, whatever the clocks say.
    live.sort(Comparator.comparing(Found::lastUse));
    int excess = live.size() + 1 - maxSessions;
    for (int i = 0; i < excess && i < live.size(); i++) {
      endNow(principal, live.get(i).key);
    }
    if (excess > 0) {
      log.debug("Ended {} least recently used session(s) over maxSessionsPerPrincipal", excess);
    }
  }

  /** Removes {@code keys}, which {@link Session#invalidate()} just ended, from the index. */
  void unindexNow(String principal, List<String> keys) {
    StoreCalls.await(
        calls.call(
            "unindex",
            true,
            () -> {
              keys.forEach(k -> requireIndex().unindex(principal, k));
              return null;
            }));
  }

  // ---- listing and ending

  /**
   * A live session of a principal: its key, which never leaves this class's callers, its info, and
   * its last use as the expiry tells it, before clamping to the creation time and now.
   */
  record Found(String key, SessionInfo info, Instant lastUse) {}

  /**
   * The principal's live sessions, decoded; those that do not decode, or that name another
   * principal (an index entry left from a rebinding), are skipped. On the calling thread.
   */
  List<Found> found(String principal) {
    Instant now = options.clock().instant();
    List<Found> result = new ArrayList<>();
    for (IndexedSession s : requireIndex().sessionsOf(principal)) {
      BlobFormat.Contents contents =
          SessionState.decode(s.key(), ByteBuffer.wrap(s.blob()), options);
      if (contents == null || !principal.equals(principalOf(contents.values()))) {
        continue;
      }
      Instant created = Instant.ofEpochMilli(contents.createdAtMillis());
      Duration idle =
          contents.idleTimeoutMillis() > 0
              ? Duration.ofMillis(contents.idleTimeoutMillis())
              : options.idleTimeout();
      Instant expires = now.plus(s.expiresIn());
      Instant lastUse = expires.minus(idle);
      Instant last = lastUse;
      if (last.isBefore(created)) {
        last = created;
      } else if (last.isAfter(now)) {
        last = now;
      }
      String id = HexFormat.of().formatHex(contents.id());
      result.add(new Found(s.key(), new SessionInfo(id, created, last, expires), lastUse));
    }
    return result;
  }

  List<SessionInfo> list(String principal) {
    checkName(principal);
    requireIndex();
    List<SessionInfo> infos = new ArrayList<>();
    for (Found f : StoreCalls.await(calls.call("list", true, () -> found(principal)))) {
      infos.add(f.info);
    }
    infos.sort(Comparator.comparing(SessionInfo::lastAccessedAt).reversed());
    return List.copyOf(infos);
  }

  boolean end(String principal, String sessionId) {
    checkName(principal);
    requireNonNull(sessionId, "sessionId");
    requireIndex();
    return StoreCalls.await(
        calls.call(
            "end",
            true,
            () -> {
              for (Found f : found(principal)) {
                if (f.info.id().equals(sessionId)) {
                  endNow(principal, f.key);
                  return true;
                }
              }
              return false;
            }));
  }

  int endAll(String principal) {
    checkName(principal);
    requireIndex();
    return StoreCalls.await(
        calls.call(
            "end",
            true,
            () -> {
              List<Found> live = found(principal);
              live.forEach(f -> endNow(principal, f.key));
              return live.size();
            }));
  }

  /**
   * Ends the session under {@code key}: a tombstone where the store keeps versions, so a request in
   * flight cannot write it back, else a delete; then its index entry goes.
   */
  private void endNow(String principal, String key) {
    if (index instanceof VersionedSessionStore versioned) {
      versioned.invalidate(key, options.tombstoneTtl());
    } else {
      requireIndex().delete(key);
    }
    requireIndex().unindex(principal, key);
  }
}
