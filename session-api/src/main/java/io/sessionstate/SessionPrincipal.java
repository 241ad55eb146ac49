package io.sessionstate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The principal binding of one request's session: what the index held for it when this request
 * first changed the binding, and the index write its commit owes. Belongs to one {@link
 * DefaultSession}; not thread-safe.
 */
final class SessionPrincipal {
  private final Principals principals;
  private final SessionOptions options;

  /**
   * Whether the binding changed since the last commit; then {@link #indexed} is what was stored.
   */
  private boolean changed;

  private @Nullable String indexed;

  SessionPrincipal(Principals principals, SessionOptions options) {
    this.principals = principals;
    this.options = options;
  }

  @Nullable String current(SessionState s) {
    return Principals.principalOf(s.values);
  }

  /** Records what the store holds before the first change of the binding (or of all values). */
  void beforeChange(SessionState s) {
    if (!changed) {
      indexed = current(s);
      changed = true;
    }
  }

  /**
   * Binds {@code s}, the session's state or null when it is unavailable, to {@code principal}
   * through {@code session}'s own write path; refuses it over a REFUSE_NEW limit.
   */
  void bind(DefaultSession session, @Nullable SessionState s, String principal) {
    Principals.checkName(principal);
    if (s == null || principal.equals(current(s))) {
      return;
    }
    principals.checkLimit(principal);
    beforeChange(s);
    session.rawSet(Principals.STORAGE_KEY, principal.getBytes(StandardCharsets.UTF_8));
  }

  void unbind(DefaultSession session, @Nullable SessionState s) {
    if (s != null && current(s) != null) {
      beforeChange(s);
      session.rawRemove(Principals.STORAGE_KEY);
    }
  }

  Optional<String> of(@Nullable SessionState s) {
    return s == null ? Optional.empty() : Optional.ofNullable(current(s));
  }

  /** Refuses the reserved key to the application's own reads and writes. */
  static void checkUserKey(String key) {
    if (key.equals(Principals.STORAGE_KEY)) {
      throw new IllegalArgumentException("key is reserved for the principal: use bindPrincipal");
    }
  }

  /**
   * Runs {@code write}, the commit, and then the index write it owes: none when neither the binding
   * nor the key changed, which is every request that does not sign in, out or regenerate.
   */
  CompletableFuture<Void> commit(SessionState s, Supplier<CompletableFuture<Void>> write) {
    if (!owesIndexWrite(s)) {
      return write.get();
    }
    String newPrincipal = current(s);
    String oldPrincipal = changed ? indexed : newPrincipal;
    String movedFrom = s.key.movedFrom();
    String oldKey = movedFrom != null ? movedFrom : s.key.stored() ? s.key.current() : null;
    if (oldPrincipal == null && newPrincipal == null
        || oldPrincipal != null && oldPrincipal.equals(newPrincipal) && movedFrom == null) {
      changed = false;
      return write.get();
    }
    Duration ttl =
        options.ttl(s.values.createdAtMillis(options.clock()), s.values.ownIdleTimeoutMillis());
    String sessionId = HexFormat.of().formatHex(s.values.id(options.clock()));
    return write
        .get()
        .thenCompose(
            ignored -> {
              changed = false;
              indexed = null;
              boolean landed = s.key.stored() && s.key.current() != null;
              return principals.reindex(
                  oldPrincipal,
                  oldKey,
                  landed ? newPrincipal : null,
                  landed ? s.key.current() : null,
                  ttl,
                  sessionId);
            });
  }

  /**
   * Whether the commit of {@code s} may owe an index write: never without an index, nor when
   * neither the binding nor the key changed, which is every request that does not sign in, out or
   * regenerate. Such a commit is only the write; this check reads no value.
   */
  boolean owesIndexWrite(SessionState s) {
    return principals.index() != null && (changed || s.key.movedFrom() != null);
  }

  /** After {@link Session#invalidate()} ended {@code keys}: their index entries go too. */
  void invalidated(SessionState s, List<String> keys) {
    String principal = changed ? indexed : current(s);
    changed = false;
    indexed = null;
    if (principal != null && principals.index() != null && !keys.isEmpty()) {
      principals.unindexNow(principal, keys);
    }
  }
}
