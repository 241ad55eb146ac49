/**
 * The store SPI: what a session store implements. A store is small and synchronous and speaks only
 * keys, bytes and time; the session model, cookies and blob format live in {@code io.sessionstate}.
 * Optional capabilities are separate interfaces: {@link io.sessionstate.spi.ReplacingSessionStore}
 * (a key moved in one operation) and {@link io.sessionstate.spi.VersionedSessionStore} (versions,
 * conditional saves and tombstones).
 */
@NullMarked
package io.sessionstate.spi;

import org.jspecify.annotations.NullMarked;
