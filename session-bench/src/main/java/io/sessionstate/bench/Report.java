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
 * Turns one run's results into the Markdown tables and the SVG chart: times, throughput and round
 * trips per cycle; the ratios the targets are stated in, each with the range that the two scores'
 * 99.9% confidence intervals allow; and 4-thread over 1-thread scaling.
 */
final class Report {

  /** One benchmark result: throughput in cycles per second with JMH's 99.9% error. */
  record Row(Impl impl, String cycle, int threads, double ops, double error) {
    double micros() {
      return threads * 1e6 / ops;
    }

    double microsError() {
      return Double.isNaN(error) ? Double.NaN : micros() * error / ops;
    }
  }

  /** A Spring Session implementation against the sessionstate one it is compared with. */
  private record Versus(String spring, String sessionstate, double modified, double readOnly) {}

  // The targets: Spring Session's time over sessionstate's, at least this much (0: none). Where
  // Spring has two client configurations, the target holds against the faster of the two.
  private static final List<Versus> VERSUS =
      List.of(
          new Versus("spring-map", "sessionstate-memory", 1, 1),
          new Versus("spring-redis-lettuce", "sessionstate-redis", 2, 3),
          new Versus("spring-redis-jedis", "sessionstate-redis", 2, 3),
          new Versus("spring-jdbc", "sessionstate-postgres", 1.6, 2.5),
          new Versus("spring-jdbc", "sessionstate-postgres-unlogged", 3.5, 5),
          new Versus("spring-jdbc-mysql", "sessionstate-mysql", 0, 0));
  private static final double RAW_RATIO_TARGET = 1.25;
  private static final double SCALING_TARGET = 3.5;
  private static final double MEMORY_MICROS_TARGET = 1;

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
              result.getPrimaryResult().getScoreError()));
    }
    rows.sort(
        (a, b) ->
            a.impl.backend != b.impl.backend
                ? a.impl.backend.compareTo(b.impl.backend)
                : a.threads != b.threads
                    ? Integer.compare(a.threads, b.threads)
                    : a.cycle.equals(b.cycle)
                        ? a.impl.compareTo(b.impl)
                        : Integer.compare(cycleOrder(a.cycle), cycleOrder(b.cycle)));
    return rows;
  }

  private static int cycleOrder(String cycle) {
    return List.of(RoundTrips.CYCLES).indexOf(cycle);
  }

  private Optional<Row> find(String impl, String cycle, int threads) {
    return rows.stream()
        .filter(r -> r.impl.id.equals(impl) && r.cycle.equals(cycle) && r.threads == threads)
        .findFirst();
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
        "| store | implementation | cycle | threads | µs/cycle | cycles/s | round trips |\n"
            + "| --- | --- | --- | ---: | ---: | ---: | --- |\n");
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
          .append(roundTrips(r))
          .append(" |\n");
    }
    md.append(
        "\nRatios of time per cycle; the range is what the two scores' 99.9% confidence intervals"
            + " allow.\n\n"
            + "| comparison | cycle | threads | ratio | range | target | met |\n"
            + "| --- | --- | ---: | ---: | --- | --- | --- |\n");
    for (Row r : rows) {
      if (r.impl.kind == Impl.Kind.SESSIONSTATE && r.impl.baseline().isPresent()) {
        Impl raw = r.impl.baseline().get();
        find(raw.id, r.cycle, r.threads)
            .ifPresent(
                b -> ratioLine(md, r, b, "≤ " + fmt(RAW_RATIO_TARGET), RAW_RATIO_TARGET, false));
      }
    }
    for (Versus v : VERSUS) {
      for (Row s : rows) {
        if (s.impl.id.equals(v.spring)) {
          find(v.sessionstate, s.cycle, s.threads)
              .ifPresent(
                  ours -> {
                    double goal =
                        switch (s.cycle) {
                          case "modified" -> v.modified;
                          case "readOnly" -> v.readOnly;
                          default -> 0;
                        };
                    String target = goal == 0 ? "—" : goal == 1 ? "> 1 (ahead)" : "≥ " + fmt(goal);
                    Optional<Row> faster = fasterSpring(v, s);
                    if (faster.isPresent() && goal != 0) {
                      target = "held by " + faster.get().impl.id + ", the faster client";
                      goal = 0;
                    }
                    ratioLine(md, s, ours, target, goal, true);
                  });
        }
      }
    }
    for (Row r : rows) {
      if (r.impl.id.equals("sessionstate-memory") && r.threads == 1) {
        md.append("| sessionstate-memory time | ")
            .append(r.cycle)
            .append(" | 1 | ")
            .append(fmt(r.micros()))
            .append(" µs | ")
            .append(range(r.micros() - r.microsError(), r.micros() + r.microsError()))
            .append(" | < 1 µs | ")
            .append(r.micros() < MEMORY_MICROS_TARGET ? "yes" : "no")
            .append(" |\n");
      }
    }
    StringBuilder scaling = new StringBuilder();
    for (Row one : rows) {
      if (one.threads == 1) {
        find(one.impl.id, one.cycle, 4)
            .ifPresent(
                four -> {
                  double ratio = four.ops / one.ops;
                  scaling
                      .append("| ")
                      .append(one.impl.id)
                      .append(" | ")
                      .append(one.cycle)
                      .append(" | ")
                      .append(fmt(one.ops))
                      .append(" | ")
                      .append(fmt(four.ops))
                      .append(" | ")
                      .append(fmt(ratio))
                      .append(" | ")
                      .append(ratio >= SCALING_TARGET ? "yes" : "no")
                      .append(" |\n");
                });
      }
    }
    if (scaling.length() > 0) {
      md.append(
              "\nScaling: throughput on 4 threads over 1 thread (target ≥ "
                  + fmt(SCALING_TARGET)
                  + " wherever the raw baseline reaches it).\n\n"
                  + "| implementation | cycle | 1 thread, cycles/s | 4 threads, cycles/s | ratio |"
                  + " ≥ 3.5 |\n"
                  + "| --- | --- | ---: | ---: | ---: | --- |\n")
          .append(scaling);
    }
    return md.toString();
  }

  /** Another Spring Session configuration against the same store that ran faster than {@code s}. */
  private Optional<Row> fasterSpring(Versus v, Row s) {
    for (Versus other : VERSUS) {
      if (other.sessionstate.equals(v.sessionstate) && !other.spring.equals(v.spring)) {
        Optional<Row> row = find(other.spring, s.cycle, s.threads);
        if (row.isPresent() && row.get().ops > s.ops) {
          return row;
        }
      }
    }
    return Optional.empty();
  }

  /** Time of {@code a} over time of {@code b}, which is b's throughput over a's. */
  private void ratioLine(
      StringBuilder md, Row a, Row b, String target, double goal, boolean atLeast) {
    double ratio = b.ops / a.ops;
    double low = (b.ops - b.error) / (a.ops + a.error);
    double high = (b.ops + b.error) / (a.ops - a.error);
    String met;
    if (goal == 0) {
      met = "—";
    } else if (atLeast) {
      met = (goal == 1 ? ratio > goal : ratio >= goal) ? "yes" : "no";
    } else {
      met = ratio <= goal ? "yes" : "no";
    }
    md.append("| ")
        .append(a.impl.id)
        .append(" / ")
        .append(b.impl.id)
        .append(" | ")
        .append(a.cycle)
        .append(" | ")
        .append(a.threads)
        .append(" | ")
        .append(fmt(ratio))
        .append(" | ")
        .append(range(low, high))
        .append(" | ")
        .append(target)
        .append(" | ")
        .append(met)
        .append(" |\n");
  }

  private String roundTrips(Row r) {
    Map<String, RoundTrips.Count> counts = roundTrips.get(r.impl);
    if (counts == null || !counts.containsKey(r.cycle)) {
      return "—";
    }
    RoundTrips.Count count = counts.get(r.cycle);
    if (r.impl.backend == Impl.Backend.MEMORY) {
      return "0";
    }
    return RoundTrips.format(count.perCycle())
        + (count.detail().isEmpty() ? "" : " (" + count.detail() + ")");
  }

  private static String range(double low, double high) {
    if (Double.isNaN(low) || Double.isNaN(high) || low <= 0 || high <= 0) {
      return "n/a";
    }
    return fmt(low) + "–" + fmt(high);
  }

  private static String withError(double value, double error) {
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

  /** A bar chart of time per cycle on one thread, one panel per store with its own scale. */
  String svg() {
    int width = 900;
    int labelWidth = 300;
    int barArea = width - labelWidth - 160;
    int barHeight = 16;
    int gap = 4;
    StringBuilder body = new StringBuilder();
    int y = 40;
    for (Impl.Backend backend : Impl.Backend.values()) {
      List<Row> panel = new ArrayList<>();
      for (Row r : rows) {
        if (r.impl.backend == backend && r.threads == 1) {
          panel.add(r);
        }
      }
      if (panel.isEmpty()) {
        continue;
      }
      // Scaled to the slowest point estimate; a wider error bar is cut at the panel's edge.
      double max = 0;
      for (Row r : panel) {
        max = Math.max(max, r.micros());
      }
      body.append(text(10, y + 12, backend.title + " (µs per cycle, 1 thread)", "bold"));
      y += 22;
      String lastCycle = null;
      for (Row r : panel) {
        if (lastCycle != null && !lastCycle.equals(r.cycle)) {
          y += 6;
        }
        lastCycle = r.cycle;
        double w = r.micros() / max * barArea;
        body.append(text(labelWidth - 8, y + 12, r.impl.id + " · " + r.cycle, "end"));
        body.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
                labelWidth,
                y,
                w,
                barHeight,
                color(r.impl.kind)));
        double err = r.microsError();
        if (!Double.isNaN(err) && err > 0) {
          double lo = labelWidth + Math.max(0, r.micros() - err) / max * barArea;
          double hi = labelWidth + Math.min(r.micros() + err, max * 1.1) / max * barArea;
          body.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n",
                  lo,
                  hi,
                  y + barHeight / 2,
                  y + barHeight / 2));
        }
        body.append(
            text(
                labelWidth + (int) Math.ceil(w) + 6,
                y + 12,
                withError(r.micros(), r.microsError()),
                "start"));
        y += barHeight + gap;
      }
      y += 18;
    }
    int height = y + 30;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            width,
            height));
    svg.append(text(10, 20, "Request cycle time, " + mode + " run " + started, "bold"));
    svg.append(body);
    int lx = 10;
    for (Impl.Kind kind : Impl.Kind.values()) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
              lx,
              height - 22,
              color(kind)));
      String name = kind.name().toLowerCase(Locale.ROOT);
      svg.append(text(lx + 16, height - 12, name, "start"));
      lx += 30 + name.length() * 8;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static String color(Impl.Kind kind) {
    return switch (kind) {
      case SESSIONSTATE -> "#1f77b4";
      case RAW -> "#999999";
      case SPRING -> "#2ca02c";
    };
  }

  private static String text(int x, int y, String content, String style) {
    String anchor =
        style.equals("end")
            ? " text-anchor=\"end\""
            : style.equals("bold") ? " font-weight=\"bold\"" : "";
    return String.format(
        Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>\n", x, y, anchor, escape(content));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
