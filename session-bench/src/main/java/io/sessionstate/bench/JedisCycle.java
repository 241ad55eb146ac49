package io.sessionstate.bench;

import java.nio.charset.StandardCharsets;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * The raw baseline for the Redis store: Jedis on the same server, keys shaped like the store's. A
 * modified cycle is {@code GETEX key PX ttl} and {@code SET key blob PX ttl}; a read-only cycle is
 * the {@code GETEX} alone; a new session is the {@code SET} alone.
 */
final class JedisCycle implements Cycle {
  private static final byte[][] WRITES = {Workload.rawBlob('x'), Workload.rawBlob('y')};

  private final RedisClient jedis;
  private final String prefix;
  private final long ttlMillis = Workload.IDLE_TIMEOUT.toMillis();
  private byte[][] keys = new byte[0][];

  JedisCycle(Env env) {
    this.jedis = env.newJedis();
    this.prefix = env.namespace() + "-raw";
  }

  private byte[] redisKey(String key) {
    return ("{" + prefix + "_" + key + "}_Data").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void populate(int count) {
    String[] raw = RawKeys.random(count);
    keys = new byte[count][];
    for (int i = 0; i < count; i++) {
      keys[i] = redisKey(raw[i]);
      jedis.set(keys[i], Workload.rawBlob('a'), SetParams.setParams().px(ttlMillis));
    }
  }

  @Override
  public Object modified(int session, int tick) {
    byte[] key = keys[session];
    byte[] blob = jedis.getEx(key, GetExParams.getExParams().px(ttlMillis));
    if (blob == null) {
      throw SessionstateCycle.missing();
    }
    jedis.set(key, WRITES[tick & 1], SetParams.setParams().px(ttlMillis));
    return blob;
  }

  @Override
  public Object readOnly(int session) {
    byte[] blob = jedis.getEx(keys[session], GetExParams.getExParams().px(ttlMillis));
    if (blob == null) {
      throw SessionstateCycle.missing();
    }
    return blob;
  }

  @Override
  public Object newSession(int tick) {
    return jedis.set(
        redisKey(RawKeys.next()), WRITES[tick & 1], SetParams.setParams().px(ttlMillis));
  }

  @Override
  public void deleteAll() {
    RedisKeys.deleteMatching(jedis, "{" + prefix + "_*");
  }

  @Override
  public void close() {
    jedis.close();
  }
}
