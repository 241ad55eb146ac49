/**
 * The PostgreSQL session store: {@link io.sessionstate.postgresql.PostgresSessionStore}, over
 * HikariCP and the PostgreSQL JDBC driver, with one statement per load and one per modified commit,
 * expiry by the database's clock, and a background sweeper that deletes expired rows in small
 * batches.
 *
 * <h2>The statements</h2>
 *
 * A load is one statement: {@code WITH slid AS (UPDATE ... SET expires_at = now() + ttl + margin
 * WHERE session_key = ? AND <live> AND <expiry outside [now + ttl, now + ttl + margin]>) SELECT
 * blob ... WHERE session_key = ? AND <live>}. Both parts find the row by its primary key and share
 * one snapshot; the blob comes from the read whether the update wrote or not. The margin is a
 * twentieth of the TTL, the fraction the session manager's touch interval takes by default; every
 * write of a session sets now + ttl + margin, so a load within a twentieth of the TTL after the
 * last write writes nothing. A save is one upsert, a touch the load's {@code UPDATE} alone, a
 * delete one {@code DELETE}, and a {@link io.sessionstate.postgresql.PostgresSessionStore#replace
 * replace} (a regenerated key) one upsert that deletes the old key in a common table expression.
 *
 * <p>The sweeper's access path is a B-tree index on {@code expires_at}. It makes every write of the
 * expiry a non-HOT update (a new entry in both indexes), which the throttled slide makes rare: one
 * per session per twentieth of its idle timeout. Without the index each sweep reads the whole
 * table; a BRIN index on PostgreSQL 15 blocks HOT updates as a B-tree does and is not used once
 * updates scatter the expiry across pages.
 *
 * <h2>Versions and tombstones</h2>
 *
 * The version is a column beside the blob, advanced by every write; a tombstone is a row whose blob
 * is null. A versioned load is the load's statement with the version, sliding a session but not a
 * tombstone. A conditional save is one statement: a conditional {@code UPDATE} for a session loaded
 * as existing, never an upsert that could write back a deleted or signed-out session, and an {@code
 * INSERT ... ON CONFLICT DO UPDATE ... WHERE} for a new one, whose update applies only to a row
 * that has expired (one the sweeper has not removed yet) or, last writer wins, to a live session; a
 * tombstone refuses both. Its reply carries, when it was refused, the row that refused it, so a
 * conflict needs no second load. A move to a new key is one statement too, and an invalidation one
 * upsert of the tombstone. Through {@code loadAndTouch} and {@code touch} a tombstone reads as
 * absent and keeps its expiry; the plain {@code save} overwrites it.
 *
 * <h2>A table of an earlier schema</h2>
 *
 * A table of the first schema (blob {@code NOT NULL}, no version column) must be brought up to date
 * before this version of the store uses it: {@code createSchema(true)} does it when the store
 * starts (two changes of the catalog, each a brief exclusive lock, only when needed), and the
 * shipped {@code schema-postgresql.sql} does it when run again. Its sessions stay, at version 0.
 * Until then every statement that names the version fails with a store error (SQL state {@code
 * 42703}, undefined column). The throttled slide needs no change of the schema: rows written by an
 * earlier version slide at their next load, as before.
 */
@NullMarked
package io.sessionstate.postgresql;

import org.jspecify.annotations.NullMarked;
