package io.sessionstate.memory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The memory store's principal index: each principal's keys, and each key's principal, in this
 * process's heap. The store drops a key from it when the cache removes the key's entry (expiry,
 * eviction to the byte bound, delete), on the thread of the cache's maintenance, so no entry
 * outlives its session beyond the cache's next maintenance run, which every store write triggers.
 * Thread-safe: each principal's set is concurrent and is added or dropped only inside a {@code
 * compute} on its map entry.
 */
final class MemoryPrincipalIndex {
  private final Map<String, Set<String>> keysByPrincipal = new ConcurrentHashMap<>();
  private final Map<String, String> principalByKey = new ConcurrentHashMap<>();

  int index(String principal, String key, @Nullable String replacedKey) {
    String previous = principalByKey.put(key, principal);
    if (previous != null && !previous.equals(principal)) {
      removeFrom(previous, key);
    }
    if (replacedKey != null) {
      remove(principal, replacedKey);
    }
    Set<String> keys = keysByPrincipal.compute(principal, (p, set) -> add(set, key));
    return keys.size();
  }

  private static Set<String> add(Set<String> set, String key) {
    Set<String> keys = set == null ? ConcurrentHashMap.newKeySet() : set;
    keys.add(key);
    return keys;
  }

  void remove(String principal, String key) {
    if (principalByKey.remove(key, principal)) {
      removeFrom(principal, key);
    }
  }

  /** The cache removed {@code key}'s entry: its session is gone. */
  void removed(String key) {
    String principal = principalByKey.remove(key);
    if (principal != null) {
      removeFrom(principal, key);
    }
  }

  private void removeFrom(String principal, String key) {
    keysByPrincipal.computeIfPresent(
        principal,
        (p, keys) -> {
          keys.remove(key);
          return keys.isEmpty() ? null : keys;
        });
  }

  List<String> keysOf(String principal) {
    Set<String> keys = keysByPrincipal.get(principal);
    return keys == null ? List.of() : List.copyOf(keys);
  }

  /** How many keys are indexed in all. */
  int size() {
    return principalByKey.size();
  }

  void clear() {
    keysByPrincipal.clear();
    principalByKey.clear();
  }
}
