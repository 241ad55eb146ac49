package io.sessionstate.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A headless Chromium with a fresh profile of its own, driven over the Chrome DevTools Protocol
 * through the JDK's WebSocket client: one page, scripts evaluated in it, cookies as the browser
 * holds them, and screenshots. The Spring sample's browser test uses it too, through this module's
 * test-jar.
 */
public final class Chromium implements AutoCloseable {
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/chromium");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ObjectMapper json = new ObjectMapper();
  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final String pageSession;

  /** The browser binary: {@code SESSIONSTATE_CHROMIUM} if set, else {@code /usr/bin/chromium}. */
  public static Path binary() {
    String configured = System.getenv("SESSIONSTATE_CHROMIUM");
    return configured == null || configured.isBlank() ? DEFAULT_BINARY : Path.of(configured);
  }

  public Chromium(Path binary, Path profile) throws Exception {
    this.profile = profile;
    Files.createDirectories(profile);
    List<String> command =
        List.of(
            binary.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile,
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "--window-size=1000,900",
            "about:blank");
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
            .start();
    URI endpoint = devToolsEndpoint();
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(TIMEOUT)
            .buildAsync(endpoint, new Listener())
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    String target =
        send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
    pageSession =
        send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
            .get("sessionId")
            .asText();
    send(pageSession, "Page.enable", Map.of());
    send(pageSession, "Network.enable", Map.of());
  }

  /** Chromium writes its port and browser path into the profile once it listens. */
  private URI devToolsEndpoint() throws Exception {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Chromium exited with " + process.exitValue() + " before it listened; see its log");
      }
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() >= 2) {
          return URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("Chromium did not open its DevTools port within " + TIMEOUT);
  }

  private JsonNode send(String session, String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    ObjectNode message = json.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", json.valueToTree(params));
    if (session != null) {
      message.put("sessionId", session);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(message.toString(), true).join();
    JsonNode answer;
    try {
      answer = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("DevTools call " + method + " failed", e);
    }
    if (answer.has("error")) {
      throw new IllegalStateException("DevTools call " + method + ": " + answer.get("error"));
    }
    return answer.get("result");
  }

  /** Evaluates a script in the page and returns its value (strings, numbers, booleans). */
  public JsonNode eval(String expression) {
    JsonNode result =
        send(
            pageSession,
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Opens {@code url} and waits until the page has loaded. */
  public void open(URI url) {
    send(pageSession, "Page.navigate", Map.of("url", url.toString()));
    waitFor(
        "page " + url,
        () ->
            eval("document.readyState === 'complete' && location.href === '" + url + "'")
                .asBoolean());
  }

  /** Polls until the script yields true. */
  public void waitUntil(String what, String expression) {
    waitFor(what, () -> eval(expression).asBoolean());
  }

  private static void waitFor(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (IllegalStateException e) {
        // the page is between two documents; try again
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
    throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
  }

  /** The cookies the browser would send to {@code url}, as it holds them. */
  public List<JsonNode> cookies(URI url) {
    JsonNode result =
        send(pageSession, "Network.getCookies", Map.of("urls", List.of(url.toString())));
    List<JsonNode> cookies = new ArrayList<>();
    result.get("cookies").forEach(cookies::add);
    return cookies;
  }

  public void screenshot(Path file) throws IOException {
    JsonNode result = send(pageSession, "Page.captureScreenshot", Map.of("format", "png"));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(result.get("data").asText()));
  }

  @Override
  public void close() throws IOException {
    try {
      send(null, "Browser.close", Map.of());
    } catch (RuntimeException e) {
      // it is being killed below anyway
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(Chromium::deleteQuietly);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a profile file left in target/ harms nothing
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          JsonNode message = json.readTree(text);
          if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
            if (reply != null) {
              reply.complete(message);
            }
          }
        } catch (IOException e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}
