package io.sessionstate.redis;

import io.sessionstate.tck.BackDoorContract;
import io.sessionstate.tck.ConcurrentRequestsContract;
import io.sessionstate.tck.PrincipalIndexContract;
import io.sessionstate.tck.ReplacingSessionStoreContract;
import io.sessionstate.tck.RequestCycleContract;
import io.sessionstate.tck.SessionStoreContract;
import io.sessionstate.tck.VersionedSessionStoreContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.KeyCommands;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The contract suite against one Redis deployment. Each test's store has an application name of its
 * own, so {@link #elapse(Duration)} rewrites the PTTL of that test's keys only, on every node that
 * holds keys (each master of a Cluster), and the keys are deleted after the test. The back door is
 * an admin client on the documented key, {@code {<applicationName>_<sessionKey>}_Data}: the suite's
 * raw writes reach the store only if it reads that key.
 */
abstract class RedisContractSupport
    implements SessionStoreContract,
        ReplacingSessionStoreContract,
        RequestCycleContract,
        BackDoorContract,
        VersionedSessionStoreContract,
        ConcurrentRequestsContract,
        PrincipalIndexContract {
  private final String app = "tck" + UUID.randomUUID().toString().replace("-", "");
  private RedisSessionStore store;

  /** A builder for the deployment under test; the application name is set on top. */
  protected abstract RedisSessionStore.Builder builder();

  /**
   * Connections to every node that may hold keys (a standalone server, the Sentinel master, each
   * Cluster master); the caller closes them.
   */
  protected abstract List<? extends KeyCommands> openKeyHolders();

  /** A client for the deployment under test, to read and write keys behind the store's back. */
  protected abstract UnifiedJedis openAdmin();

  /** The application name of this test's store. */
  protected final String app() {
    return app;
  }

  @Override
  public final RedisSessionStore store() {
    if (store == null) {
      store = builder().applicationName(app).build();
    }
    return store;
  }

  @Override
  public final void writeRaw(String key, byte[] bytes, Duration ttl) {
    try (UnifiedJedis admin = openAdmin()) {
      admin.set(redisKey(key), bytes, SetParams.setParams().px(ttl.toMillis()));
    }
  }

  /**
   * The blob under the key, without the header in which the store keeps its version (a bare value
   * is a blob as it is, and is what {@link #writeRaw} writes); empty for a tombstone.
   */
  @Override
  public final Optional<byte[]> readRaw(String key) {
    try (UnifiedJedis admin = openAdmin()) {
      return Optional.ofNullable(admin.get(redisKey(key))).map(VersionedValues::blobOrNull);
    }
  }

  @Override
  public final Optional<Duration> remainingTtl(String key) {
    try (UnifiedJedis admin = openAdmin()) {
      long pttl = admin.pttl(redisKey(key));
      // -2: no such key; -1: a key without expiry, which the store never writes.
      return pttl == -2
          ? Optional.empty()
          : Optional.of(pttl == -1 ? ChronoUnit.FOREVER.getDuration() : Duration.ofMillis(pttl));
    }
  }

  private byte[] redisKey(String key) {
    return ("{" + app + "_" + key + "}_Data").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public final void elapse(Duration duration) {
    forEachKey(
        (node, key) -> {
          long pttl = node.pttl(key);
          if (pttl < 0) {
            return;
          }
          long left = pttl - duration.toMillis();
          if (left <= 0) {
            node.del(key);
          } else {
            node.pexpire(key, left);
          }
        });
  }

  @AfterEach
  final void deleteKeys() {
    forEachKey((node, key) -> node.del(key));
  }

  private interface KeyAction {
    void apply(KeyCommands node, String key);
  }

  private void forEachKey(KeyAction action) {
    List<? extends KeyCommands> nodes = openKeyHolders();
    try {
      for (KeyCommands node : nodes) {
        for (String key : keys(node)) {
          action.apply(node, key);
        }
      }
    } finally {
      for (KeyCommands node : nodes) {
        if (node instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
  }

  private List<String> keys(KeyCommands node) {
    List<String> keys = new ArrayList<>();
    ScanParams params = new ScanParams().match("{" + app + "_*").count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = node.scan(cursor, params);
      keys.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return keys;
  }
}
