/**
 * The in-process session store: {@link io.sessionstate.memory.MemorySessionStore}, over Caffeine,
 * with sliding per-session expiry and a bound in bytes.
 */
@NullMarked
package io.sessionstate.memory;

import org.jspecify.annotations.NullMarked;
