package io.sessionstate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Jedis version check, and which Jedis this run has: the build runs these tests once with the
 * project's Jedis 8 and once with Jedis 7, and each run names the version it expects in the system
 * property {@value #EXPECTED}.
 */
class JedisVersionTest {
  static final String EXPECTED = "sessionstate.expectedJedisVersion";

  @Test
  void found_isTheJedisThisRunExpects() throws URISyntaxException {
    String jar =
        Path.of(UnifiedJedis.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getFileName()
            .toString();
    // Outside Maven (an IDE) no version is named: the jar's own name must then agree.
    String expected = System.getProperty(EXPECTED, jar.replaceAll("^jedis-(.*)\\.jar$", "$1"));

    assertThat(JedisVersion.found()).isEqualTo(expected);
    assertThat(jar).isEqualTo("jedis-" + expected + ".jar");
  }

  @Test
  void check_jedis6_isRejectedNamingTheVersionAndTheFix() {
    assertThatThrownBy(() -> JedisVersion.check("6.0.0"))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Jedis 6.0.0 is on the class path, and the Redis store needs Jedis 7.0.0 or later:"
                + " depend on redis.clients:jedis 7.x or 8.x (where Spring Boot's dependency"
                + " management picks the version, set the jedis.version property)");
  }

  @Test
  void check_theLinesTheBuildTests_pass() {
    assertThatCode(() -> JedisVersion.check("7.0.0")).doesNotThrowAnyException();
    assertThatCode(() -> JedisVersion.check("8.0.2")).doesNotThrowAnyException();
  }

  @Test
  void check_versionThatCannotBeRead_passes() {
    assertThatCode(() -> JedisVersion.check(null)).doesNotThrowAnyException();
    assertThatCode(() -> JedisVersion.check("repackaged")).doesNotThrowAnyException();
  }
}
