package io.sessionstate.tck;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every contract of the suite over {@link MapSessionStore}. In this module the suite runs on the
 * lowest JUnit Jupiter it supports (see {@link LowestJUnitTest}).
 */
// README: testing your own store
class MapSessionStoreContractTest
    implements SessionStoreContract,
        ReplacingSessionStoreContract,
        RequestCycleContract,
        BackDoorContract {
  private final AtomicLong nanos = new AtomicLong();
  private final MapSessionStore store = new MapSessionStore(nanos::get);

  @Override
  public MapSessionStore store() {
    return store;
  }

  @Override
  public void elapse(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Override
  public void writeRaw(String key, byte[] bytes, Duration ttl) {
    store.entries.put(key, store.expiring(bytes.clone(), ttl));
  }

  @Override
  public Optional<byte[]> readRaw(String key) {
    return Optional.ofNullable(store.entries.get(key)).map(e -> e.blob().clone());
  }

  @Override
  public Optional<Duration> remainingTtl(String key) {
    return Optional.ofNullable(store.entries.get(key))
        .map(e -> Duration.ofNanos(e.expiresAtNanos() - nanos.get()));
  }
}
// README end
