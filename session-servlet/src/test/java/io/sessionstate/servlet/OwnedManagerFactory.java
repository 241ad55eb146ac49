package io.sessionstate.servlet;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.memory.MemorySessionStore;
import java.util.function.Supplier;

/** A {@code manager-factory} for init-param tests; keeps the last manager it made to inspect. */
public final class OwnedManagerFactory implements Supplier<SessionManager> {
  static volatile SessionManager last;

  /** Called by the filter through reflection. */
  public OwnedManagerFactory() {}

  @Override
  public SessionManager get() {
    SessionManager manager =
        SessionManager.builder()
            .store(MemorySessionStore.builder().maximumBytes(1 << 20).build())
            .keyRing(KeyRing.generate())
            .build();
    last = manager;
    return manager;
  }
}
