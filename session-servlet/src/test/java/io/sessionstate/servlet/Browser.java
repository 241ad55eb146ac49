package io.sessionstate.servlet;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A browser over the JDK's HttpClient that carries the session cookie by hand: it keeps the value
 * of the last {@code Set-Cookie: session=…}, drops it on {@code Max-Age=0}, and sends it back as
 * {@code Cookie: session=…}. Every container cookie it is sent is kept too, so a test can see one.
 */
final class Browser {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final ServletContainer server;
  String cookie;
  final List<String> otherCookies = new java.util.ArrayList<>();

  Browser(ServletContainer server) {
    this.server = server;
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(path, b -> b);
  }

  /** Sends the request with the given Cookie header instead of the one this browser holds. */
  HttpResponse<String> getWithCookieHeader(String path, String cookieHeader) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(server.uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Cookie", cookieHeader)
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    keepCookies(response);
    return response;
  }

  HttpResponse<String> send(String path, UnaryOperator<HttpRequest.Builder> extra)
      throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
    if (cookie != null) {
      builder.header("Cookie", "session=" + cookie);
    }
    HttpResponse<String> response =
        HTTP.send(extra.apply(builder).build(), HttpResponse.BodyHandlers.ofString());
    keepCookies(response);
    return response;
  }

  private void keepCookies(HttpResponse<String> response) {
    for (String setCookie : response.headers().allValues("Set-Cookie")) {
      if (setCookie.startsWith("session=")) {
        int end = setCookie.indexOf(';');
        String value = setCookie.substring("session=".length(), end < 0 ? setCookie.length() : end);
        cookie = setCookie.contains("Max-Age=0") ? null : value;
      } else {
        otherCookies.add(setCookie);
      }
    }
  }

  /** The session key inside the cookie value ({@code <key>.<keyId>.<tag>}). */
  String cookieKey() {
    return cookie.substring(0, cookie.indexOf('.'));
  }

  /** A page of {@code name=value} lines, as a map. */
  Map<String, String> lines(String path) throws Exception {
    Map<String, String> map = new HashMap<>();
    for (String line : get(path).body().split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        map.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
    }
    return map;
  }
}
