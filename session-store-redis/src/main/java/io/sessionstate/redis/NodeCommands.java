package io.sessionstate.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.sessionstate.spi.VersionedSessionStore.Stored;
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
  private static final Rawable ONE = arg("1".getBytes(US_ASCII));
  private static final Rawable TWO = arg("2".getBytes(US_ASCII));
  private static final Rawable TWENTY = arg("20".getBytes(US_ASCII));
  private static final Rawable MINUS_ONE = arg("-1".getBytes(US_ASCII));

  private NodeCommands() {}

  /**
   * What {@code key} holds, slid by {@code millisArg} unless a tombstone: a transaction of {@link
   * VersionedValues#SLIDE}, which replies the value's first 20 bytes (the header, if it has one),
   * and a {@code GETRANGE} of the rest, so a versioned blob arrives in an array of its own and
   * needs no copy without its header.
   *
   * @throws RuntimeException Jedis' exception for a refused command or a failed connection
   */
  static Stored load(UnifiedJedis jedis, byte[] key, byte[] millisArg) {
    Rawable k = arg(key);
    Rawable[] args = {ONE, k, arg(millisArg)};
    CommandArguments rest =
        new CommandArguments(Protocol.Command.GETRANGE).key(k).add(TWENTY).add(MINUS_ONE);
    List<?> replies = transaction(jedis, script(VersionedValues.SLIDE, false, args), rest);
    if (replies.get(0) instanceof JedisDataException e && isNoScript(e)) {
      replies = transaction(jedis, script(VersionedValues.SLIDE, true, args), rest);
    }
    Object head = replies.get(0);
    if (head instanceof RuntimeException e) {
      throw e;
    }
    return VersionedValues.parse((byte @Nullable []) head, (byte[]) replies.get(1));
  }

  /**
   * Writes {@code value} (a header of the version {@code guessArg} names and the blob) under {@code
   * key} if the condition holds, to expire after {@code millisArg}, with the next version in its
   * header; replies as {@link VersionedValues#SAVE} does.
   *
   * @throws RuntimeException Jedis' exception for a refused command or a failed connection
   */
  static Object put(
      UnifiedJedis jedis,
      byte[] key,
      byte[] stagingKey,
      byte[][] condition,
      byte[] guessArg,
      byte[] value,
      byte[] millisArg) {
    Rawable staging = arg(stagingKey);
    Rawable[] args = {TWO, arg(key), staging, arg(condition[0]), arg(condition[1]), arg(guessArg)};
    CommandArguments set =
        new CommandArguments(Protocol.Command.SET)
            .key(staging)
            .add(arg(value))
            .add(Protocol.Keyword.PX)
            .add(arg(millisArg));
    List<?> replies = transaction(jedis, set, script(VersionedValues.PUT, false, args));
    if (replies.get(1) instanceof JedisDataException e && isNoScript(e)) {
      // The SET ran; the transaction sent again with the whole script writes the staging key once
      // more and moves it into place.
      replies = transaction(jedis, set, script(VersionedValues.PUT, true, args));
    }
    for (Object reply : replies) {
      if (reply instanceof RuntimeException e) {
        throw e;
      }
    }
    return replies.get(1);
  }

  /**
   * {@code MULTI}, two commands, {@code EXEC}, written together: one round trip. Returns the two
   * commands' replies, an error among them as its exception.
   */
  private static List<?> transaction(
      UnifiedJedis jedis, CommandArguments first, CommandArguments second) {
    try (AbstractPipeline pipeline = jedis.pipelined()) {
      Response<Object> multi = pipeline.sendCommand(new CommandArguments(Protocol.Command.MULTI));
      Response<Object> one = pipeline.sendCommand(first);
      Response<Object> two = pipeline.sendCommand(second);
      Response<Object> exec = pipeline.sendCommand(new CommandArguments(Protocol.Command.EXEC));
      pipeline.sync();
      // A command refused while queueing (READONLY, OOM, NOPERM) aborts the transaction: get()
      // throws that refusal, which names the cause and decides whether a retry may help.
      multi.get();
      one.get();
      two.get();
      if (!(exec.get() instanceof List<?> replies) || replies.size() != 2) {
        throw new JedisDataException("EXEC returned no reply list: the transaction did not run");
      }
      return replies;
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
