package io.sessionstate.memory;

import io.sessionstate.spi.SessionStore;
import io.sessionstate.tck.SessionStoreContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

class MemorySessionStoreContractTest extends SessionStoreContract {
  private final AtomicLong nanos = new AtomicLong();

  @Override
  protected SessionStore createStore() {
    return MemorySessionStore.builder().ticker(nanos::get).build();
  }

  @Override
  protected void elapse(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
