package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSessionStoreBuilderTest {

  @Test
  void applicationName_withBrace_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().applicationName("a{b"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "applicationName must not contain braces, whitespace or control characters: \"a{b\"");
  }

  @Test
  void applicationName_withControlCharacter_isRejectedAndEscaped() {
    assertThatThrownBy(() -> RedisSessionStore.builder().applicationName("a\nb"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "applicationName must not contain braces, whitespace or control characters:"
                + " \"a\\u000ab\"");
  }

  @Test
  void applicationName_empty_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().applicationName(""))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("applicationName must not be empty");
  }

  @Test
  void applicationName_tooLong_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().applicationName("a".repeat(129)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("applicationName must be at most 128 characters: 129 characters");
  }

  @Test
  void operationTimeout_zero_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().operationTimeout(Duration.ZERO))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("operationTimeout must be positive: PT0S");
  }

  @Test
  void retryTimeout_negative_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().retryTimeout(Duration.ofSeconds(-1)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryTimeout must not be negative: PT-1S");
  }

  @Test
  void port_outOfRange_isRejected() {
    assertThatThrownBy(() -> RedisSessionStore.builder().port(70000))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 1 and 65535: 70000");
  }

  @Test
  void uri_withOtherScheme_isRejectedWithoutItsPassword() {
    assertThatThrownBy(() -> RedisSessionStore.builder().uri("http://u:secret@127.0.0.1"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("uri must start with redis:// or rediss://: http://***@127.0.0.1");
  }

  @Test
  void uri_malformed_isRejectedWithoutItsPassword_inTheMessageOrItsCauses() {
    for (String uri :
        List.of(
            "redis:/u:secret@127.0.0.1",
            "redis//u:secret@127.0.0.1",
            "redis://u:sec ret@127.0.0.1",
            "redis://u:secret@127.0.0.1/x")) {
      assertThatThrownBy(() -> RedisSessionStore.builder().uri(uri))
          .as(uri)
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .satisfies(
              e -> {
                for (Throwable t = e; t != null; t = t.getCause()) {
                  assertThat(String.valueOf(t.getMessage()))
                      .as(uri)
                      .doesNotContain("secret", "sec ret");
                }
              });
    }
  }
}
