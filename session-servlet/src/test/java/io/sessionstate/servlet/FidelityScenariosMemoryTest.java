package io.sessionstate.servlet;

import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.spi.SessionStore;

/** The fidelity scenarios on the memory store. */
class FidelityScenariosMemoryTest extends FidelityScenarios {
  @Override
  SessionStore newStore() {
    return MemorySessionStore.builder().maximumBytes(16 << 20).build();
  }
}
