package io.sessionstate.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Removes the principal index entries of sessions that expired: once per prune interval, on a
 * daemon thread of its own that starts with the store's first index call (never in a constructor),
 * it {@code SCAN}s every primary for the application's index sets and, in each, checks the members
 * whose score (the expiry they cannot have passed before) lies in the past, reading each one's
 * session as {@link RedisPrincipalIndex#peek} does. Every node that signs users in runs one; their
 * runs overlap harmlessly, as each step is a {@code ZREM} or a {@code ZADD XX} on one key. A failed
 * run is logged and the next one tries again. Thread-safe.
 */
final class RedisIndexPruner {
  private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);
  private static final int SCAN_COUNT = 1000;

  private final UnifiedJedis jedis;
  private final RedisPrincipalIndex index;
  private final Duration interval;
  private final AtomicLong runs = new AtomicLong();
  private @Nullable ScheduledExecutorService timer;
  private boolean closed;

  RedisIndexPruner(UnifiedJedis jedis, RedisPrincipalIndex index, Duration interval) {
    this.jedis = jedis;
    this.index = index;
    this.interval = interval;
  }

  /** Starts the schedule if it has not started; does nothing once closed. */
  synchronized void start() {
    if (timer != null || closed) {
      return;
    }
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "sessionstate-redis-index-pruner");
              thread.setDaemon(true);
              return thread;
            });
    t.scheduleWithFixedDelay(
        this::runLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    timer = t;
  }

  private void runLogged() {
    try {
      pruneOnce();
    } catch (RuntimeException e) {
      // Lost otherwise: no caller waits for a background run.
      log.warn("Pruning the principal index failed; the next run tries again: {}", e.toString());
    }
  }

  /** One pass over every index set; returns how many entries it removed. */
  int pruneOnce() {
    int removed = 0;
    ScanIteration sets = jedis.scanIteration(SCAN_COUNT, index.setPattern(), "zset");
    while (!sets.isIterationCompleted()) {
      ScanResult<String> batch = sets.nextBatch();
      for (String set : batch.getResult()) {
        removed += pruneSet(set.getBytes(UTF_8));
      }
    }
    runs.incrementAndGet();
    return removed;
  }

  private int pruneSet(byte[] set) {
    // By this node's clock: a skew of a few seconds only moves a check to the next pass.
    List<byte[]> due =
        jedis.zrange(set, ZRangeParams.zrangeByScoreParams(0, System.currentTimeMillis()));
    int removed = 0;
    Map<byte[], Double> alive = new HashMap<>();
    for (byte[] member : due) {
      RedisPrincipalIndex.Peeked p = index.peek(new String(member, UTF_8));
      if (p == null) {
        removed += (int) jedis.zrem(set, member);
      } else {
        alive.put(member, (double) (p.nowMillis() + p.ttlMillis()));
      }
    }
    if (!alive.isEmpty()) {
      jedis.zadd(set, alive, ZAddParams.zAddParams().xx());
    }
    return removed;
  }

  /** How many passes have finished. */
  long runs() {
    return runs.get();
  }

  synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
