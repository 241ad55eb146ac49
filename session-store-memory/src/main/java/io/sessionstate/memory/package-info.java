/**
 * The in-process session store: {@link io.sessionstate.memory.MemorySessionStore}, over Caffeine,
 * with sliding per-session expiry and a bound in bytes.
 */
package io.sessionstate.memory;
