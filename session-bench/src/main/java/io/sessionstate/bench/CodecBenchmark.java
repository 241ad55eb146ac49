package io.sessionstate.bench;

import io.sessionstate.JavaSerializationCodec;
import io.sessionstate.ValueCodec;
import io.sessionstate.jackson.JacksonValueCodec;
import io.sessionstate.kryo.KryoValueCodec;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.jackson.SecurityJacksonModules;

/**
 * One session value written and read back, {@code decode(encode(value), Object.class)}, compared
 * across the value codecs through {@link #codec} ({@code java}: {@link JavaSerializationCodec};
 * {@code jackson}: {@link JacksonValueCodec} with Spring Security's Jackson modules; {@code kryo}:
 * {@link KryoValueCodec} with the classes registered) and across two values through {@link #value}:
 *
 * <ul>
 *   <li>{@code securityContext}: what Spring Security 7 stores after a form login, a {@code
 *       SecurityContextImpl} holding a {@code UsernamePasswordAuthenticationToken} whose principal
 *       is a {@code User}, with two authorities;
 *   <li>{@code record}: a record of ten fields (strings, numbers, a boolean, an instant and a list
 *       of two strings), the shape of a typical application value.
 * </ul>
 *
 * <p>Average time per encode+decode, in microseconds. The bytes each codec writes per value are not
 * a JMH score: {@link #sizes()} measures them, and {@code bash scripts/bench} prints them beside
 * the timings in {@code codecs.md}. A combination a codec cannot round-trip fails its set-up;
 * {@link BenchMain} runs only the combinations that round-trip and says which it skipped. Run it
 * with the others through {@code bash scripts/bench}, or alone with {@code java -cp
 * session-bench/target/benchmarks.jar org.openjdk.jmh.Main CodecBenchmark -p codec=java,jackson}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

  /** The codecs compared, by the id {@link #codec} takes. */
  static final List<String> CODECS = List.of("java", "jackson", "kryo");

  /** The values compared, by the id {@link #value} takes. */
  static final List<String> VALUES = List.of("securityContext", "record");

  @Param({"java", "jackson", "kryo"})
  public String codec;

  @Param({"securityContext", "record"})
  public String value;

  private ValueCodec valueCodec;
  private Object sample;

  /** The ten-field application value. */
  public record Profile(
      String id,
      String name,
      String email,
      int age,
      long visits,
      boolean verified,
      double score,
      String locale,
      List<String> roles,
      Instant lastSeen)
      implements Serializable {}

  @Setup
  public void setUp() {
    valueCodec = codec(codec);
    sample = value(value);
    // Fails the set-up, and so this combination, if the codec cannot give the value back.
    Object back = valueCodec.decode(valueCodec.encode(sample), Object.class);
    if (!back.equals(sample)) {
      throw new IllegalStateException(codec + " does not round-trip " + value + ": " + back);
    }
  }

  @Benchmark
  public Object encodeDecode() {
    return valueCodec.decode(valueCodec.encode(sample), Object.class);
  }

  static ValueCodec codec(String id) {
    return switch (id) {
      case "java" ->
          JavaSerializationCodec.builder()
              .allowPackage("org.springframework.security")
              .allowClass(Profile.class)
              .build();
      case "jackson" ->
          JacksonValueCodec.builder()
              .allowPackage("org.springframework.security")
              .allowClass(Profile.class)
              .mapper(
                  mapper ->
                      mapper.addModules(
                          SecurityJacksonModules.getModules(CodecBenchmark.class.getClassLoader())))
              .build();
      case "kryo" ->
          KryoValueCodec.builder()
              .register(Profile.class, 100)
              .register(SecurityContextImpl.class, 101)
              .register(UsernamePasswordAuthenticationToken.class, 102)
              .register(User.class, 103)
              .register(SimpleGrantedAuthority.class, 104)
              .build();
      default -> throw new IllegalArgumentException("unknown codec: " + id);
    };
  }

  static Object value(String id) {
    return switch (id) {
      case "securityContext" -> {
        User user =
            (User)
                User.withUsername("alice")
                    .password("{noop}secret")
                    .authorities("ROLE_USER", "ROLE_ADMIN")
                    .build();
        user.eraseCredentials();
        yield new SecurityContextImpl(
            UsernamePasswordAuthenticationToken.authenticated(
                user,
                null,
                List.of(
                    new SimpleGrantedAuthority("ROLE_USER"),
                    new SimpleGrantedAuthority("ROLE_ADMIN"))));
      }
      case "record" ->
          new Profile(
              "5f0c2a9e-61c4-4b7e-9f3a-2d1e8c7b6a50",
              "Alice Example",
              "alice@example.org",
              34,
              1_204L,
              true,
              4.75,
              "de-CH",
              new ArrayList<>(List.of("customer", "beta")),
              Instant.ofEpochSecond(1_700_000_000L));
      default -> throw new IllegalArgumentException("unknown value: " + id);
    };
  }

  /**
   * Encoded size in bytes of each value under each codec, or the reason the codec cannot round-trip
   * it; keyed by value, then codec.
   */
  static Map<String, Map<String, String>> sizes() {
    Map<String, Map<String, String>> sizes = new LinkedHashMap<>();
    for (String value : VALUES) {
      Map<String, String> row = new LinkedHashMap<>();
      for (String codec : CODECS) {
        CodecBenchmark bench = new CodecBenchmark();
        bench.codec = codec;
        bench.value = value;
        try {
          bench.setUp();
          row.put(codec, Integer.toString(bench.valueCodec.encode(bench.sample).length));
        } catch (RuntimeException e) {
          row.put(codec, "unsupported: " + e.getMessage());
        }
      }
      sizes.put(value, row);
    }
    return sizes;
  }
}
