package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.sessionstate.spi.SessionStore;
import io.sessionstate.tck.SessionStoreContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The contract suite against the standalone server; elapse rewrites each key's PTTL. */
class RedisSessionStoreContractIT extends SessionStoreContract {
  private static final String URL =
      System.getenv().getOrDefault("SESSIONSTATE_REDIS_URL", "redis://127.0.0.1:6379");
  private static final String APP = "tck" + UUID.randomUUID().toString().replace("-", "");
  private static RedisClient admin;

  @BeforeAll
  static void connect() {
    admin = RedisClient.create(URL);
    try {
      admin.ping();
    } catch (RuntimeException e) {
      admin.close();
      fail(
          "Redis is not reachable at "
              + URL
              + ": start Redis (bash scripts/services) or set SESSIONSTATE_REDIS_URL",
          e);
    }
  }

  @AfterAll
  static void cleanUp() {
    for (String key : keys()) {
      admin.del(key);
    }
    admin.close();
  }

  @Override
  protected SessionStore createStore() {
    return RedisSessionStore.builder().uri(URL).applicationName(APP).build();
  }

  @Override
  protected void elapse(Duration duration) {
    for (String key : keys()) {
      long pttl = admin.pttl(key);
      if (pttl < 0) {
        continue;
      }
      long left = pttl - duration.toMillis();
      if (left <= 0) {
        admin.del(key);
      } else {
        admin.pexpire(key, left);
      }
    }
  }

  private static List<String> keys() {
    List<String> keys = new java.util.ArrayList<>();
    ScanParams params = new ScanParams().match("{" + APP + "_*").count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = admin.scan(cursor, params);
      keys.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return keys;
  }

  @Test
  void loadAndTouch_setsTheServersTtlAndUsesTheDocumentedKey() {
    store().save("k1", "v".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(10));
    String key = "{" + APP + "_k1}_Data";
    admin.pexpire(key, 1000);

    assertThat(store().loadAndTouch("k1", Duration.ofMinutes(30))).isPresent();

    assertThat(admin.pttl(key)).isBetween(Duration.ofMinutes(29).toMillis(), 1_800_000L);
  }
}
