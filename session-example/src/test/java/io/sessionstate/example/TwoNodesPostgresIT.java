package io.sessionstate.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's {@code --store postgresql} on two nodes sharing the local PostgreSQL ({@code
 * SESSIONSTATE_POSTGRES_URL} as a JDBC URL, default database {@code test} as {@code postgres}), in
 * a table of its own that it drops afterwards.
 */
class TwoNodesPostgresIT {
  private static final Pattern ITEM = Pattern.compile("class=\"item\">([^<]*)<");
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String table = "example_it_" + HexFormat.of().formatHex(randomBytes());
  private String jdbcUrl;
  private ExampleApp app;
  private String cookie;

  private static byte[] randomBytes() {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  @BeforeEach
  void start() {
    String configured = System.getenv("SESSIONSTATE_POSTGRES_URL");
    jdbcUrl =
        configured != null && configured.startsWith("jdbc:")
            ? configured
            : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      assertThat(c.isValid(2)).isTrue();
    } catch (SQLException e) {
      fail(
          "No PostgreSQL at "
              + jdbcUrl.replaceAll("password=[^&]*", "password=***")
              + ": start one (bash scripts/services) or set SESSIONSTATE_POSTGRES_URL",
          e);
    }
    KeyRing ring = KeyRing.generate();
    List<SessionManager> managers =
        List.of(
            ExampleApp.postgresManager(jdbcUrl, table, ring),
            ExampleApp.postgresManager(jdbcUrl, table, ring));
    app = ExampleApp.start(0, managers);
  }

  @AfterEach
  void stop() throws SQLException {
    if (app != null) {
      app.stop();
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      // The principal index's side table references the sessions table: it goes first.
      s.execute("DROP TABLE IF EXISTS public." + table + "_principals");
      s.execute("DROP TABLE IF EXISTS public." + table);
    }
  }

  @Test
  void cartAddedOnNodeA_isOnNodeB_andSignOutEndsItOnBoth() throws Exception {
    URI nodeA = app.uris().get(0);
    URI nodeB = app.uris().get(1);

    post(nodeA, "/cart/add", "item=apple");
    assertThat(items(get(nodeB))).containsExactly("apple");
    assertThat(rows()).isEqualTo(1);

    post(nodeB, "/signout", "");
    assertThat(items(get(nodeA))).isEmpty();
    assertThat(items(get(nodeB))).isEmpty();
  }

  private long rows() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM public." + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  private HttpResponse<String> get(URI node) throws Exception {
    return send(HttpRequest.newBuilder(node.resolve("/")).GET());
  }

  private HttpResponse<String> post(URI node, String path, String form) throws Exception {
    return send(
        HttpRequest.newBuilder(node.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    request.timeout(Duration.ofSeconds(10));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    response
        .headers()
        .firstValue("Set-Cookie")
        .ifPresent(h -> cookie = h.contains("Max-Age=0") ? null : h.split(";", 2)[0]);
    return response;
  }

  private static List<String> items(HttpResponse<String> page) {
    assertThat(page.statusCode()).isEqualTo(200);
    List<String> items = new ArrayList<>();
    Matcher m = ITEM.matcher(page.body());
    while (m.find()) {
      items.add(m.group(1));
    }
    return items;
  }
}
