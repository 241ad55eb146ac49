package io.sessionstate.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.SessionRequest;
import io.sessionstate.SessionResponse;
import io.sessionstate.memory.MemorySessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start, compiled and run. The code between the QUICK START markers must match
 * the README's Java block line for line; {@link #readme_quickStartBlock_isThisTestsCode()} checks
 * it, so the README cannot drift from code that works.
 */
class QuickStartTest {
  private final byte[] secret = new byte[32];
  private String cookieHeader;
  private final boolean isHttps = false;
  private final boolean responseStarted = false;
  private Map<String, String> responseHeaders = new LinkedHashMap<>();

  QuickStartTest() {
    new SecureRandom().nextBytes(secret);
  }

  @Test
  void quickStart_countsVisitsAcrossRequests() {
    // QUICK START BEGIN
    // Once per application. Every node gets the same secret, from your secret store.
    SessionManager manager =
        SessionManager.builder()
            .store(MemorySessionStore.builder().maximumBytes(64 << 20).build())
            .keyRing(KeyRing.builder().addKey("2026-11", secret).build())
            .idleTimeout(Duration.ofMinutes(20))
            .build();
    // QUICK START END

    int first = visit(manager);
    assertThat(responseHeaders.get("Set-Cookie")).startsWith("session=").contains("HttpOnly");
    cookieHeader = responseHeaders.get("Set-Cookie").split(";")[0];
    responseHeaders = new LinkedHashMap<>();
    int second = visit(manager);
    assertThat(first).isEqualTo(1);
    assertThat(second).isEqualTo(2);
    assertThat(responseHeaders).isEmpty(); // the cookie is sent once, when the session starts
    manager.close();
  }

  private int visit(SessionManager manager) {
    // QUICK START BEGIN
    // Per request: the Cookie header in, the session out.
    SessionRequest request = manager.begin(cookieHeader, isHttps, () -> responseStarted);
    Session session = request.session();
    int visits = session.getInt32("visits").orElse(0) + 1;
    session.setInt32("visits", visits);

    // Before the response starts: commit, then send the headers it asks for.
    SessionResponse response = request.finish();
    response.headers().forEach(responseHeaders::put); // Set-Cookie on the first visit
    // QUICK START END
    return visits;
  }

  @Test
  void readme_quickStartBlock_isThisTestsCode() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    Path readme = root.resolve("README.md");
    if (!Files.exists(readme)) {
      readme = root.getParent().resolve("README.md");
    }
    String readmeText = Files.readString(readme);
    int start = readmeText.indexOf("```java", readmeText.indexOf("## Quick start"));
    String block = readmeText.substring(start + 7, readmeText.indexOf("```", start + 7));
    Path source =
        root.resolve("src/test/java/io/sessionstate/example/QuickStartTest.java").normalize();
    if (!Files.exists(source)) {
      source =
          root.resolve("session-example/src/test/java/io/sessionstate/example/QuickStartTest.java");
    }
    List<String> sourceLines = Files.readAllLines(source);
    StringBuilder marked = new StringBuilder();
    boolean inside = false;
    for (String line : sourceLines) {
      if (line.strip().equals("// QUICK START BEGIN")) {
        inside = true;
        if (marked.length() > 0) {
          marked.append('\n');
        }
      } else if (line.strip().equals("// QUICK START END")) {
        inside = false;
      } else if (inside) {
        marked.append(line).append('\n');
      }
    }
    assertThat(normalize(block)).isEqualTo(normalize(marked.toString()));
  }

  /** Compares code by its lines with the indentation of the enclosing method removed. */
  private static String normalize(String code) {
    return code.lines().map(String::strip).collect(Collectors.joining("\n")).strip();
  }
}
