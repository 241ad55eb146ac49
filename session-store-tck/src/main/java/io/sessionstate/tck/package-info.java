/**
 * The contract suite for session stores, as JUnit Jupiter interfaces with default test methods. A
 * store's test class implements the {@linkplain io.sessionstate.tck.StoreUnderTest hooks} once and
 * each contract the store supports: {@link io.sessionstate.tck.SessionStoreContract} (every store;
 * it extends {@link io.sessionstate.tck.SessionStoreExpiryContract}), {@link
 * io.sessionstate.tck.ReplacingSessionStoreContract} (a {@code ReplacingSessionStore}), {@link
 * io.sessionstate.tck.RequestCycleContract} (every store, through a real session manager) and
 * {@link io.sessionstate.tck.BackDoorContract} (a store whose server the test can reach directly).
 * Nothing is skipped: a contract a store does not support is simply not implemented.
 *
 * <p>Runs on JUnit Jupiter 5.10 or later, including 6; the project supplies it.
 */
@NullMarked
package io.sessionstate.tck;

import org.jspecify.annotations.NullMarked;
