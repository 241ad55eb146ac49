package io.sessionstate.redis;

import io.sessionstate.spi.VersionedSessionStore.Condition;
import io.sessionstate.spi.VersionedSessionStore.Stored;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * How the store keeps a version and a tombstone in the one string value of a session's key, so that
 * a conditional save stays one script on one key (one slot on a Cluster) and a load stays one
 * command. The store owns a header in front of the blob; the blob itself is the library's, and the
 * store never looks inside it.
 *
 * <ul>
 *   <li>A versioned blob: {@code FF 'S' 'S' 'V'}, the version as 16 ASCII digits, then the blob (a
 *       20-byte header).
 *   <li>A tombstone: {@code FF 'S' 'S' 'T'} and up to 16 bytes of a token naming the move that left
 *       it (empty for a sign-out), 20 bytes at most.
 *   <li>Anything else is a bare blob at version 0: what the plain {@code save} writes, what earlier
 *       versions of the store wrote, and whatever else someone put under the key.
 * </ul>
 *
 * <p>{@code FF} starts no blob of the library's format (whose first byte is its revision, 1), so no
 * session blob is mistaken for a header. The version is decimal text because the scripts run in
 * Redis' Lua, whose numbers are doubles: 16 digits fit exactly, far past any session's count of
 * commits. Thread-safe.
 */
final class VersionedValues {
  static final int HEADER_BYTES = 20;
  private static final byte[] LIVE = {(byte) 0xFF, 'S', 'S', 'V'};
  private static final byte[] TOMBSTONE = {(byte) 0xFF, 'S', 'S', 'T'};

  /** The Lua that reads what a key holds: nil for nothing, -1 and the token, or the version. */
  private static final String STATE =
      "local function state(key)\n"
          + "  local h = redis.call('GETRANGE', key, 0, 19)\n"
          + "  if h == '' then\n"
          + "    if redis.call('EXISTS', key) == 0 then return nil end\n"
          + "    return 0\n"
          + "  end\n"
          + "  local mark = string.sub(h, 1, 4)\n"
          + "  if mark == '\\255SST' and redis.call('STRLEN', key) <= 20 then\n"
          + "    return -1, string.sub(h, 5)\n"
          + "  end\n"
          + "  if mark == '\\255SSV' and #h == 20 and string.find(h, '^%d+$', 5) then\n"
          + "    return tonumber(string.sub(h, 5))\n"
          + "  end\n"
          + "  return 0\n"
          + "end\n"
          // The condition's check: nil when the write may go ahead, else the reply that refuses.
          + "local function refuse(key, cur, mode, expected)\n"
          + "  if cur == -1 then return {3} end\n"
          + "  if mode == 'VERSION' then\n"
          + "    if cur == nil then return {3} end\n"
          + "    if cur ~= tonumber(expected) then return {2, redis.call('GET', key)} end\n"
          + "  elseif mode == 'EXISTS' then\n"
          + "    if cur == nil then return {3} end\n"
          + "  elseif mode == 'ABSENT' then\n"
          + "    if cur ~= nil then return {2, redis.call('GET', key)} end\n"
          + "  end\n"
          + "  return nil\n"
          + "end\n"
          + "local function header(v)\n"
          + "  return '\\255SSV' .. string.format('%016.0f', v)\n"
          + "end\n";

  /**
   * Returns the value and slides it, never to an earlier expiry than it has ({@code GT}), but
   * returns a tombstone as it is: its time to live is its own. KEYS: the key. ARGV: the time to
   * live in milliseconds.
   */
  static final Script LOAD =
      new Script(
          "local v = redis.call('GET', KEYS[1])\n"
              + "if not v then return false end\n"
              + "if string.sub(v, 1, 4) == '\\255SST' and #v <= 20 then return v end\n"
              + "redis.call('PEXPIRE', KEYS[1], ARGV[1], 'GT')\n"
              + "return v\n");

  /**
   * Gives a tombstone that a load on one node slid back the time to live it had, if the key still
   * holds that very tombstone. KEYS: the key. ARGV: the tombstone, its time to live in
   * milliseconds.
   */
  static final Script UNSLIDE =
      new Script(
          "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end\n"
              + "return redis.call('PEXPIRE', KEYS[1], ARGV[2])\n");

  /**
   * The checking half of a conditional save on one node, run in one transaction after a plain
   * {@code SET} of the new value, header included, under a staging key of the same session with the
   * value's time to live: on success the staging key becomes the key ({@code RENAME} keeps the time
   * to live), and only when the version the caller guessed for the header is not the next one is
   * the header corrected; otherwise the staging key is deleted. The blob never passes through Lua,
   * and every {@code redis.call} counts: each costs the server about as much as a small command on
   * its own. KEYS: the key, the staging key. ARGV: the condition's kind, its version (or 0), the
   * version written into the header. Reply as for {@link #SAVE}.
   */
  static final Script PUT =
      new Script(
          STATE
              + "local cur = state(KEYS[1])\n"
              + "local no = refuse(KEYS[1], cur, ARGV[1], ARGV[2])\n"
              + "if no then\n"
              + "  redis.call('DEL', KEYS[2])\n"
              + "  return no\n"
              + "end\n"
              + "local v = (cur or 0) + 1\n"
              + "redis.call('RENAME', KEYS[2], KEYS[1])\n"
              + "if v ~= tonumber(ARGV[3]) then\n"
              + "  redis.call('SETRANGE', KEYS[1], 4, string.format('%016.0f', v))\n"
              + "end\n"
              + "return {1, v}\n");

  /**
   * A conditional save. KEYS: the key. ARGV: the condition's kind, its version (or 0), the blob,
   * the time to live in milliseconds. Reply: {1, new version}, {2, the stored value} or {3}.
   */
  static final Script SAVE =
      new Script(
          STATE
              + "local cur = state(KEYS[1])\n"
              + "local no = refuse(KEYS[1], cur, ARGV[1], ARGV[2])\n"
              + "if no then return no end\n"
              + "local v = (cur or 0) + 1\n"
              + "redis.call('SET', KEYS[1], header(v) .. ARGV[3], 'PX', ARGV[4])\n"
              + "return {1, v}\n");

  /**
   * The old key's half of a move, and on one node the new key's too. KEYS: the old key, and the new
   * key where both can be written in one script. ARGV: the condition's kind, its version (or 0),
   * the blob, its time to live, the tombstone's time to live, the move's token. A tombstone that
   * carries this move's token is this move's own, left by an attempt whose reply was lost: the move
   * has happened. Reply as for {@link #SAVE}, the new key at version 1.
   */
  static final Script MOVE =
      new Script(
          STATE
              + "local cur, token = state(KEYS[1])\n"
              + "if cur == -1 and token == ARGV[6] then return {1, 1} end\n"
              + "local no = refuse(KEYS[1], cur, ARGV[1], ARGV[2])\n"
              + "if no then return no end\n"
              + "redis.call('SET', KEYS[1], '\\255SST' .. ARGV[6], 'PX', ARGV[5])\n"
              + "if KEYS[2] then\n"
              + "  redis.call('SET', KEYS[2], header(1) .. ARGV[3], 'PX', ARGV[4])\n"
              + "end\n"
              + "return {1, 1}\n");

  // Arguments are only read once made: one array per condition kind serves every call.
  private static final byte[][] KIND_NAMES = new byte[Condition.Kind.values().length][];
  private static final byte[][][] UNVERSIONED_ARGS = new byte[KIND_NAMES.length][][];

  static {
    for (Condition.Kind kind : Condition.Kind.values()) {
      KIND_NAMES[kind.ordinal()] = kind.name().getBytes(StandardCharsets.US_ASCII);
      UNVERSIONED_ARGS[kind.ordinal()] = new byte[][] {KIND_NAMES[kind.ordinal()], {'0'}};
    }
  }

  private VersionedValues() {}

  /** What {@code value} (null for no key) holds, as the scripts read it. */
  static Stored parse(byte @Nullable [] value) {
    if (value == null) {
      return Stored.absent();
    }
    if (isTombstone(value)) {
      return Stored.tombstone();
    }
    long version = version(value);
    // Each reply is a fresh array that nothing else holds: no copy on the way in.
    return version < 0
        ? Stored.presentUncopied(value, 0)
        : Stored.presentUncopied(Arrays.copyOfRange(value, HEADER_BYTES, value.length), version);
  }

  /**
   * What a value read in two parts holds: {@code head}, its first {@value #HEADER_BYTES} bytes
   * (null for no key), and {@code rest}, the bytes after them. A versioned blob is {@code rest}
   * itself, a fresh reply nothing else holds; only a value without the header is put together.
   */
  static Stored parse(byte @Nullable [] head, byte[] rest) {
    if (head == null) {
      return Stored.absent();
    }
    if (rest.length == 0 && isTombstone(head)) {
      return Stored.tombstone();
    }
    long version = version(head);
    if (version >= 0) {
      return Stored.presentUncopied(rest, version);
    }
    byte[] whole = Arrays.copyOf(head, head.length + rest.length);
    System.arraycopy(rest, 0, whole, head.length, rest.length);
    return Stored.presentUncopied(whole, 0);
  }

  /** The blob in {@code value} without the store's header; null for a tombstone. */
  static byte @Nullable [] blobOrNull(byte[] value) {
    if (isTombstone(value)) {
      return null;
    }
    return version(value) < 0 ? value : Arrays.copyOfRange(value, HEADER_BYTES, value.length);
  }

  /** {@code blob} behind the header of {@code version}. */
  static byte[] withHeader(long version, byte[] blob) {
    byte[] out = new byte[HEADER_BYTES + blob.length];
    System.arraycopy(LIVE, 0, out, 0, LIVE.length);
    long rest = version;
    for (int i = HEADER_BYTES - 1; i >= LIVE.length; i--) {
      out[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    System.arraycopy(blob, 0, out, HEADER_BYTES, blob.length);
    return out;
  }

  /** A tombstone carrying {@code token}, at most 16 ASCII bytes. */
  static byte[] tombstone(String token) {
    byte[] t = token.getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(TOMBSTONE, TOMBSTONE.length + t.length);
    System.arraycopy(t, 0, out, TOMBSTONE.length, t.length);
    return out;
  }

  /** The script arguments for a condition: its kind's name and its version, or 0. */
  static byte[][] conditionArgs(Condition condition) {
    Condition.Kind kind = condition.kind();
    return kind == Condition.Kind.VERSION
        ? new byte[][] {
          KIND_NAMES[kind.ordinal()],
          Long.toString(condition.version()).getBytes(StandardCharsets.US_ASCII)
        }
        : UNVERSIONED_ARGS[kind.ordinal()];
  }

  private static boolean isTombstone(byte[] value) {
    return value.length <= HEADER_BYTES && startsWith(value, TOMBSTONE);
  }

  /** The header's version, or -1 when the value has no valid header. */
  private static long version(byte[] value) {
    if (value.length < HEADER_BYTES || !startsWith(value, LIVE)) {
      return -1;
    }
    long version = 0;
    for (int i = LIVE.length; i < HEADER_BYTES; i++) {
      byte b = value[i];
      if (b < '0' || b > '9') {
        return -1;
      }
      version = version * 10 + (b - '0');
    }
    return version;
  }

  private static boolean startsWith(byte[] value, byte[] mark) {
    if (value.length < mark.length) {
      return false;
    }
    for (int i = 0; i < mark.length; i++) {
      if (value[i] != mark[i]) {
        return false;
      }
    }
    return true;
  }

  /** A Lua script and its SHA-1, by which {@code EVALSHA} names it. */
  static final class Script {
    final byte[] source;
    final byte[] sha1;

    Script(String source) {
      this.source = source.getBytes(StandardCharsets.UTF_8);
      try {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(this.source);
        this.sha1 = HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
      } catch (NoSuchAlgorithmException e) {
        // Every Java platform must provide SHA-1 (MessageDigest's documentation).
        throw new AssertionError(e);
      }
    }
  }
}
