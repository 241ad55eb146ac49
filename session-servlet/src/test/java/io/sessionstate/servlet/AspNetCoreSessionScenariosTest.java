package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.CookieOptions;
import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.tck.CountingSessionStore;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request sequences of ASP.NET Core's {@code SessionTests} (Microsoft.AspNetCore.Session) that
 * need no failing store, written from the behaviours they check, through real HTTP on Jetty 12 and
 * Tomcat 11 in front of the memory store. The handler uses the core {@link Session}, this library's
 * {@code ISession}, from the request attribute the filter sets. Time is a {@link TestTime} shared
 * by the manager and the store, so expiry needs no sleep. Where this library differs from ASP.NET
 * Core on purpose, the test asserts this library's behaviour and says why. The scenarios with a
 * failing store are in {@code AspNetCoreSessionFaultsIT}.
 *
 * <p>ASP.NET Core asserts its log lines; this library reports the same moments to its {@link
 * io.sessionstate.SessionListener}, which these tests read instead.
 */
class AspNetCoreSessionScenariosTest {
  private final TestTime time = TestTime.at(Instant.parse("2026-01-01T01:00:00Z"));
  private final CountingSessionStore store =
      CountingSessionStore.wrap(
          MemorySessionStore.builder().maximumBytes(16 << 20).ticker(time::nanos).build());
  private final EventLog events = new EventLog();
  private final ProbeServlet servlet = new ProbeServlet();
  private SessionManager manager;
  private ServletContainer server;
  private Browser browser;

  private void start(ServletContainer.Kind kind) throws Exception {
    start(kind, b -> b, f -> f, null);
  }

  private void start(
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
  private static Session session(HttpServletRequest request) {
    return (Session) request.getAttribute(SessionFilter.SESSION_ATTRIBUTE);
  }

  /** Runs {@code probe} as the next request of this browser, at {@code path}. */
  private HttpResponse<String> request(String path, ProbeServlet.Probe probe) throws Exception {
    servlet.probe = probe;
    return browser.get(path);
  }

  /** ASP.NET Core's handler of its counter tests: reads "Key", and writes what each path says. */
  private static ProbeServlet.Probe counter(Mode mode) {
    return (req, res) -> {
      Session s = session(req);
      Integer value = s.getInt32("Key").orElse(null);
      String path = req.getRequestURI();
      switch (path) {
        case "/first" -> {
          assertThat(value).isNull();
          value = 0;
          s.setInt32("Key", mode == Mode.COUNT ? value + 1 : 1);
        }
        case "/second" -> {
          if (mode == Mode.COUNT) {
            s.setInt32("Key", value + 1);
          } else {
            assertThat(value).isEqualTo(1);
            if (mode == Mode.REMOVE) {
              s.remove("Key");
            } else {
              s.clear();
            }
          }
        }
        case "/third" -> {
          assertThat(value).isNull();
          value = 2;
        }
        default -> s.setInt32("Key", value + 1);
      }
      res.getWriter().print(value);
    };
  }

  private enum Mode {
    COUNT,
    REMOVE,
    CLEAR
  }

  // ---- cookies

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void readingEmptySession_setsNoCookie(ServletContainer.Kind kind) throws Exception {
    start(kind);

    HttpResponse<String> response =
        request("/", (req, res) -> res.getWriter().print(session(req).getString("NotFound")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("Optional.empty");
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    // Without a cookie there is nothing to load: reading a new session costs no round trip.
    assertThat(store.calls()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void settingAValue_setsTheCookie(ServletContainer.Kind kind) throws Exception {
    start(kind);

    HttpResponse<String> response =
        request(
            "/",
            (req, res) -> {
              Session s = session(req);
              String before = s.getString("Key").orElse("none");
              s.setString("Key", "Value");
              res.getWriter().print(before + " " + s.getString("Key").orElseThrow());
            });

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("none Value");
    assertThat(response.headers().allValues("Set-Cookie"))
        .singleElement()
        .asString()
        .matches("session=[^;\\s]+; .*");
  }

  static Stream<Arguments> securePolicies() {
    List<Arguments> cases = new ArrayList<>();
    for (ServletContainer.Kind kind : ServletContainer.Kind.values()) {
      cases.add(Arguments.of(kind, CookieOptions.SecurePolicy.ALWAYS, false, true));
      cases.add(Arguments.of(kind, CookieOptions.SecurePolicy.ALWAYS, true, true));
      cases.add(Arguments.of(kind, CookieOptions.SecurePolicy.NEVER, false, false));
      cases.add(Arguments.of(kind, CookieOptions.SecurePolicy.NEVER, true, false));
      cases.add(Arguments.of(kind, CookieOptions.SecurePolicy.SAME_AS_REQUEST, false, false));
      cases.add(Arguments.of(kind, CookieOptions.SecurePolicy.SAME_AS_REQUEST, true, true));
    }
    return cases.stream();
  }

  /**
   * The request counts as HTTPS through {@code X-Forwarded-Proto} from a trusted proxy, as behind a
   * TLS-terminating load balancer; the filter reads {@code isSecure()} the same way for a TLS
   * connector.
   */
  @ParameterizedTest(name = "{0} {1} https={2}")
  @MethodSource("securePolicies")
  void cookieSecureAttribute_followsThePolicyAndTheRequestsScheme(
      ServletContainer.Kind kind, CookieOptions.SecurePolicy policy, boolean https, boolean secure)
      throws Exception {
    start(
        kind,
        b -> b.cookie(CookieOptions.builder().name("TestCookie").securePolicy(policy).build()),
        f -> f.trustForwardedProto(true),
        null);
    servlet.probe = (req, res) -> session(req).setString("Key", "Value");

    HttpResponse<String> response =
        browser.send("/testpath", b -> b.header("X-Forwarded-Proto", https ? "https" : "http"));

    assertThat(response.statusCode()).isEqualTo(200);
    String cookie = response.headers().allValues("Set-Cookie").get(0);
    assertThat(cookie).startsWith("TestCookie=");
    assertThat(cookie.contains("; Secure")).as(cookie).isEqualTo(secure);
  }

  // ---- values across requests

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void session_canBeReadOnTheNextRequest(ServletContainer.Kind kind) throws Exception {
    start(kind);
    servlet.probe = counter(Mode.COUNT);

    String first = browser.get("/first").body();
    // As ASP.NET Core's test does: a second client that carries the first one's cookie.
    Browser next = new Browser(server);
    next.cookie = browser.cookie;

    assertThat(first).isEqualTo("0");
    assertThat(List.of(next.get("/").body(), next.get("/").body(), next.get("/").body()))
        .containsExactly("1", "2", "3");
  }

  /**
   * ASP.NET Core keeps the emptied session; this library stores no empty session, so the request
   * that removes the last value deletes the entry. The cookie stays, as in ASP.NET Core: its key
   * names an empty session, and a later value is stored under it again.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void removedValue_cannotBeReadAgain(ServletContainer.Kind kind) throws Exception {
    emptiedValue_cannotBeReadAgain(kind, Mode.REMOVE);
  }

  /** As {@link #removedValue_cannotBeReadAgain}, with {@code clear()}. */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void clearedValues_cannotBeReadAgain(ServletContainer.Kind kind) throws Exception {
    emptiedValue_cannotBeReadAgain(kind, Mode.CLEAR);
  }

  private void emptiedValue_cannotBeReadAgain(ServletContainer.Kind kind, Mode mode)
      throws Exception {
    start(kind);
    servlet.probe = counter(mode);
    String first = browser.get("/first").body();
    Browser next = new Browser(server);
    next.cookie = browser.cookie;
    String cookie = browser.cookie;

    HttpResponse<String> second = next.get("/second");
    HttpResponse<String> third = next.get("/third");

    assertThat(first).isEqualTo("0");
    assertThat(second.body()).isEqualTo("1");
    assertThat(second.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(store.deletes()).as("the emptied entry is deleted").isEqualTo(1);
    assertThat(third.body()).isEqualTo("2");
    assertThat(next.cookie).isEqualTo(cookie);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sessionKeys_areCaseSensitive(ServletContainer.Kind kind) throws Exception {
    start(kind);
    ProbeServlet.Probe read =
        (req, res) ->
            res.getWriter()
                .print(
                    session(req).getString("KEY").orElseThrow()
                        + " "
                        + session(req).getString("key").orElseThrow());

    String same =
        request(
                "/",
                (req, res) -> {
                  session(req).setString("KEY", "VALUE");
                  session(req).setString("key", "value");
                  read.run(req, res);
                })
            .body();
    String next = request("/", read).body();

    assertThat(same).isEqualTo("VALUE value");
    assertThat(next).isEqualTo("VALUE value");
  }

  // ---- what the session reports

  /**
   * ASP.NET Core logs "started" and then "stored"; the listener hears "created" and "committed".
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sessionStart_isReportedAsCreatedThenCommitted(ServletContainer.Kind kind) throws Exception {
    start(kind);

    HttpResponse<String> response =
        request(
            "/",
            (req, res) -> {
              session(req).setString("Key", "Value");
              res.getWriter().print(session(req).id());
            });

    String id = response.body();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(events.take()).containsExactly("created " + id, "committed " + id);
  }

  /**
   * ASP.NET Core logs that the session expired. Here the store drops an idle entry on its own, and
   * a load that finds nothing cannot tell an expired session from one deleted elsewhere, so nothing
   * is reported (the README says so): the visitor reads an empty session under the same key, and
   * its next value starts a new session there, as ASP.NET Core's does, with no new cookie.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void expiredSession_readsEmptyAndItsNextValueStartsANewSessionUnderTheSameKey(
      ServletContainer.Kind kind) throws Exception {
    start(kind, b -> b.idleTimeout(Duration.ofMinutes(1)), f -> f, null);
    ProbeServlet.Probe probe =
        (req, res) -> {
          Session s = session(req);
          Integer value = s.getInt32("Key").orElse(null);
          if (req.getRequestURI().equals("/first")) {
            value = 1;
            s.setInt32("Key", 1);
          } else if (req.getRequestURI().equals("/second")) {
            value = value == null ? 2 : value;
          } else {
            s.setInt32("Key", 3);
            value = 3;
          }
          res.getWriter().print(value + " " + s.id());
        };
    servlet.probe = probe;
    String first = browser.get("/first").body();
    String cookie = browser.cookie;
    List<String> created = events.take();
    time.advance(Duration.ofMinutes(1).plusMillis(1));

    HttpResponse<String> second = browser.get("/second");
    List<String> afterExpiry = events.take();
    HttpResponse<String> third = browser.get("/third");

    String firstId = first.substring(2);
    String thirdId = third.body().substring(2);
    assertThat(created).containsExactly("created " + firstId, "committed " + firstId);
    assertThat(second.body()).startsWith("2 ");
    assertThat(second.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(afterExpiry).isEmpty();
    assertThat(third.body()).startsWith("3 ");
    assertThat(thirdId).isNotEqualTo(firstId);
    assertThat(third.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(browser.cookie).isEqualTo(cookie);
    assertThat(events.take()).containsExactly("created " + thirdId, "committed " + thirdId);
  }

  /**
   * Five requests ten minutes apart that never read the session keep a 20-minute session alive:
   * each slides its expiry with a touch, as ASP.NET Core's refresh does.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void untouchedSession_isRefreshedByRequestsThatNeverReadIt(ServletContainer.Kind kind)
      throws Exception {
    start(kind, b -> b.idleTimeout(Duration.ofMinutes(20)), f -> f, null);
    servlet.probe =
        (req, res) -> {
          String response =
              switch (req.getRequestURI()) {
                case "/AddDataToSession" -> {
                  session(req).setInt32("Key", 10);
                  yield "added data to session";
                }
                case "/AccessSessionData" ->
                    session(req)
                        .getInt32("Key")
                        .map(String::valueOf)
                        .orElse("No value found in session.");
                default -> "did not access session data";
              };
          res.getWriter().print(response);
        };
    browser.get("/AddDataToSession");

    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofMinutes(10));
      assertThat(browser.get("/DoNotAccessSessionData").body())
          .isEqualTo("did not access session data");
      awaitTouches(i + 1);
    }

    assertThat(browser.get("/AccessSessionData").body()).isEqualTo("10");
    assertThat(store.loads()).isEqualTo(1);
  }

  private void awaitTouches(int touches) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.touches() < touches && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    assertThat(store.touches()).as("touches").isEqualTo(touches);
  }

  // ---- the session leaves with the response

  /** An outer filter that records the session attribute it finds when the chain returns. */
  private static Filter recordingAfterChain(ConcurrentLinkedQueue<String> seen) {
    return (req, res, chain) -> {
      try {
        chain.doFilter(req, res);
        seen.add("returned");
      } catch (Exception e) {
        seen.add("threw " + rootMessage(e));
      }
      seen.add("attribute=" + req.getAttribute(SessionFilter.SESSION_ATTRIBUTE));
    };
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sessionAttribute_isGoneWhenTheResponseGoesOut(ServletContainer.Kind kind) throws Exception {
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    start(kind, b -> b, f -> f, recordingAfterChain(seen));

    HttpResponse<String> response =
        request("/", (req, res) -> session(req).setString("key", "value"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(seen).containsExactly("returned", "attribute=null");
    assertThat(browser.cookie).isNotNull();
  }

  /**
   * The outer filter swallows the exception, as ASP.NET Core's middleware does, so the response is
   * the container's default for a request nobody answered.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void sessionAttribute_isGoneWhenTheResponseGoesOut_afterAnUnhandledException(
      ServletContainer.Kind kind) throws Exception {
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    start(kind, b -> b, f -> f, recordingAfterChain(seen));

    request(
        "/",
        (req, res) -> {
          session(req).setString("key", "value");
          throw new IllegalStateException("An error occurred.");
        });

    assertThat(seen).containsExactly("threw An error occurred.", "attribute=null");
    // The chain ended in an exception, but the session's commit is the filter's last act all the
    // same: the value was kept.
    assertThat(store.saves()).isEqualTo(1);
  }

  // ---- an aborted request

  /**
   * ASP.NET Core's commit ignores the request's abort token. Here the client closes its connection
   * while the handler runs; the handler then changes the session, and the commit still stores it.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void requestAbortedByTheClient_stillCommitsTheSession(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request("/", (req, res) -> session(req).setInt32("key", 1));
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch clientGone = new CountDownLatch(1);
    int saves = store.saves();
    servlet.probe =
        (req, res) -> {
          inHandler.countDown();
          clientGone.await(10, TimeUnit.SECONDS);
          session(req).setInt32("key", 2);
          res.getWriter().print("too late");
        };

    try (Socket socket = new Socket("127.0.0.1", server.uri("/").getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /aborted HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: session="
                  + browser.cookie
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
    }
    clientGone.countDown();
    awaitSaves(saves + 1);

    String read =
        request(
                "/",
                (req, res) -> res.getWriter().print(session(req).getInt32("key").orElseThrow()))
            .body();
    assertThat(read).isEqualTo("2");
  }

  private void awaitSaves(int saves) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.saves() < saves && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    assertThat(store.saves()).as("saves").isEqualTo(saves);
  }
}
