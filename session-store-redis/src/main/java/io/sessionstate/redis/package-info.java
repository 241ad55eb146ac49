/**
 * The Redis session store: {@link io.sessionstate.redis.RedisSessionStore}, over Jedis, with one
 * {@code GETEX} per load and one {@code SET} per modified commit, on a standalone server, behind
 * Sentinel or on a Cluster.
 */
@NullMarked
package io.sessionstate.redis;

import org.jspecify.annotations.NullMarked;
