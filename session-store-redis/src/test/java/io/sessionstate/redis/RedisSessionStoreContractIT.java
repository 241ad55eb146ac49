package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The contract suite against the standalone server: {@code SESSIONSTATE_REDIS_URL} or
 * 127.0.0.1:6379, else a Testcontainers Redis where Docker is available.
 */
class RedisSessionStoreContractIT extends RedisContractSupport {
  private static String url;

  @BeforeAll
  static void locate() {
    url = StandaloneRedis.url();
  }

  @Override
  protected RedisSessionStore.Builder builder() {
    return RedisSessionStore.builder().uri(url);
  }

  @Override
  protected List<Jedis> openKeyHolders() {
    return List.of(new Jedis(URI.create(url)));
  }

  @Test
  void loadAndTouch_setsTheServersTtlAndUsesTheDocumentedKey() {
    store().save("k1", "v".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(10));
    String key = "{" + app() + "_k1}_Data";
    try (Jedis admin = new Jedis(URI.create(url))) {
      admin.pexpire(key, 1000);

      assertThat(store().loadAndTouch("k1", Duration.ofMinutes(30))).isPresent();

      assertThat(admin.pttl(key)).isBetween(Duration.ofMinutes(29).toMillis(), 1_800_000L);
    }
  }
}
