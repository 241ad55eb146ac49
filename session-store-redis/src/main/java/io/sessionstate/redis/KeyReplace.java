package io.sessionstate.redis;

import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * The commands of a {@link RedisSessionStore#replace replace}. On one node (standalone or behind
 * Sentinel): {@code MULTI}, {@code SET newKey blob PX ttl}, {@code DEL oldKey}, {@code EXEC},
 * written together and answered together, so no other client sees one key without the other. On a
 * Cluster: the {@code SET}, then the {@code DEL}.
 */
final class KeyReplace {
  private KeyReplace() {}

  /**
   * Moves the blob from {@code oldKey} to {@code newKey}, or only writes it when the two are the
   * same key.
   *
   * @throws RuntimeException Jedis' exception for a refused command or a failed connection
   */
  static void run(
      UnifiedJedis jedis,
      boolean cluster,
      byte[] oldKey,
      byte[] newKey,
      byte[] blob,
      long ttlMillis,
      boolean sameKey) {
    if (sameKey) {
      jedis.set(newKey, blob, SetParams.setParams().px(ttlMillis));
    } else if (cluster) {
      // Two commands, the DEL only once the SET has succeeded: the keys usually sit on different
      // masters, and a pipeline would send both at once, so a refused SET (OOM, a slot moving)
      // could go with a successful DEL and lose the session. Single commands also follow MOVED
      // and ASK redirections, which a Cluster pipeline does not.
      jedis.set(newKey, blob, SetParams.setParams().px(ttlMillis));
      jedis.del(oldKey);
    } else {
      transaction(jedis, oldKey, newKey, blob, ttlMillis);
    }
  }

  /** The transaction in one round trip. */
  private static void transaction(
      UnifiedJedis jedis, byte[] oldKey, byte[] newKey, byte[] blob, long ttlMillis) {
    // Jedis' own multi() reads the replies to MULTI and to each queued command before it sends
    // EXEC: two round trips. Pipelined, the four commands go out in one write and their replies
    // come back together.
    try (AbstractPipeline pipeline = jedis.pipelined()) {
      Response<Object> multi = pipeline.sendCommand(new CommandArguments(Protocol.Command.MULTI));
      Response<Object> set =
          pipeline.sendCommand(
              new CommandArguments(Protocol.Command.SET)
                  .key(newKey)
                  .add(blob)
                  .add(Protocol.Keyword.PX)
                  .add(ttlMillis));
      Response<Object> del =
          pipeline.sendCommand(new CommandArguments(Protocol.Command.DEL).key(oldKey));
      Response<Object> exec = pipeline.sendCommand(new CommandArguments(Protocol.Command.EXEC));
      pipeline.sync();
      // A command refused while queueing (READONLY, OOM, NOPERM) makes EXEC fail with a bare
      // EXECABORT: get() throws the refusal itself, which names the cause and decides whether a
      // retry may help. A command that fails inside the transaction comes back as an element of
      // EXEC's reply.
      multi.get();
      set.get();
      del.get();
      if (exec.get() instanceof List<?> replies) {
        for (Object reply : replies) {
          if (reply instanceof RuntimeException e) {
            throw e;
          }
        }
      } else {
        throw new JedisDataException("EXEC returned no reply list: the transaction did not run");
      }
    }
  }
}
