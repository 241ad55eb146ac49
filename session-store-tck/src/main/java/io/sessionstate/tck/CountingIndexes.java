package io.sessionstate.tck;

import io.sessionstate.spi.PrincipalIndex;
import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The counting stores over a versioned store that keeps a {@link PrincipalIndex}: each index call
 * counts once in {@link CountingSessionStore#indexCalls()}, one round trip.
 */
final class CountingIndexes {
  private CountingIndexes() {}

  static CountingSessionStore wrap(SessionStore store) {
    return store instanceof ReplacingSessionStore
        ? new IndexedReplacing((VersionedSessionStore) store)
        : new Indexed((VersionedSessionStore) store);
  }

  private static final class Indexed extends CountingSessionStore.Versioned
      implements PrincipalIndex {
    private final PrincipalIndex index;

    Indexed(VersionedSessionStore delegate) {
      super(delegate);
      this.index = (PrincipalIndex) delegate;
    }

    @Override
    public int index(String principal, String key, @Nullable String replacedKey, Duration ttl) {
      enter(indexCalls);
      return index.index(principal, key, replacedKey, ttl);
    }

    @Override
    public void unindex(String principal, String key) {
      enter(indexCalls);
      index.unindex(principal, key);
    }

    @Override
    public List<IndexedSession> sessionsOf(String principal) {
      enter(indexCalls);
      return index.sessionsOf(principal);
    }
  }

  private static final class IndexedReplacing extends CountingSessionStore.ReplacingVersioned
      implements PrincipalIndex {
    private final PrincipalIndex index;

    IndexedReplacing(VersionedSessionStore delegate) {
      super(delegate);
      this.index = (PrincipalIndex) delegate;
    }

    @Override
    public int index(String principal, String key, @Nullable String replacedKey, Duration ttl) {
      enter(indexCalls);
      return index.index(principal, key, replacedKey, ttl);
    }

    @Override
    public void unindex(String principal, String key) {
      enter(indexCalls);
      index.unindex(principal, key);
    }

    @Override
    public List<IndexedSession> sessionsOf(String principal) {
      enter(indexCalls);
      return index.sessionsOf(principal);
    }
  }
}
