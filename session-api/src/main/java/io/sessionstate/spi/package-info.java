/**
 * The store SPI: what a session store implements. A store is small and synchronous and speaks only
 * keys, bytes and time; the session model, cookies and blob format live in {@code io.sessionstate}.
 * Optional capabilities are separate interfaces, such as {@link
 * io.sessionstate.spi.ReplacingSessionStore}.
 */
package io.sessionstate.spi;
