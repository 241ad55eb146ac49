package io.sessionstate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final Instant WHEN = Instant.parse("2026-11-21T20:00:00Z");

  private static Report report(List<Report.Row> rows) {
    Map<Impl, Map<String, RoundTrips.Count>> trips = new LinkedHashMap<>();
    trips.put(
        Impl.SESSIONSTATE_REDIS,
        Map.of(
            "modified", new RoundTrips.Count(2, "GETEX 1 SET 1"),
            "readOnly", new RoundTrips.Count(1, "GETEX 1")));
    return new Report("quick", WHEN, List.of("PostgreSQL at x is not reachable"), rows, trips);
  }

  @Test
  void row_timePerCycle_isThreadsOverThroughput() {
    Report.Row row = new Report.Row(Impl.RAW_JEDIS, "modified", 4, 20_000, 1_000);

    assertThat(row.micros()).isEqualTo(200.0);
    assertThat(row.microsError()).isEqualTo(10.0);
  }

  @Test
  void markdown_ratioAgainstRawBaseline_hasRangeFromBothErrors() {
    String md =
        report(
                List.of(
                    new Report.Row(Impl.SESSIONSTATE_REDIS, "modified", 1, 8_000, 400),
                    new Report.Row(Impl.RAW_JEDIS, "modified", 1, 9_000, 450)))
            .markdown();

    // time ratio = 9000/8000; range (9000-450)/(8000+400) .. (9000+450)/(8000-400)
    assertThat(md)
        .contains(
            "| sessionstate-redis / raw-jedis | modified | 1 | 1.13 | 1.02–1.24 | ≤ 1.25 | yes |");
    assertThat(md)
        .contains("| Redis | sessionstate-redis | modified | 1 | 125 ± 6.25 | 8,000 ± 400 |");
    assertThat(md).contains("2 (GETEX 1 SET 1)");
    assertThat(md).contains("- **PostgreSQL at x is not reachable**");
  }

  @Test
  void markdown_springAgainstSessionstate_checksTheIssueTargets() {
    String md =
        report(
                List.of(
                    new Report.Row(Impl.SESSIONSTATE_REDIS, "readOnly", 1, 10_000, Double.NaN),
                    new Report.Row(Impl.SPRING_REDIS_LETTUCE, "readOnly", 1, 4_000, Double.NaN)))
            .markdown();

    assertThat(md)
        .contains(
            "| spring-redis-lettuce / sessionstate-redis | readOnly | 1 | 2.50 | n/a | ≥ 3.00 | no |");
  }

  @Test
  void markdown_scaling_comparesFourThreadsWithOne() {
    String md =
        report(
                List.of(
                    new Report.Row(Impl.RAW_JEDIS, "readOnly", 1, 10_000, 100),
                    new Report.Row(Impl.RAW_JEDIS, "readOnly", 4, 36_000, 100)))
            .markdown();

    assertThat(md).contains("| raw-jedis | readOnly | 10,000 | 36,000 | 3.60 | yes |");
  }

  @Test
  void svg_drawsOneBarPerOneThreadResult() {
    String svg =
        report(
                List.of(
                    new Report.Row(Impl.SESSIONSTATE_MEMORY, "modified", 1, 1_000_000, 10_000),
                    new Report.Row(Impl.RAW_CAFFEINE, "modified", 1, 5_000_000, 50_000),
                    new Report.Row(Impl.RAW_JEDIS, "modified", 4, 40_000, 100)))
            .svg();

    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    assertThat(svg.split("<rect x=\"300\"", -1)).hasSize(3);
    assertThat(svg).contains("sessionstate-memory · modified").doesNotContain("raw-jedis");
  }
}
