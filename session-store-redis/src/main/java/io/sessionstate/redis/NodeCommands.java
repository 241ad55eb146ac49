package io.sessionstate.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.List;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The versioned load and save on one node (standalone or behind Sentinel), written so that a
 * session's blob never passes through Lua: Redis copies and interns every string a script reads or
 * receives, which for a blob of a kilobyte costs the server several times what the commands
 * themselves do. Each is still one write and one reply, so one round trip.
 *
 * <ul>
 *   <li>A load is {@link VersionedValues#SLIDE} and a plain {@code GET}, pipelined. They need not
 *       be atomic together: the {@code GET} reads value and version in one string, and the script
 *       checks for itself that it never slides a tombstone.
 *   <li>A save is {@code MULTI}, a plain {@code SET} of the whole new value under the session's
 *       {@linkplain RedisKeys#stagingKey staging key}, {@link VersionedValues#PUT}, {@code EXEC}:
 *       the transaction makes the staging key invisible to every other client, and a connection
 *       lost before {@code EXEC} runs nothing.
 * </ul>
 *
 * <p>Arguments go to Jedis as {@link Rawable}s of the arrays themselves: Jedis copies every {@code
 * byte[]} argument it is given, the blob included. None is kept past the call. On a Cluster the
 * store runs the whole-value scripts instead ({@link VersionedValues#LOAD}, {@link
 * VersionedValues#SAVE}): a Cluster pipeline does not follow redirections. Thread-safe.
 */
final class NodeCommands {
  // The staging key lives only inside its transaction; the expiry is a guard should a script fail
  // after the SET ran (a script the server lost in between, which the retry sends whole).
  private static final Rawable STAGING_TTL = arg("10000".getBytes(US_ASCII));
  private static final Rawable ONE = arg("1".getBytes(US_ASCII));
  private static final Rawable TWO = arg("2".getBytes(US_ASCII));

  private NodeCommands() {}

  /**
   * The value of {@code key} (null for none), slid by {@code millisArg} unless a tombstone.
   *
   * @throws RuntimeException Jedis' exception for a refused command or a failed connection
   */
  static byte @Nullable [] slideAndGet(UnifiedJedis jedis, byte[] key, byte[] millisArg) {
    Rawable k = arg(key);
    Rawable millis = arg(millisArg);
    try (AbstractPipeline pipeline = jedis.pipelined()) {
      Response<Object> slide =
          pipeline.sendCommand(script(VersionedValues.SLIDE, false, ONE, k, millis));
      Response<Object> value =
          pipeline.sendCommand(new CommandArguments(Protocol.Command.GET).key(k));
      pipeline.sync();
      try {
        slide.get();
      } catch (JedisDataException e) {
        if (!isNoScript(e)) {
          throw e;
        }
        // A server that lost its scripts (a restart, a failover): slide with the source, once.
        jedis.eval(VersionedValues.SLIDE.source, List.of(key), List.of(millisArg));
      }
      return (byte[]) value.get();
    }
  }

  /**
   * Writes {@code value} (a header of version zero and the blob) under {@code key} if the condition
   * holds, with the next version in its header; replies as {@link VersionedValues#SAVE} does.
   *
   * @throws RuntimeException Jedis' exception for a refused command or a failed connection
   */
  static Object put(
      UnifiedJedis jedis,
      byte[] key,
      byte[] stagingKey,
      byte[][] condition,
      byte[] value,
      byte[] millisArg) {
    Rawable[] args = {
      TWO, arg(key), arg(stagingKey), arg(condition[0]), arg(condition[1]), arg(millisArg)
    };
    Object reply =
        putTransaction(jedis, stagingKey, value, script(VersionedValues.PUT, false, args));
    if (reply instanceof JedisDataException e && isNoScript(e)) {
      reply = putTransaction(jedis, stagingKey, value, script(VersionedValues.PUT, true, args));
    }
    if (reply instanceof RuntimeException e) {
      throw e;
    }
    return reply;
  }

  /** The transaction of a save; returns the script's reply, or the error it gave. */
  private static @Nullable Object putTransaction(
      UnifiedJedis jedis, byte[] stagingKey, byte[] value, CommandArguments script) {
    try (AbstractPipeline pipeline = jedis.pipelined()) {
      Response<Object> multi = pipeline.sendCommand(new CommandArguments(Protocol.Command.MULTI));
      Response<Object> set =
          pipeline.sendCommand(
              new CommandArguments(Protocol.Command.SET)
                  .key(arg(stagingKey))
                  .add(arg(value))
                  .add(Protocol.Keyword.PX)
                  .add(STAGING_TTL));
      Response<Object> check = pipeline.sendCommand(script);
      Response<Object> exec = pipeline.sendCommand(new CommandArguments(Protocol.Command.EXEC));
      pipeline.sync();
      // A command refused while queueing (READONLY, OOM, NOPERM) aborts the transaction: get()
      // throws that refusal, which names the cause and decides whether a retry may help.
      multi.get();
      set.get();
      check.get();
      if (!(exec.get() instanceof List<?> replies) || replies.size() != 2) {
        throw new JedisDataException("EXEC returned no reply list: the transaction did not run");
      }
      if (replies.get(0) instanceof RuntimeException e) {
        throw e;
      }
      return replies.get(1);
    }
  }

  private static CommandArguments script(
      VersionedValues.Script script, boolean whole, Rawable... args) {
    CommandArguments command =
        whole
            ? new CommandArguments(Protocol.Command.EVAL).add(arg(script.source))
            : new CommandArguments(Protocol.Command.EVALSHA).add(arg(script.sha1));
    for (Rawable a : args) {
      command.add(a);
    }
    return command;
  }

  private static boolean isNoScript(JedisDataException e) {
    return e instanceof JedisNoScriptException
        || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"));
  }

  private static Rawable arg(byte[] bytes) {
    return new Arg(bytes);
  }

  /** An argument Jedis writes as it is, where {@code byte[]} arguments are copied first. */
  private record Arg(byte[] bytes) implements Rawable {
    @Override
    public byte[] getRaw() {
      return bytes;
    }
  }
}
