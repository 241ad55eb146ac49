package io.sessionstate.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.providers.ConnectionProvider;

/**
 * The versioned load and save on one node (standalone or behind Sentinel), written for the server's
 * sake: every script costs Redis several times what a plain command does (each {@code redis.call}
 * about as much as a small command on its own), and a blob moved into or out of Lua is copied and
 * interned on the way. So a load runs no script, a save one small script, and the blob never passes
 * through Lua. Each is one transaction, written at once and answered at once: one round trip.
 *
 * <ul>
 *   <li>A load is {@code MULTI}, {@code PTTL}, a {@code GETRANGE} of the header (the first 20
 *       bytes), a {@code GETRANGE} of the rest, {@code PEXPIRE … GT}, {@code EXEC}. A versioned
 *       blob so arrives in an array of its own, with no copy to take its header off. {@code GT}
 *       (Redis 7.0) only ever moves an expiry later, so a load never shortens what the key holds:
 *       neither a session whose own idle timeout is longer, nor a tombstone, whose time to live is
 *       its own and must outlast every commit of the signed-out session still in flight. Should the
 *       load have lengthened a tombstone, a second round trip gives it back the time to live the
 *       {@code PTTL} read, if it is still the same tombstone ({@link VersionedValues#UNSLIDE}).
 *       Every {@code PTTL} reads at least the time the tombstone had left, so concurrent loads, and
 *       a give-back that fails or runs late, can only leave it longer, never shorter. Only a
 *       request with a signed-out session's cookie reads a tombstone.
 *   <li>A save is {@code MULTI}, a plain {@code SET} of the whole new value under the session's
 *       {@linkplain RedisKeys#stagingKey staging key} with its time to live, {@link
 *       VersionedValues#PUT}, {@code EXEC}: the transaction makes the staging key invisible to
 *       every other client, and a connection lost before {@code EXEC} runs nothing. Only a script
 *       the server lost (a restart between the two) leaves a staging key behind, which the retry
 *       with the whole script moves into place at once.
 * </ul>
 *
 * <p>Arguments go to Jedis as {@link Rawable}s of the arrays themselves: Jedis copies every {@code
 * byte[]} argument it is given, the blob included. None is kept past the call. On a Cluster the
 * store runs the whole-value scripts instead ({@link VersionedValues#LOAD}, {@link
 * VersionedValues#SAVE}): a Cluster pipeline does not follow redirections. Thread-safe.
 */
final class NodeCommands {
  private static final Rawable ZERO = arg("0".getBytes(US_ASCII));
  private static final Rawable ONE = arg("1".getBytes(US_ASCII));
  private static final Rawable TWO = arg("2".getBytes(US_ASCII));
  private static final Rawable NINETEEN = arg("19".getBytes(US_ASCII));
  private static final Rawable TWENTY = arg("20".getBytes(US_ASCII));
  private static final Rawable MINUS_ONE = arg("-1".getBytes(US_ASCII));

  // Never changed once built, so one instance serves every connection.
  private static final CommandArguments MULTI = new CommandArguments(Protocol.Command.MULTI);
  private static final CommandArguments EXEC = new CommandArguments(Protocol.Command.EXEC);

  private static final Logger LOG = LoggerFactory.getLogger(NodeCommands.class);

  private NodeCommands() {}

  /**
   * What {@code key} holds, its expiry slid to at least {@code millis} from now ({@code millisArg}
   * is the same in decimal digits); a tombstone keeps the time to live it had.
   *
   * @throws RuntimeException Jedis' exception for a refused command or a failed connection
   */
  static Stored load(UnifiedJedis jedis, byte[] key, long millis, byte[] millisArg) {
    Rawable k = arg(key);
    List<?> replies =
        transaction(
            jedis,
            new CommandArguments(Protocol.Command.PTTL).key(k),
            new CommandArguments(Protocol.Command.GETRANGE).key(k).add(ZERO).add(NINETEEN),
            new CommandArguments(Protocol.Command.GETRANGE).key(k).add(TWENTY).add(MINUS_ONE),
            new CommandArguments(Protocol.Command.PEXPIRE)
                .key(k)
                .add(arg(millisArg))
                .add(Protocol.Keyword.GT));
    for (Object reply : replies) {
      if (reply instanceof RuntimeException e) {
        throw e;
      }
    }
    long ttl = (Long) replies.get(0);
    if (ttl == -2) {
      return Stored.absent(); // PTTL's answer for no key; GETRANGE reads a missing key as empty
    }
    byte[] head = (byte[]) replies.get(1);
    Stored stored = VersionedValues.parse(head, (byte[]) replies.get(2));
    if (stored.state() == Stored.State.TOMBSTONE && ttl > 0 && ttl < millis) {
      giveBack(jedis, key, head, ttl);
    }
    return stored;
  }

  /**
   * Sets a tombstone that a load lengthened back to the time to live it had. Best effort: should
   * this fail, the tombstone only stays refused longer, and the load has its answer already.
   */
  private static void giveBack(UnifiedJedis jedis, byte[] key, byte[] tombstone, long ttl) {
    List<byte[]> keys = List.of(key);
    List<byte[]> args = List.of(tombstone, Long.toString(ttl).getBytes(US_ASCII));
    try {
      try {
        jedis.evalsha(VersionedValues.UNSLIDE.sha1, keys, args);
      } catch (JedisNoScriptException e) {
        jedis.eval(VersionedValues.UNSLIDE.source, keys, args);
      }
    } catch (RuntimeException e) {
      LOG.debug("A tombstone keeps the longer time to live a load gave it: {}", e.toString());
    }
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
   * {@code MULTI}, {@code commands}, {@code EXEC}, written together: one round trip. Returns the
   * commands' replies, an error among them as its exception.
   */
  private static List<?> transaction(UnifiedJedis jedis, CommandArguments... commands) {
    List<?> replies =
        jedis instanceof NodeClient own
            ? onConnection(own.provider(), commands)
            : pipelined(jedis, commands);
    // A command refused while queueing (READONLY, OOM, NOPERM) aborts the transaction: throwing
    // that refusal names the cause and decides whether a retry may help.
    for (int i = 0; i < replies.size() - 1; i++) {
      if (replies.get(i) instanceof RuntimeException e) {
        throw e;
      }
    }
    if (!(replies.get(replies.size() - 1) instanceof List<?> executed)
        || executed.size() != commands.length) {
      throw new JedisDataException("EXEC returned no reply list: the transaction did not run");
    }
    return executed;
  }

  /**
   * The store's own client: the commands written to one pooled connection and the replies read
   * back, every reply of {@code MULTI}, the commands and {@code EXEC} in order, an error as its
   * exception. A connection that failed is marked broken and closed rather than pooled again.
   */
  private static List<Object> onConnection(
      ConnectionProvider provider, CommandArguments[] commands) {
    try (Connection connection = provider.getConnection()) {
      connection.sendCommand(MULTI);
      for (CommandArguments command : commands) {
        connection.sendCommand(command);
      }
      connection.sendCommand(EXEC);
      return connection.getMany(commands.length + 2);
    }
  }

  /** A caller's client, whose pool the store cannot reach: the same through a Jedis pipeline. */
  private static List<Object> pipelined(UnifiedJedis jedis, CommandArguments[] commands) {
    try (AbstractPipeline pipeline = jedis.pipelined()) {
      List<Response<Object>> sent = new ArrayList<>(commands.length + 2);
      sent.add(pipeline.sendCommand(MULTI));
      for (CommandArguments command : commands) {
        sent.add(pipeline.sendCommand(command));
      }
      sent.add(pipeline.sendCommand(EXEC));
      pipeline.sync();
      List<Object> replies = new ArrayList<>(sent.size());
      for (Response<Object> response : sent) {
        try {
          replies.add(response.get());
        } catch (JedisDataException e) {
          replies.add(e);
        }
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
