/** Micrometer meters for sessionstate: store operation timers, session sizes and events. */
// Micrometer is an automatic module (it names itself in its manifest); SessionMetrics takes its
// MeterRegistry and MemoryStoreMetrics is its MeterBinder, so a caller must read it too.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.sessionstate.micrometer {
  requires transitive io.sessionstate;
  requires transitive micrometer.core;
  // Only MemoryStoreMetrics names the memory store, and only an application with that store uses
  // it: static, so the memory store is not forced on anyone.
  requires static transitive io.sessionstate.memory;
  requires static transitive org.jspecify;

  exports io.sessionstate.micrometer;
}
