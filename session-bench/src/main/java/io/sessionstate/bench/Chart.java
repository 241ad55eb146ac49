package io.sessionstate.bench;

import static io.sessionstate.bench.Report.withError;

import io.sessionstate.bench.Report.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A bar chart of time per cycle as SVG: one panel per store and thread count, each with its own
 * scale, bars coloured by whose code runs, error bars from JMH's 99.9% confidence interval.
 */
final class Chart {
  private static final int WIDTH = 900;
  private static final int LABEL_WIDTH = 300;
  private static final int BAR_AREA = WIDTH - LABEL_WIDTH - 160;
  private static final int BAR_HEIGHT = 16;
  private static final int GAP = 4;

  private final List<Row> rows;
  private final String title;

  Chart(List<Row> rows, String title) {
    this.rows = rows;
    this.title = title;
  }

  String svg() {
    StringBuilder body = new StringBuilder();
    int y = 40;
    TreeSet<Integer> threadCounts = new TreeSet<>();
    rows.forEach(r -> threadCounts.add(r.threads()));
    for (Impl.Backend backend : Impl.Backend.values()) {
      for (int threads : threadCounts) {
        List<Row> panel = new ArrayList<>();
        for (Row r : rows) {
          if (r.impl().backend == backend && r.threads() == threads) {
            panel.add(r);
          }
        }
        if (!panel.isEmpty()) {
          y = panel(body, y, backend, threads, panel);
        }
      }
    }
    int height = y + 30;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            WIDTH,
            height));
    svg.append(text(10, 20, title, "bold"));
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

  /** Draws one panel from {@code y} down; returns where the next one starts. */
  private static int panel(
      StringBuilder body, int y, Impl.Backend backend, int threads, List<Row> panel) {
    // Scaled to the slowest point estimate; a wider error bar is cut at the panel's edge.
    double max = 0;
    for (Row r : panel) {
      max = Math.max(max, r.micros());
    }
    String heading =
        backend.title + " (µs per cycle, " + threads + (threads == 1 ? " thread)" : " threads)");
    body.append(text(10, y + 12, heading, "bold"));
    y += 22;
    String lastCycle = null;
    for (Row r : panel) {
      if (lastCycle != null && !lastCycle.equals(r.cycle())) {
        y += 6;
      }
      lastCycle = r.cycle();
      double w = r.micros() / max * BAR_AREA;
      body.append(text(LABEL_WIDTH - 8, y + 12, r.impl().id + " · " + r.cycle(), "end"));
      body.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
              LABEL_WIDTH,
              y,
              w,
              BAR_HEIGHT,
              color(r.impl().kind)));
      double err = r.microsError();
      if (!Double.isNaN(err) && err > 0) {
        double lo = LABEL_WIDTH + Math.max(0, r.micros() - err) / max * BAR_AREA;
        double hi = LABEL_WIDTH + Math.min(r.micros() + err, max * 1.1) / max * BAR_AREA;
        body.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n",
                lo,
                hi,
                y + BAR_HEIGHT / 2,
                y + BAR_HEIGHT / 2));
      }
      body.append(
          text(
              LABEL_WIDTH + (int) Math.ceil(w) + 6,
              y + 12,
              withError(r.micros(), r.microsError()),
              "start"));
      y += BAR_HEIGHT + GAP;
    }
    return y + 18;
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
