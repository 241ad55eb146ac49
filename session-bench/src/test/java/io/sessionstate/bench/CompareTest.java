package io.sessionstate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest {
  @TempDir Path dir;

  private Path run(String name, double ours, double raw) throws IOException {
    Path json = dir.resolve(name + ".json");
    Files.writeString(
        json,
        "["
            + result("sessionstate-redis", ours, "\"NaN\"", 2048)
            + ","
            + result("raw-jedis", raw, "100.0", 512)
            + ",{\"benchmark\":\"io.sessionstate.bench.CodecBenchmark.encodeDecode\","
            + "\"threads\":1,\"params\":{\"codec\":\"kryo\"},\"primaryMetric\":{\"score\":1.0}}]",
        StandardCharsets.UTF_8);
    return json;
  }

  private static String result(String impl, double score, String error, double bytes) {
    return "{\"benchmark\":\"io.sessionstate.bench.RequestCycleBenchmark.modified\","
        + "\"threads\":4,\"params\":{\"impl\":\""
        + impl
        + "\",\"sessions\":\"1024\"},\"primaryMetric\":{\"score\":"
        + score
        + ",\"scoreError\":"
        + error
        + "},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":"
        + bytes
        + "}}}";
  }

  @Test
  void read_takesTheRequestCyclesWithTheirAllocation_andSkipsTheCodecs() throws IOException {
    List<Report.Row> rows = Compare.read(run("a", 10_000, 11_000));

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).impl()).isEqualTo(Impl.SESSIONSTATE_REDIS);
    assertThat(rows.get(0).error()).isNaN();
    assertThat(rows.get(0).bytes()).isEqualTo(2048.0);
    assertThat(rows.get(1).error()).isEqualTo(100.0);
  }

  @Test
  void markdown_setsBothRunsSideBySide() throws IOException {
    String md = Compare.markdown(run("a", 10_000, 11_000), run("b", 12_000, 11_000));

    assertThat(md)
        .contains("| sessionstate-redis | modified | 4 | 400 | 333 | 2,048 | 2,048 |")
        .contains(
            "| sessionstate-redis / raw-jedis | modified | 4 | 1.10 | n/a | 0.917 | n/a | ≤ 1.10"
                + " | yes | yes |");
  }
}
