package io.sessionstate.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionObserver;
import io.sessionstate.SessionRequest;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.micrometer.SessionMetrics;
import io.sessionstate.redis.RedisSessionStore;
import io.sessionstate.spi.SessionStore;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observing a manager costs a request: the {@code readOnly} and {@code modified} cycles of
 * {@link RequestCycleBenchmark} over the memory store and over Redis, with no observer (the store
 * called directly), with an observer that does nothing (the timing decorator alone), and with
 * {@link SessionMetrics} over a {@link SimpleMeterRegistry}, all in one run so the ratios compare
 * like with like. Sampled time per cycle, single-threaded: the median ({@code p0.50}) is the figure
 * to compare, since it stays put when other processes take the CPU for a while, which an average
 * does not. With {@code -prof gc}, the bytes allocated per cycle show the observer's own garbage
 * whatever the machine's load.
 *
 * <p>Run: {@code java -cp session-bench/target/benchmarks.jar org.openjdk.jmh.Main
 * ObserverOverhead} (Redis from {@code SESSIONSTATE_REDIS_URL}, default {@code
 * redis://127.0.0.1:6379}; its keys are deleted at the end of each trial).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class ObserverOverheadBenchmark {
  private static final BooleanSupplier NOT_STARTED = () -> false;
  private static final int SESSIONS = 1024;

  /** The store: {@code memory} or {@code redis}. */
  @Param({"memory", "redis"})
  public String store;

  /**
   * {@code none} (no observer), {@code noop} (an observer with empty methods) or {@code micrometer}
   * ({@link SessionMetrics} over a {@link SimpleMeterRegistry}).
   */
  @Param({"none", "noop", "micrometer"})
  public String observer;

  private SessionManager manager;
  private String[] cookies;
  private int tick;

  @Setup(Level.Trial)
  public void setUp() {
    manager =
        SessionManager.builder()
            .store(store())
            .keyRing(
                KeyRing.builder()
                    .addKey(
                        "bench",
                        "observer bench secret, 32+ bytes".getBytes(StandardCharsets.UTF_8))
                    .build())
            .idleTimeout(Workload.IDLE_TIMEOUT)
            .observer(observer())
            .build();
    cookies = new String[SESSIONS];
    for (int n = 0; n < SESSIONS; n++) {
      SessionRequest request = manager.begin(null, false, NOT_STARTED);
      Session session = request.session();
      for (int i = 0; i < Workload.VALUES; i++) {
        session.setString(Workload.key(i), Workload.initialValue(i));
      }
      String setCookie = request.finish().setCookie().orElseThrow();
      cookies[n] = setCookie.substring(0, setCookie.indexOf(';'));
    }
  }

  private SessionStore store() {
    return switch (store) {
      case "memory" -> MemorySessionStore.builder().build();
      case "redis" ->
          RedisSessionStore.builder()
              .uri(System.getenv().getOrDefault("SESSIONSTATE_REDIS_URL", "redis://127.0.0.1:6379"))
              .applicationName("obsbench" + ProcessHandle.current().pid())
              .build();
      default -> throw new IllegalArgumentException("store: " + store);
    };
  }

  private SessionObserver observer() {
    return switch (observer) {
      case "none" -> SessionObserver.NONE;
      case "noop" -> new SessionObserver() {};
      case "micrometer" -> SessionMetrics.of(new SimpleMeterRegistry());
      default -> throw new IllegalArgumentException("observer: " + observer);
    };
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    SessionStore raw = manager.store();
    for (String cookie : cookies) {
      // "session=<key>.<keyId>.<tag>": the store key is the first part.
      raw.delete(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf('.')));
    }
    manager.close();
  }

  private String nextCookie() {
    return cookies[ThreadLocalRandom.current().nextInt(SESSIONS)];
  }

  /** Load, read one value, commit with nothing changed. */
  @Benchmark
  public Object readOnly() {
    SessionRequest request = manager.begin(nextCookie(), false, NOT_STARTED);
    Object read = request.session().getString(Workload.READ_KEY).orElseThrow();
    request.finish();
    return read;
  }

  /** Load, read one value, set one, commit. */
  @Benchmark
  public Object modified() {
    SessionRequest request = manager.begin(nextCookie(), false, NOT_STARTED);
    Session s = request.session();
    Object read = s.getString(Workload.READ_KEY).orElseThrow();
    s.setString(Workload.WRITE_KEY, Workload.written(tick++));
    request.finish();
    return read;
  }
}
