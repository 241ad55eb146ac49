package io.sessionstate.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's cost panel and metrics page, through real HTTP against the real app: each page lists
 * the store calls its own request made, and the metrics page draws the registry's history. Over the
 * memory store here; {@link #overRedis_eachPageCountsItsRoundTripsAndCommands} over the shared
 * Redis (skipped by nothing: it fails when Redis does not answer, as the other Redis tests do).
 */
class CostPagesTest {
  private static final Pattern ROUND_TRIPS = Pattern.compile("id=\"round-trips\">(\\d+)<");
  private static final Pattern CALL =
      Pattern.compile(
          "<tr class=\"call\"><td>([a-z_]+)</td><td><code>([^<]*)</code></td><td>([a-z]+)</td>"
              + "<td>([0-9.]+) ms</td><td>(\\d*)");

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private ExampleApp app;
  private String cookie;

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
  }

  @Test
  void overMemory_eachPageShowsItsOwnStoreCalls_withNoRoundTrip() throws Exception {
    app = ExampleApp.start(0, ExampleApp.memoryManager(Optional.of(KeyRing.generate())));

    String first = get("/");
    assertThat(calls(first)).containsExactly("conditional_save ok");
    assertThat(roundTrips(first)).isZero();
    assertThat(first).contains("in this process, no round trip").contains("id=\"idle\">20 minutes");
    assertThat(blobBytes(first).get(0)).isPositive();

    String second = get("/");
    assertThat(calls(second)).containsExactly("load ok", "conditional_save ok");
    // The blob loaded is the one the first request wrote.
    assertThat(blobBytes(second).get(0)).isEqualTo(blobBytes(first).get(0));
  }

  @Test
  void metricsPage_drawsTheHistory_andListsTheMeters_withoutTouchingTheSession() throws Exception {
    app = ExampleApp.start(0, ExampleApp.memoryManager(Optional.of(KeyRing.generate())));
    get("/");
    get("/");
    Telemetry.shared().history().sample();

    String metrics = get("/metrics");

    assertThat(metrics).contains("<svg id=\"chart\"").contains("<rect class=\"calls\"");
    assertThat(metrics)
        .contains("sessionstate.store.operation.duration")
        .contains("db.operation.name=load")
        .contains("db.system.name=memory")
        .contains("sessionstate.sessions.created")
        .contains("sessionstate.memory.entries");
    // The metrics page reads no session: its own cost is nothing.
    assertThat(calls(metrics)).isEmpty();
    assertThat(metrics).contains("No store call");
    assertThat(metrics).doesNotContain(cookie.substring(cookie.indexOf('=') + 1));
  }

  @Test
  void overRedis_eachPageCountsItsRoundTripsAndCommands() throws Exception {
    String url =
        Optional.ofNullable(System.getenv("SESSIONSTATE_REDIS_URL"))
            .filter(u -> !u.isBlank())
            .orElse(ExampleApp.DEFAULT_REDIS_URL);
    SessionManager manager =
        ExampleApp.redisManager(url, "costs" + UUID.randomUUID(), KeyRing.generate());
    app = ExampleApp.start(0, manager);

    String first = get("/");
    assertThat(calls(first)).containsExactly("conditional_save ok");
    assertThat(roundTrips(first)).isEqualTo(1);
    String second = get("/");
    assertThat(calls(second)).containsExactly("load ok", "conditional_save ok");
    assertThat(roundTrips(second)).isEqualTo(2);
    assertThat(second).contains("MULTI, PTTL").contains("EVALSHA save script");
    get("/signout", "POST");
    String fresh = get("/");
    assertThat(calls(fresh)).containsExactly("conditional_save ok");
  }

  private String get(String path) throws Exception {
    return get(path, "GET");
  }

  private String get(String path, String method) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(app.uri().resolve(URI.create(path)))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    response
        .headers()
        .firstValue("Set-Cookie")
        .ifPresent(c -> cookie = c.contains("Max-Age=0") ? null : c.substring(0, c.indexOf(';')));
    assertThat(response.statusCode()).isIn(200, 303);
    return response.body();
  }

  private static List<String> calls(String page) {
    List<String> calls = new ArrayList<>();
    Matcher m = CALL.matcher(page);
    while (m.find()) {
      calls.add(m.group(1) + " " + m.group(3));
    }
    return calls;
  }

  private static List<Integer> blobBytes(String page) {
    List<Integer> sizes = new ArrayList<>();
    Matcher m = CALL.matcher(page);
    while (m.find()) {
      sizes.add(m.group(5).isEmpty() ? -1 : Integer.parseInt(m.group(5)));
    }
    return sizes;
  }

  private static int roundTrips(String page) {
    Matcher m = ROUND_TRIPS.matcher(page);
    assertThat(m.find()).as("the page shows its round trips").isTrue();
    return Integer.parseInt(m.group(1));
  }
}
