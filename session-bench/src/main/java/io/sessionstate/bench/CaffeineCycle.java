package io.sessionstate.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The raw baseline for the memory store: a Caffeine cache of blobs with the same sliding expiry and
 * byte bound. A modified cycle is a get and a put of the blob; a read-only cycle is the get alone
 * (which slides the expiry).
 */
final class CaffeineCycle implements Cycle {
  private static final long MAXIMUM_BYTES = 128L << 20;
  private static final byte[][] WRITES = {Workload.rawBlob('x'), Workload.rawBlob('y')};

  private final Cache<String, byte[]> cache =
      Caffeine.newBuilder()
          .expireAfterAccess(Workload.IDLE_TIMEOUT)
          .maximumWeight(MAXIMUM_BYTES)
          .weigher((String key, byte[] blob) -> blob.length + 2 * key.length() + 160)
          .build();
  private String[] keys = new String[0];

  @Override
  public void populate(int count) {
    keys = RawKeys.random(count);
    for (String key : keys) {
      cache.put(key, Workload.rawBlob('a'));
    }
  }

  @Override
  public Object modified(int session, int tick) {
    String key = keys[session];
    byte[] blob = cache.getIfPresent(key);
    if (blob == null) {
      throw SessionstateCycle.missing();
    }
    cache.put(key, WRITES[tick & 1]);
    return blob;
  }

  @Override
  public Object readOnly(int session) {
    byte[] blob = cache.getIfPresent(keys[session]);
    if (blob == null) {
      throw SessionstateCycle.missing();
    }
    return blob;
  }

  @Override
  public Object newSession(int tick) {
    String key = RawKeys.next();
    cache.put(key, WRITES[tick & 1]);
    return key;
  }

  @Override
  public void deleteAll() {
    cache.invalidateAll();
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }
}
