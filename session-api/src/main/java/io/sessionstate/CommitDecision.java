package io.sessionstate;

import java.util.List;

/**
 * What a commit does in the store, decided from the session's state before any I/O. A value, so the
 * rules live in one place ({@link SessionKey#commitDecision}) and the store calls in another
 * ({@link StoreCalls}). Immutable.
 */
sealed interface CommitDecision {

  /** Nothing to write: the session is empty and the store holds nothing of it. */
  Nothing NOTHING = new Nothing();

  /** The keys that no longer name this session once the decision is carried out. */
  List<String> staleKeys();

  /** See {@link #NOTHING}. */
  record Nothing() implements CommitDecision {
    @Override
    public List<String> staleKeys() {
      return List.of();
    }
  }

  /**
   * Deletes {@code keys}: the session is empty, and empty sessions are never stored, or it was
   * invalidated.
   */
  record Delete(List<String> keys) implements CommitDecision {
    public Delete {
      keys = List.copyOf(keys);
    }

    @Override
    public List<String> staleKeys() {
      return keys;
    }
  }

  /** Writes the session's blob under {@link #key()}. */
  sealed interface Write extends CommitDecision {
    /** The key the blob is written under. */
    String key();

    /** Whether the store held this session under no key before: the write creates it. */
    boolean created();

    /** Whether the write moves a stored session to a new key. */
    boolean regenerated();
  }

  /** Saves under {@code key}, then deletes each of {@code staleKeys}. */
  record Save(String key, List<String> staleKeys, boolean created, boolean regenerated)
      implements Write {
    public Save {
      staleKeys = List.copyOf(staleKeys);
    }
  }

  /** Moves the session from {@code oldKey} to {@code key} in one store call. */
  record Replace(String key, String oldKey, boolean created, boolean regenerated) implements Write {
    @Override
    public List<String> staleKeys() {
      return List.of(oldKey);
    }
  }
}
