package io.sessionstate.servlet;

import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.spi.SessionStore;

/** The session's items through the filter, on the memory store. */
class SessionItemScenariosMemoryTest extends SessionItemScenarios {
  @Override
  SessionStore newStore() {
    return MemorySessionStore.builder().maximumBytes(16 << 20).build();
  }
}
