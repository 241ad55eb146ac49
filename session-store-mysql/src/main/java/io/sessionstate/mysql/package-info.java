/**
 * The MySQL and MariaDB session store: {@link io.sessionstate.mysql.MySqlSessionStore}, over
 * HikariCP and MariaDB Connector/J, with one statement per modified commit, a load that reads with
 * one statement and writes the expiry only when it must slide, expiry by the database's clock, and
 * a background sweeper that deletes expired rows in small batches by primary key.
 *
 * <h2>The statements</h2>
 *
 * A load is one {@code SELECT} of the blob and of whether the expiry lies outside [now + TTL, now +
 * TTL + margin]; only then an {@code UPDATE} slides it to now + TTL + margin. A save is one {@code
 * INSERT ... ON DUPLICATE KEY UPDATE}, a touch the slide's {@code UPDATE} with the same condition
 * (an {@code UPDATE} that matches no row writes no log), a delete one {@code DELETE}, and a replace
 * (a regenerated key) one transaction of a {@code DELETE} and an insert.
 *
 * <h2>Versions and tombstones</h2>
 *
 * The version is a column beside the blob, advanced by every write; a tombstone is a row whose blob
 * is null. A versioned load is the plain load's {@code SELECT} with the version, sliding a session
 * but not a tombstone. A conditional save is one statement: a conditional {@code UPDATE} for a
 * session loaded as existing (never an upsert that could write back a deleted or signed-out
 * session), and an {@code INSERT ... ON DUPLICATE KEY UPDATE} whose update takes only an expired
 * row (or, last writer wins, a live session) for a new one; a tombstone refuses both. The new
 * version comes back in the reply's OK packet ({@code LAST_INSERT_ID(expr)}); a refused save that
 * must report the session it met reads it with a second {@code SELECT}. An invalidation is one
 * upsert of the tombstone; a move to a new key one transaction of the conditional tombstone and the
 * new row. Through {@code loadAndTouch} and {@code touch} a tombstone reads as absent and keeps its
 * expiry; the plain {@code save} overwrites it.
 */
@NullMarked
package io.sessionstate.mysql;

import org.jspecify.annotations.NullMarked;
