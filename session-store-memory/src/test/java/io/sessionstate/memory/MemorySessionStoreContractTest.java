package io.sessionstate.memory;

import io.sessionstate.tck.ConcurrentRequestsContract;
import io.sessionstate.tck.PrincipalIndexContract;
import io.sessionstate.tck.ReplacingSessionStoreContract;
import io.sessionstate.tck.RequestCycleContract;
import io.sessionstate.tck.SessionStoreContract;
import io.sessionstate.tck.VersionedSessionStoreContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contract suite over the memory store, on a fake ticker. An in-process store has no back door
 * to a server, so it leaves the back-door contract out.
 */
class MemorySessionStoreContractTest
    implements SessionStoreContract,
        ReplacingSessionStoreContract,
        RequestCycleContract,
        VersionedSessionStoreContract,
        ConcurrentRequestsContract,
        PrincipalIndexContract {
  private final AtomicLong nanos = new AtomicLong();
  private final MemorySessionStore store = MemorySessionStore.builder().ticker(nanos::get).build();

  @Override
  public MemorySessionStore store() {
    return store;
  }

  @Override
  public void elapse(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
