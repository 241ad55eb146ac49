package io.sessionstate.example;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.sessionstate.micrometer.SessionMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The demo's metrics over the last minutes: every {@link #INTERVAL} it reads the registry's store
 * timers and session counters and keeps the last {@link #SAMPLES} intervals, which the metrics page
 * draws as an SVG chart (no script, no external resource). Thread-safe.
 */
final class MetricsHistory {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final int SAMPLES = 60; // five minutes

  /** One interval: store calls made in it, the time they took, and sessions created in it. */
  record Sample(long calls, double storeMillis, long created) {}

  private final MeterRegistry registry;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private long lastCalls;
  private double lastMillis;
  private long lastCreated;
  private @Nullable ScheduledExecutorService sampler;

  MetricsHistory(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Starts sampling on a daemon thread of its own; calling it again does nothing. */
  synchronized void start() {
    if (sampler == null) {
      sampler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "example-metrics");
                t.setDaemon(true);
                return t;
              });
      sampler.scheduleAtFixedRate(
          this::sample, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Closes the interval that ends now. */
  synchronized void sample() {
    long calls = 0;
    double millis = 0;
    for (Timer t : registry.find(SessionMetrics.OPERATION_DURATION).timers()) {
      calls += t.count();
      millis += t.totalTime(TimeUnit.MILLISECONDS);
    }
    long created =
        (long)
            registry.find(SessionMetrics.CREATED).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    samples.addLast(new Sample(calls - lastCalls, millis - lastMillis, created - lastCreated));
    while (samples.size() > SAMPLES) {
      samples.removeFirst();
    }
    lastCalls = calls;
    lastMillis = millis;
    lastCreated = created;
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The page's body: the chart, then every meter of the registry with its tags and value. */
  String html() {
    List<Sample> history = samples();
    StringBuilder body = new StringBuilder();
    body.append("<p>Store calls and sessions created per ")
        .append(INTERVAL.toSeconds())
        .append(" seconds over the last ")
        .append(SAMPLES * INTERVAL.toSeconds() / 60)
        .append(" minutes; the page does not refresh itself.</p>\n")
        .append(chart(history))
        .append("<h2>Meters</h2>\n<table id=\"meters\">\n")
        .append("<tr><th>meter</th><th>tags</th><th>value</th></tr>\n");
    List<Meter> meters = new ArrayList<>(registry.getMeters());
    meters.sort(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> tags(m)));
    for (Meter meter : meters) {
      body.append("<tr><td>")
          .append(DemoPages.escape(meter.getId().getName()))
          .append("</td><td>")
          .append(DemoPages.escape(tags(meter)))
          .append("</td><td>")
          .append(DemoPages.escape(value(meter)))
          .append("</td></tr>\n");
    }
    return body.append("</table>\n").toString();
  }

  private static String tags(Meter meter) {
    List<String> parts = new ArrayList<>();
    for (Tag tag : meter.getId().getTags()) {
      parts.add(tag.getKey() + "=" + tag.getValue());
    }
    return String.join(" ", parts);
  }

  private static String value(Meter meter) {
    if (meter instanceof Timer t) {
      return String.format(
          Locale.ROOT, "%d calls, mean %.3f ms", t.count(), t.mean(TimeUnit.MILLISECONDS));
    }
    List<String> parts = new ArrayList<>();
    meter
        .measure()
        .forEach(
            m ->
                parts.add(
                    m.getStatistic().getTagValueRepresentation() + " " + number(m.getValue())));
    return String.join(", ", parts);
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
  }

  /** Bars of store calls per interval, and a line of sessions created, scaled to the tallest. */
  static String chart(List<Sample> history) {
    int width = 600;
    int height = 160;
    long max = 1;
    for (Sample s : history) {
      max = Math.max(max, Math.max(s.calls(), s.created()));
    }
    double step = (double) width / SAMPLES;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height + 20)
        .append("\" role=\"img\" aria-label=\"store calls per interval\">\n")
        .append("<rect width=\"100%\" height=\"")
        .append(height)
        .append("\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n");
    int offset = SAMPLES - history.size(); // the newest sample at the right edge
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < history.size(); i++) {
      Sample s = history.get(i);
      double x = (offset + i) * step;
      double h = (double) s.calls() * (height - 10) / max;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"calls\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                  + " fill=\"#90caf9\"><title>%d store calls, %.2f ms in the store</title></rect>\n",
              x + 1,
              height - h,
              step - 2,
              h,
              s.calls(),
              s.storeMillis()));
      line.append(
          String.format(
              Locale.ROOT,
              "%.1f,%.1f ",
              x + step / 2,
              height - (double) s.created() * (height - 10) / max));
    }
    if (!line.isEmpty()) {
      svg.append(
              "<polyline class=\"created\" fill=\"none\" stroke=\"#2e7d32\" stroke-width=\"2\" points=\"")
          .append(line.toString().strip())
          .append("\"/>\n");
    }
    svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"4\" y=\"%d\" font-size=\"12\">max %d per interval; bars: store calls,"
                    + " line: sessions created</text>\n",
                height + 15,
                max))
        .append("</svg>\n");
    return svg.toString();
  }
}
