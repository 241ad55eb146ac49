package io.sessionstate.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One HTTP request's session cycle, compared across implementations through {@link #impl}:
 * sessionstate over each store, the raw client doing the least the same cycle needs, and Spring
 * Session on the same server (see {@link Impl}).
 *
 * <ul>
 *   <li>{@link #modified}: load an existing session of ten values (about 1 KB), read one, set one,
 *       commit;
 *   <li>{@link #readOnly}: load, read one value, commit with nothing changed (the load slides the
 *       idle timeout);
 *   <li>{@link #newSession}: a first visit, no cookie, one value set and committed.
 * </ul>
 *
 * <p>Throughput in cycles per second; each benchmark thread works on its own slice of {@link
 * #sessions} populated sessions, so threads never contend for one session. Run everything, with
 * round trips and the report, through {@code bash scripts/bench}; or run JMH directly, for example
 * {@code java -cp session-bench/target/benchmarks.jar org.openjdk.jmh.Main RequestCycle -p
 * impl=sessionstate-redis,raw-jedis -t 4}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class RequestCycleBenchmark {

  /** The implementation under test: an {@link Impl} id. */
  @Param({
    "sessionstate-memory",
    "raw-caffeine",
    "spring-map",
    "sessionstate-redis",
    "sessionstate-redis-merge",
    "sessionstate-redis-strict",
    "raw-jedis",
    "spring-redis-lettuce",
    "spring-redis-jedis",
    "sessionstate-postgres",
    "sessionstate-postgres-unlogged",
    "raw-jdbc-logged",
    "raw-jdbc-unlogged",
    "raw-jdbc-throttled",
    "spring-jdbc",
    "sessionstate-mysql",
    "raw-jdbc-mysql",
    "spring-jdbc-mysql"
  })
  public String impl;

  /** How many existing sessions the cycles spread over, shared out among the threads. */
  @Param("1024")
  public int sessions;

  private Cycle cycle;
  private boolean createsSessions;
  private int threads;
  private final AtomicInteger slices = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    threads = params.getThreads();
    if (sessions < threads) {
      throw new IllegalArgumentException(
          "sessions must be at least the thread count " + threads + ": " + sessions);
    }
    cycle = Impl.byId(impl).create(Env.fromEnvironment());
    createsSessions = params.getBenchmark().endsWith(".newSession");
    if (!createsSessions) {
      cycle.populate(sessions);
    }
  }

  /** New sessions pile up; clear them between iterations so the servers stay the same size. */
  @TearDown(Level.Iteration)
  public void afterIteration() {
    if (createsSessions) {
      cycle.deleteAll();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      cycle.deleteAll();
    } finally {
      cycle.close();
    }
  }

  /** One thread's sessions: every {@code threads}-th one, from its own starting point. */
  @State(Scope.Thread)
  public static class Slice {
    private int first;
    private int stride;
    private int count;
    private int next;
    int tick;

    @Setup(Level.Trial)
    public void setUp(RequestCycleBenchmark benchmark) {
      first = benchmark.slices.getAndIncrement();
      stride = benchmark.threads;
      count = benchmark.sessions / benchmark.threads;
    }

    int nextSession() {
      int session = first + stride * next;
      if (++next == count) {
        next = 0;
      }
      return session;
    }
  }

  @Benchmark
  public Object modified(Slice slice) {
    return cycle.modified(slice.nextSession(), slice.tick++);
  }

  @Benchmark
  public Object readOnly(Slice slice) {
    return cycle.readOnly(slice.nextSession());
  }

  @Benchmark
  public Object newSession(Slice slice) {
    return cycle.newSession(slice.tick++);
  }
}
