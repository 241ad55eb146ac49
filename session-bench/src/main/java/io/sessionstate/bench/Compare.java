package io.sessionstate.bench;

import io.sessionstate.bench.Report.Row;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two runs side by side, from the {@code jmh.json} each wrote, so a reader sees how much the
 * numbers move between runs on the same machine: every cycle's time and allocation in both, and
 * every target's ratio and range in both.
 */
final class Compare {
  private static final String CYCLE_BENCHMARK = RequestCycleBenchmark.class.getName() + ".";

  private Compare() {}

  static String markdown(Path first, Path second) throws IOException {
    List<Row> a = read(first);
    List<Row> b = read(second);
    StringBuilder md = new StringBuilder();
    md.append("Run 1: `")
        .append(first)
        .append("`; run 2: `")
        .append(second)
        .append("`.\n\n")
        .append(
            "| implementation | cycle | threads | run 1 µs/cycle | run 2 µs/cycle | run 1 bytes/cycle"
                + " | run 2 bytes/cycle |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (Row r : a) {
      @Nullable Row other = find(b, r);
      md.append("| ")
          .append(r.impl().id)
          .append(" | ")
          .append(r.cycle())
          .append(" | ")
          .append(r.threads())
          .append(" | ")
          .append(Report.withError(r.micros(), r.microsError()))
          .append(" | ")
          .append(other == null ? "—" : Report.withError(other.micros(), other.microsError()))
          .append(" | ")
          .append(Report.bytes(r.bytes()))
          .append(" | ")
          .append(other == null ? "—" : Report.bytes(other.bytes()))
          .append(" |\n");
    }
    md.append(
        "\n| comparison | cycle | threads | run 1 ratio | run 1 range | run 2 ratio | run 2 range |"
            + " target | met in run 1 | met in run 2 |\n"
            + "| --- | --- | ---: | ---: | --- | ---: | --- | --- | --- | --- |\n");
    Map<String, String[]> second2 = ratios(b);
    ratios(a)
        .forEach(
            (key, one) -> {
              String[] two = second2.get(key);
              md.append("| ")
                  .append(key)
                  .append(" | ")
                  .append(one[3])
                  .append(" | ")
                  .append(one[4])
                  .append(" | ")
                  .append(two == null ? "—" : two[3])
                  .append(" | ")
                  .append(two == null ? "—" : two[4])
                  .append(" | ")
                  .append(one[5])
                  .append(" | ")
                  .append(one[6])
                  .append(" | ")
                  .append(two == null ? "—" : two[6])
                  .append(" |\n");
            });
    return md.toString();
  }

  /** The ratio table's lines from {@link Targets}, by their first three cells. */
  private static Map<String, String[]> ratios(List<Row> rows) {
    StringBuilder md = new StringBuilder();
    new Targets(rows, Map.of()).appendTo(md);
    Map<String, String[]> lines = new LinkedHashMap<>();
    boolean inRatios = false;
    for (String line : md.toString().split("\n")) {
      if (line.startsWith("| comparison |")) {
        inRatios = true;
      } else if (inRatios && line.startsWith("| ") && !line.startsWith("| ---")) {
        String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
        if (cells.length == 7) {
          lines.put(cells[0] + " | " + cells[1] + " | " + cells[2], cells);
        }
      } else if (inRatios && line.isEmpty() && !lines.isEmpty()) {
        break;
      }
    }
    return lines;
  }

  private static @Nullable Row find(List<Row> rows, Row like) {
    for (Row r : rows) {
      if (r.impl() == like.impl()
          && r.cycle().equals(like.cycle())
          && r.threads() == like.threads()) {
        return r;
      }
    }
    return null;
  }

  /** The request-cycle results in one run's {@code jmh.json}, in the report's order. */
  static List<Row> read(Path json) throws IOException {
    ObjectMapper mapper = JsonMapper.builder().build();
    JsonNode results = mapper.readTree(json.toFile());
    List<Row> rows = new ArrayList<>();
    for (JsonNode result : results) {
      String benchmark = result.path("benchmark").asString();
      if (!benchmark.startsWith(CYCLE_BENCHMARK)) {
        continue;
      }
      JsonNode primary = result.path("primaryMetric");
      JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
      rows.add(
          new Row(
              Impl.byId(result.path("params").path("impl").asString()),
              benchmark.substring(CYCLE_BENCHMARK.length()),
              result.path("threads").asInt(),
              number(primary.path("score")),
              number(primary.path("scoreError")),
              number(alloc)));
    }
    Report.sort(rows);
    return rows;
  }

  /** JMH writes "NaN" as a string where a number is undefined. */
  private static double number(JsonNode node) {
    return node.isNumber() ? node.asDouble() : Double.NaN;
  }
}
