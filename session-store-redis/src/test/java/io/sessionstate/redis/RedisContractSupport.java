package io.sessionstate.redis;

import io.sessionstate.spi.SessionStore;
import io.sessionstate.tck.SessionStoreContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.commands.KeyCommands;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The contract suite against one Redis deployment. Each test's store has an application name of its
 * own, so {@link #elapse(Duration)} rewrites the PTTL of that test's keys only, on every node that
 * holds keys (each master of a Cluster), and the keys are deleted after the test.
 */
abstract class RedisContractSupport extends SessionStoreContract {
  private final String app = "tck" + UUID.randomUUID().toString().replace("-", "");

  /** A builder for the deployment under test; the application name is set on top. */
  protected abstract RedisSessionStore.Builder builder();

  /**
   * Connections to every node that may hold keys (a standalone server, the Sentinel master, each
   * Cluster master); the caller closes them.
   */
  protected abstract List<? extends KeyCommands> openKeyHolders();

  /** The application name of this test's store. */
  protected final String app() {
    return app;
  }

  @Override
  protected final SessionStore createStore() {
    return builder().applicationName(app).build();
  }

  @Override
  protected final void elapse(Duration duration) {
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
