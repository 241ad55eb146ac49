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
                    new Report.Row(Impl.SESSIONSTATE_REDIS, "modified", 1, 8_000, 400, 2048),
                    new Report.Row(Impl.RAW_JEDIS, "modified", 1, 9_000, 450)))
            .markdown();

    // time ratio = 9000/8000; range (9000-450)/(8000+400) .. (9000+450)/(8000-400)
    assertThat(md)
        .contains(
            "| sessionstate-redis / raw-jedis | modified | 1 | 1.13 | 1.02–1.24 | ≤ 1.10 | no |");
    assertThat(md)
        .contains(
            "| Redis | sessionstate-redis | modified | 1 | 125 ± 6.25 | 8,000 ± 400 | 2,048 |");
    assertThat(md).contains("2 (GETEX 1 SET 1)");
    assertThat(md).contains("- **PostgreSQL at x is not reachable**");
  }

  @Test
  void markdown_springAgainstSessionstate_checksTheTargetsAtFourThreads() {
    String md =
        report(
                List.of(
                    new Report.Row(Impl.SESSIONSTATE_REDIS, "readOnly", 1, 10_000, Double.NaN),
                    new Report.Row(Impl.SPRING_REDIS_JEDIS, "readOnly", 1, 4_000, Double.NaN),
                    new Report.Row(Impl.SESSIONSTATE_REDIS, "readOnly", 4, 20_000, Double.NaN),
                    new Report.Row(Impl.SPRING_REDIS_JEDIS, "readOnly", 4, 8_000, Double.NaN)))
            .markdown();

    assertThat(md)
        .contains("| spring-redis-jedis / sessionstate-redis | readOnly | 1 | 2.50 | n/a | — | — |")
        .contains(
            "| spring-redis-jedis / sessionstate-redis | readOnly | 4 | 2.50 | n/a | ≥ 3.00 | no |");
  }

  @Test
  void markdown_fasterSpringClient_holdsTheTarget() {
    String md =
        report(
                List.of(
                    new Report.Row(Impl.SESSIONSTATE_REDIS, "modified", 4, 20_000, Double.NaN),
                    new Report.Row(Impl.SPRING_REDIS_LETTUCE, "modified", 4, 5_000, Double.NaN),
                    new Report.Row(Impl.SPRING_REDIS_JEDIS, "modified", 4, 8_000, Double.NaN)))
            .markdown();

    assertThat(md)
        .contains(
            "| spring-redis-lettuce / sessionstate-redis | modified | 4 | 4.00 | n/a | held by"
                + " spring-redis-jedis, the faster client | — |")
        .contains(
            "| spring-redis-jedis / sessionstate-redis | modified | 4 | 2.50 | n/a | ≥ 2.00 | yes |");
  }

  @Test
  void markdown_scaling_comparesGrowthWithTheRawBaselines() {
    String md =
        report(
                List.of(
                    new Report.Row(Impl.SESSIONSTATE_REDIS, "readOnly", 1, 10_000, 100),
                    new Report.Row(Impl.RAW_JEDIS, "readOnly", 1, 10_000, 100),
                    new Report.Row(Impl.SESSIONSTATE_REDIS, "readOnly", 4, 30_000, 100),
                    new Report.Row(Impl.RAW_JEDIS, "readOnly", 4, 40_000, 100)))
            .markdown();

    assertThat(md)
        .contains("| sessionstate-redis | readOnly | 10,000 | 30,000 | 3.00 | 4.00 | 0.750 | no |")
        .contains("| raw-jedis | readOnly | 10,000 | 40,000 | 4.00 | — | — | — |");
  }

  @Test
  void markdown_allocation_isHeldAgainstHalfTheFigureBefore() {
    String md =
        report(
                List.of(
                    new Report.Row(
                        Impl.SESSIONSTATE_MEMORY, "modified", 1, 1_000_000, Double.NaN, 4_000)))
            .markdown();

    assertThat(md).contains("| sessionstate-memory | modified | 9,985 | 4,000 | 0.401 | yes |");
  }

  @Test
  void markdown_roundTrips_areCheckedAgainstTheFloor() {
    String md = report(List.of()).markdown();

    assertThat(md).contains("| sessionstate-redis | 2 | 1 | — | yes |");
  }

  @Test
  void markdown_postgresReadOnly_isHeldAgainstTheRawUpdate() {
    String md =
        report(
                List.of(
                    new Report.Row(Impl.SESSIONSTATE_POSTGRES, "readOnly", 4, 9_000, Double.NaN),
                    new Report.Row(Impl.RAW_JDBC_LOGGED, "readOnly", 4, 5_000, Double.NaN)))
            .markdown();

    assertThat(md)
        .contains(
            "| raw-jdbc-logged / sessionstate-postgres | readOnly | 4 | 1.80 | n/a | ≥ 1.50 | yes |");
  }

  @Test
  void svg_drawsOneBarPerResult_inOnePanelPerStoreAndThreadCount() {
    String svg =
        report(
                List.of(
                    new Report.Row(Impl.SESSIONSTATE_MEMORY, "modified", 1, 1_000_000, 10_000),
                    new Report.Row(Impl.RAW_CAFFEINE, "modified", 1, 5_000_000, 50_000),
                    new Report.Row(Impl.RAW_JEDIS, "modified", 4, 40_000, 100)))
            .svg();

    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    assertThat(svg.split("<rect x=\"300\"", -1)).hasSize(4);
    assertThat(svg)
        .contains("sessionstate-memory · modified")
        .contains("in-process (µs per cycle, 1 thread)")
        .contains("Redis (µs per cycle, 4 threads)");
  }
}
