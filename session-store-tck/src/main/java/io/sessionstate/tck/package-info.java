/**
 * The contract suite for session stores: {@link io.sessionstate.tck.SessionStoreContract}, run by
 * every store module through one subclass in its test sources.
 */
package io.sessionstate.tck;
