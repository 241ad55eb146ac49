package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The README's Redis example, compiled and run against a server of the test's own. */
class ReadmeExampleIT {

  @Test
  void readmeExample_storesTheSessionUnderTheDocumentedKey() {
    try (RedisServerProcess server = RedisServerProcess.start();
        Jedis admin = server.admin()) {
      String redisUri = server.uri();
      byte[] secret = new byte[32];

      // README: Redis store
      RedisSessionStore store =
          RedisSessionStore.builder()
              .uri(redisUri) // redis://host:6379, or rediss:// for TLS
              .applicationName("shop") // keys are {shop_<sessionKey>}_Data
              .operationTimeout(Duration.ofMillis(1000)) // per command, connection wait included
              .retryTimeout(Duration.ofSeconds(3)) // retry what may pass: refused, LOADING...
              .build();
      SessionManager manager =
          SessionManager.builder()
              .store(store) // the manager closes it
              .keyRing(KeyRing.builder().addKey("2026-11", secret).build())
              // Above operationTimeout + retryTimeout, so the store's own errors come first.
              .ioTimeout(Duration.ofSeconds(5))
              .build();
      // README end

      try (manager) {
        SessionRequest request = manager.begin(null, true, () -> false);
        Session session = request.session();
        session.setString("cart", "3 apples");
        SessionResponse response = request.finish();
        Map<String, String> headers = response.headers();

        String cookie = headers.get("Set-Cookie");
        String sessionKey = cookie.substring("session=".length(), cookie.indexOf('.'));
        assertThat(admin.pttl("{shop_" + sessionKey + "}_Data"))
            .isBetween(Duration.ofMinutes(19).toMillis(), Duration.ofMinutes(20).toMillis());
      }
    }
  }
}
