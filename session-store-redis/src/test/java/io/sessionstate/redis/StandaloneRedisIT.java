package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StandaloneRedisIT {

  @Test
  void locate_nothingAnswersAndNoDocker_failsNamingWhatToStartWithoutThePassword() {
    String url = "redis://:hunter2@127.0.0.1:" + RedisServerProcess.freePort();
    AtomicInteger containers = new AtomicInteger();

    assertThatThrownBy(
            () ->
                StandaloneRedis.locate(
                    url,
                    () -> false,
                    () -> {
                      containers.incrementAndGet();
                      return "redis://never";
                    }))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Redis is not reachable at redis://***@127.0.0.1:")
        .hasMessageContaining("Docker is not available for a Testcontainers Redis")
        .hasMessageContaining("set SESSIONSTATE_REDIS_URL")
        .hasMessageNotContaining("hunter2");
    assertThat(containers).hasValue(0);
  }

  @Test
  void locate_nothingAnswersWithDocker_usesTheContainer() {
    String url = "redis://127.0.0.1:" + RedisServerProcess.freePort();

    assertThat(StandaloneRedis.locate(url, () -> true, () -> "redis://container:1234"))
        .isEqualTo("redis://container:1234");
  }

  @Test
  void locate_configuredServerAnswers_asksNeitherDockerNorTheContainer() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      AtomicInteger asked = new AtomicInteger();

      String found =
          StandaloneRedis.locate(
              server.uri(),
              () -> {
                asked.incrementAndGet();
                return true;
              },
              () -> {
                asked.incrementAndGet();
                return "redis://container:1234";
              });

      assertThat(found).isEqualTo(server.uri());
      assertThat(asked).hasValue(0);
    }
  }
}
