package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.tck.CountingSessionStore;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * What the ports of ASP.NET Core's {@code SessionTests} (Microsoft.AspNetCore.Session) share: the
 * filter on Jetty 12 or Tomcat 11 in front of the memory store, a browser that carries the cookie
 * by hand, and a {@link TestTime} shared by the manager and the store, so expiry needs no sleep.
 * The handlers use the core {@link Session}, this library's {@code ISession}, from the request
 * attribute the filter sets. ASP.NET Core asserts its log lines; this library reports the same
 * moments to its {@link io.sessionstate.SessionListener}, which the tests read instead.
 */
abstract class AspNetCoreScenarios {
  final TestTime time = TestTime.at(Instant.parse("2026-01-01T01:00:00Z"));
  final CountingSessionStore store =
      CountingSessionStore.wrap(
          MemorySessionStore.builder().maximumBytes(16 << 20).ticker(time::nanos).build());
  final EventLog events = new EventLog();
  final ProbeServlet servlet = new ProbeServlet();
  SessionManager manager;
  ServletContainer server;
  Browser browser;

  void start(ServletContainer.Kind kind) throws Exception {
    start(kind, b -> b, f -> f, null);
  }

  void start(
      ServletContainer.Kind kind,
      UnaryOperator<SessionManager.Builder> managerOptions,
      UnaryOperator<SessionFilter.Builder> filterOptions,
      Filter outer)
      throws Exception {
    manager =
        managerOptions
            .apply(
                SessionManager.builder()
                    .store(store)
                    .keyRing(KeyRing.generate())
                    .clock(time)
                    .listener(events))
            .build();
    server =
        kind.start(filterOptions.apply(SessionFilter.builder(manager)).build(), outer, servlet);
    browser = new Browser(server);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      assertThat(server.containerSessionsCreated()).as("container sessions").isZero();
      server.close();
    }
    if (manager != null) {
      manager.close();
    }
  }

  /** The request's core session, as the filter hands it to the application. */
  static Session session(HttpServletRequest request) {
    return (Session) request.getAttribute(SessionFilter.SESSION_ATTRIBUTE);
  }

  /** Runs {@code probe} as the next request of this browser, at {@code path}. */
  HttpResponse<String> request(String path, ProbeServlet.Probe probe) throws Exception {
    servlet.probe = probe;
    return browser.get(path);
  }
}
