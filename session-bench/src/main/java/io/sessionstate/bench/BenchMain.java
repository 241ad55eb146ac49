package io.sessionstate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark in one go and writes the report: {@code java -jar benchmarks.jar
 * [quick|full|smoke] [output directory] [codecs|cycles]}; or sets two runs side by side: {@code
 * java -jar benchmarks.jar compare <run directory> <run directory>} writes {@code compare.md} into
 * the first. It checks which servers answer (and says which do not), counts round trips per cycle,
 * runs {@link RequestCycleBenchmark} on one thread for every implementation and on four threads for
 * the networked ones, runs {@link CodecBenchmark} for every codec and value it can round-trip, then
 * writes {@code jmh.json}, {@code results.md}, {@code chart.svg} and {@code codecs.md}. With {@code
 * codecs} as the third argument it runs the codec benchmark alone, which needs no server; with
 * {@code cycles}, the request cycles alone.
 */
public final class BenchMain {

  /** How long and how often each benchmark runs. */
  enum Mode {
    /** One short iteration of each benchmark, in this JVM: proves the benches still run. */
    SMOKE(0, 0, 0, 0, 1, 150, 32, 100),
    /**
     * A first look, in under five minutes on two cores. In-process cycles take a few seconds of
     * warm-up before the JIT has compiled them; cycles that wait on a server need less.
     */
    QUICK(1, 3, 1000, 1, 5, 300, 256, 500),
    /**
     * The numbers to publish, in about 20 minutes on two idle cores for the request cycles: one
     * fork per benchmark, longer warm-up for the in-process cycles, whose JIT compilation takes
     * longest, five one-second measurements each.
     */
    FULL(1, 5, 1000, 2, 5, 1000, 256, 500);

    final int forks;
    final int inProcessWarmups;
    final int warmupMillis;
    final int networkedWarmups;
    final int measurements;
    final int measurementMillis;
    final int sessions;
    final int roundTripBatch;

    Mode(
        int forks,
        int inProcessWarmups,
        int warmupMillis,
        int networkedWarmups,
        int measurements,
        int measurementMillis,
        int sessions,
        int roundTripBatch) {
      this.forks = forks;
      this.inProcessWarmups = inProcessWarmups;
      this.warmupMillis = warmupMillis;
      this.networkedWarmups = networkedWarmups;
      this.measurements = measurements;
      this.measurementMillis = measurementMillis;
      this.sessions = sessions;
      this.roundTripBatch = roundTripBatch;
    }
  }

  private BenchMain() {}

  public static void main(String[] args) throws IOException, RunnerException {
    // Pool start and stop messages would drown the progress lines; warnings still show.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (args.length == 3 && args[0].equals("compare")) {
      String md = Compare.markdown(Paths.get(args[1], "jmh.json"), Paths.get(args[2], "jmh.json"));
      Files.writeString(Paths.get(args[1], "compare.md"), md, StandardCharsets.UTF_8);
      System.out.println(md);
      return;
    }
    Mode mode =
        Mode.valueOf((args.length > 0 ? args[0] : "quick").toUpperCase(java.util.Locale.ROOT));
    Path out =
        Paths.get(
            args.length > 1
                ? args[1]
                : "bench-results/" + mode.name().toLowerCase(java.util.Locale.ROOT));
    Files.createDirectories(out);
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    if (args.length > 2 && args[2].equals("codecs")) {
      List<Path> parts = new ArrayList<>();
      runCodecs(mode, out, parts);
      mergeJson(out.resolve("jmh.json"), parts);
      return;
    }

    Env env = Env.fromEnvironment();
    List<String> notes = new ArrayList<>();
    List<Impl> impls = new ArrayList<>();
    for (Impl impl : Impl.values()) {
      impls.add(impl);
    }
    env.redisProblem()
        .ifPresent(
            problem -> {
              notes.add(problem + " (Redis benchmarks skipped)");
              impls.removeIf(impl -> impl.backend == Impl.Backend.REDIS);
            });
    env.postgresProblem()
        .ifPresent(
            problem -> {
              notes.add(problem + " (PostgreSQL benchmarks skipped)");
              impls.removeIf(impl -> impl.backend == Impl.Backend.POSTGRES);
            });
    env.mysqlProblem()
        .ifPresent(
            problem -> {
              notes.add(problem + " (MariaDB benchmarks skipped)");
              impls.removeIf(impl -> impl.backend == Impl.Backend.MYSQL);
            });
    if (mode == Mode.SMOKE) {
      notes.add(
          "Smoke run: one short iteration per benchmark, no warm-up, no fork; the numbers only"
              + " show that every benchmark runs");
    }
    String loadAtStart = loadAverage();
    notes.forEach(note -> System.out.println("bench: " + note));

    System.out.println("bench: counting round trips per cycle");
    RoundTrips counter = new RoundTrips(env, mode.roundTripBatch);
    Map<Impl, Map<String, RoundTrips.Count>> roundTrips = new LinkedHashMap<>();
    for (Impl impl : impls) {
      roundTrips.put(impl, counter.measure(impl));
      StringBuilder line = new StringBuilder("bench:   " + impl.id + ":");
      roundTrips
          .get(impl)
          .forEach(
              (cycle, count) ->
                  line.append(' ')
                      .append(cycle)
                      .append(' ')
                      .append(RoundTrips.format(count.perCycle()))
                      .append(" (")
                      .append(count.detail())
                      .append(')'));
      System.out.println(line);
    }

    impls.removeIf(Impl::countedOnly);
    List<Impl> inProcess = new ArrayList<>(impls);
    inProcess.removeIf(impl -> impl.backend != Impl.Backend.MEMORY);
    List<Impl> networked = new ArrayList<>(impls);
    networked.removeIf(impl -> impl.backend == Impl.Backend.MEMORY);
    List<RunResult> results = new ArrayList<>();
    List<Path> parts = new ArrayList<>();
    String allCycles = "modified|readOnly|newSession";
    if (!inProcess.isEmpty()) {
      Path json = out.resolve("jmh-in-process.json");
      parts.add(json);
      results.addAll(run(mode, inProcess, mode.inProcessWarmups, 1, allCycles, json));
    }
    if (!networked.isEmpty()) {
      Path single = out.resolve("jmh-networked-1-thread.json");
      parts.add(single);
      results.addAll(run(mode, networked, mode.networkedWarmups, 1, allCycles, single));
      Path multi = out.resolve("jmh-networked-4-threads.json");
      parts.add(multi);
      results.addAll(run(mode, networked, mode.networkedWarmups, 4, "modified|readOnly", multi));
    }
    if (!(args.length > 2 && args[2].equals("cycles"))) {
      runCodecs(mode, out, parts);
    }
    mergeJson(out.resolve("jmh.json"), parts);
    notes.add(
        "Load average (1, 5, 15 minutes) at the start "
            + loadAtStart
            + ", at the end "
            + loadAverage()
            + ", on "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs");

    Report report =
        new Report(
            mode.name().toLowerCase(java.util.Locale.ROOT),
            started,
            notes,
            Report.rows(results),
            roundTrips);
    Files.writeString(out.resolve("results.md"), report.markdown(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("chart.svg"), report.svg(), StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(report.markdown());
    System.out.println(
        "bench: wrote "
            + out.resolve("jmh.json")
            + ", "
            + out.resolve("results.md")
            + ", "
            + out.resolve("chart.svg"));
  }

  private static Collection<RunResult> run(
      Mode mode, List<Impl> impls, int warmups, int threads, String benchmarks, Path json)
      throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(RequestCycleBenchmark.class.getName() + "\\.(" + benchmarks + ")$")
            .param("impl", Impl.ids(impls))
            .param("sessions", Integer.toString(mode.sessions))
            .threads(threads)
            .forks(mode.forks)
            .warmupIterations(warmups)
            .measurementIterations(mode.measurements)
            .measurementTime(TimeValue.milliseconds(mode.measurementMillis))
            .timeUnit(TimeUnit.SECONDS)
            .shouldFailOnError(true)
            .addProfiler(GCProfiler.class)
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString());
    if (warmups > 0) {
      options.warmupTime(TimeValue.milliseconds(mode.warmupMillis));
    }
    return new Runner(options.build()).run();
  }

  /**
   * Runs {@link CodecBenchmark} for each value over the codecs that round-trip it, and writes
   * {@code codecs.md}: microseconds per encode+decode and bytes per value.
   */
  private static void runCodecs(Mode mode, Path out, List<Path> parts)
      throws IOException, RunnerException {
    System.out.println("bench: measuring encoded sizes per codec");
    Map<String, Map<String, String>> sizes = CodecBenchmark.sizes();
    Map<String, RunResult> timings = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> value : sizes.entrySet()) {
      List<String> codecs = new ArrayList<>();
      value
          .getValue()
          .forEach(
              (codec, size) -> {
                if (size.startsWith("unsupported")) {
                  skipped.add(codec + " x " + value.getKey() + ": " + size);
                } else {
                  codecs.add(codec);
                }
              });
      if (codecs.isEmpty()) {
        continue;
      }
      Path json = out.resolve("jmh-codecs-" + value.getKey() + ".json");
      parts.add(json);
      ChainedOptionsBuilder options =
          new OptionsBuilder()
              .include(CodecBenchmark.class.getName() + "\\.encodeDecode$")
              .param("codec", codecs.toArray(new String[0]))
              .param("value", value.getKey())
              .forks(mode.forks)
              .warmupIterations(mode.inProcessWarmups)
              .measurementIterations(mode.measurements)
              .measurementTime(TimeValue.milliseconds(mode.measurementMillis))
              .shouldFailOnError(true)
              .resultFormat(ResultFormatType.JSON)
              .result(json.toString());
      if (mode.inProcessWarmups > 0) {
        options.warmupTime(TimeValue.milliseconds(mode.warmupMillis));
      }
      for (RunResult result : new Runner(options.build()).run()) {
        timings.put(value.getKey() + "/" + result.getParams().getParam("codec"), result);
      }
    }
    StringBuilder md = new StringBuilder("# Value codecs: encode + decode of one value\n\n");
    md.append("| value | codec | µs per encode+decode | bytes per value |\n");
    md.append("| --- | --- | ---: | ---: |\n");
    sizes.forEach(
        (value, row) ->
            row.forEach(
                (codec, size) -> {
                  RunResult result = timings.get(value + "/" + codec);
                  if (result != null) {
                    var score = result.getPrimaryResult();
                    md.append(
                        String.format(
                            java.util.Locale.ROOT,
                            "| %s | %s | %.2f ± %.2f | %s |%n",
                            value,
                            codec,
                            score.getScore(),
                            Double.isNaN(score.getScoreError()) ? 0.0 : score.getScoreError(),
                            size));
                  }
                }));
    for (String skip : skipped) {
      md.append("\nSkipped ").append(skip).append('\n');
    }
    Files.writeString(out.resolve("codecs.md"), md.toString(), StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(md);
  }

  /** The machine's load average from {@code /proc/loadavg}, or "unknown" elsewhere. */
  private static String loadAverage() {
    try {
      String[] fields =
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** One JSON array of every result, as JMH would have written for a single run. */
  private static void mergeJson(Path target, List<Path> parts) throws IOException {
    List<String> bodies = new ArrayList<>();
    for (Path part : parts) {
      if (Files.exists(part)) {
        String text = Files.readString(part, StandardCharsets.UTF_8).trim();
        String body = text.substring(1, text.length() - 1).trim();
        if (!body.isEmpty()) {
          bodies.add(body);
        }
        Files.delete(part);
      }
    }
    Files.writeString(target, "[\n" + String.join(",\n", bodies) + "\n]\n", StandardCharsets.UTF_8);
  }
}
