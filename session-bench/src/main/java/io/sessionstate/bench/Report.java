package io.sessionstate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns one run's results into Markdown: times, throughput, allocation and round trips per cycle,
 * then the {@link Targets} section. The SVG chart of the same rows is {@link Chart}'s.
 */
final class Report {

  /**
   * One benchmark result: throughput in cycles per second with JMH's 99.9% error, and the bytes
   * allocated per cycle as JMH's GC profiler measured them (NaN when it did not run).
   */
  record Row(Impl impl, String cycle, int threads, double ops, double error, double bytes) {
    Row(Impl impl, String cycle, int threads, double ops, double error) {
      this(impl, cycle, threads, ops, error, Double.NaN);
    }

    double micros() {
      return threads * 1e6 / ops;
    }

    double microsError() {
      return Double.isNaN(error) ? Double.NaN : micros() * error / ops;
    }
  }

  private final String mode;
  private final Instant started;
  private final List<String> notes;
  private final List<Row> rows;
  private final Map<Impl, Map<String, RoundTrips.Count>> roundTrips;

  Report(
      String mode,
      Instant started,
      List<String> notes,
      List<Row> rows,
      Map<Impl, Map<String, RoundTrips.Count>> roundTrips) {
    this.mode = mode;
    this.started = started;
    this.notes = notes;
    this.rows = rows;
    this.roundTrips = roundTrips;
  }

  static List<Row> rows(Collection<RunResult> results) {
    List<Row> rows = new ArrayList<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      rows.add(
          new Row(
              Impl.byId(result.getParams().getParam("impl")),
              benchmark.substring(benchmark.lastIndexOf('.') + 1),
              result.getParams().getThreads(),
              result.getPrimaryResult().getScore(),
              result.getPrimaryResult().getScoreError(),
              allocated(result)));
    }
    sort(rows);
    return rows;
  }

  /** By store, then thread count, then cycle, then implementation. */
  static void sort(List<Row> rows) {
    rows.sort(
        (a, b) ->
            a.impl.backend != b.impl.backend
                ? a.impl.backend.compareTo(b.impl.backend)
                : a.threads != b.threads
                    ? Integer.compare(a.threads, b.threads)
                    : a.cycle.equals(b.cycle)
                        ? a.impl.compareTo(b.impl)
                        : Integer.compare(cycleOrder(a.cycle), cycleOrder(b.cycle)));
  }

  /** Bytes per operation from JMH's GC profiler; its label lost a leading "·" in JMH 1.36. */
  private static double allocated(RunResult result) {
    var secondary = result.getSecondaryResults();
    for (String label : List.of("gc.alloc.rate.norm", "·gc.alloc.rate.norm")) {
      var alloc = secondary.get(label);
      if (alloc != null) {
        return alloc.getScore();
      }
    }
    return Double.NaN;
  }

  private static int cycleOrder(String cycle) {
    return List.of(RoundTrips.CYCLES).indexOf(cycle);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("Run ")
        .append(started)
        .append(", ")
        .append(mode)
        .append(" mode; ")
        .append(machine())
        .append(".\n\n");
    for (String note : notes) {
      md.append("- **").append(note).append("**\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
    }
    md.append(
        "| store | implementation | cycle | threads | µs/cycle | cycles/s | bytes allocated/cycle"
            + " | round trips |\n"
            + "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |\n");
    for (Row r : rows) {
      md.append("| ")
          .append(r.impl.backend.title)
          .append(" | ")
          .append(r.impl.id)
          .append(" | ")
          .append(r.cycle)
          .append(" | ")
          .append(r.threads)
          .append(" | ")
          .append(withError(r.micros(), r.microsError()))
          .append(" | ")
          .append(withError(r.ops, r.error))
          .append(" | ")
          .append(bytes(r.bytes))
          .append(" | ")
          .append(roundTrips(r.impl, r.cycle))
          .append(" |\n");
    }
    new Targets(rows, roundTrips).appendTo(md);
    return md.toString();
  }

  /** The chart of this run's rows. */
  String svg() {
    return new Chart(rows, "Request cycle time, " + mode + " run " + started).svg();
  }

  private String roundTrips(Impl impl, String cycle) {
    Optional<RoundTrips.Count> count =
        Optional.ofNullable(roundTrips.get(impl)).map(counts -> counts.get(cycle));
    if (count.isEmpty()) {
      return "—";
    }
    if (impl.backend == Impl.Backend.MEMORY) {
      return "0";
    }
    return RoundTrips.format(count.get().perCycle())
        + (count.get().detail().isEmpty() ? "" : " (" + count.get().detail() + ")");
  }

  static String bytes(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
  }

  static String range(double low, double high) {
    if (Double.isNaN(low) || Double.isNaN(high) || low <= 0 || high <= 0) {
      return "n/a";
    }
    return fmt(low) + "–" + fmt(high);
  }

  static String withError(double value, double error) {
    return Double.isNaN(error) ? fmt(value) : fmt(value) + " ± " + fmt(error);
  }

  /** Three significant digits, without exponents. */
  static String fmt(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    double abs = Math.abs(value);
    if (abs >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    if (abs >= 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }

  static String machine() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave the CPU unnamed
    }
    return Runtime.getRuntime().availableProcessors()
        + " CPUs ("
        + cpu
        + "), "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + ", "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version");
  }
}
