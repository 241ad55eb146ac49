package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.Session;
import io.sessionstate.SessionManager;
import io.sessionstate.redis.RedisSessionStore;
import io.sessionstate.tck.CountingSessionStore;
import io.sessionstate.tck.LogCapture;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request sequences of ASP.NET Core's {@code SessionTests} that make the store fail, written
 * from the behaviours they check, through real HTTP on Jetty 12 and Tomcat 11. Where ASP.NET Core
 * wraps its cache in one that throws or stalls on demand, these tests fail a real Redis of their
 * own: killed, a read or write is refused at once; frozen with SIGSTOP, it stalls until a timeout.
 * No scenario needs an injected fault: a real server produces each one.
 *
 * <p>ASP.NET Core asserts its log lines; this library reports the same moments to its {@link
 * io.sessionstate.SessionListener}, which these tests read, and the warnings a failure logs are
 * checked for their level and for holding no cookie value.
 */
class AspNetCoreSessionFaultsIT {
  private final TestTime time = TestTime.at(Instant.now());
  private final EventLog events = new EventLog();
  private final ProbeServlet servlet = new ProbeServlet();
  private RedisProcess redis;
  private CountingSessionStore store;
  private SessionManager manager;
  private ServletContainer server;
  private Browser browser;

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisProcess.start();
  }

  private void start(ServletContainer.Kind kind) throws Exception {
    start(kind, Duration.ofSeconds(1), b -> b, f -> f);
  }

  private void start(
      ServletContainer.Kind kind,
      Duration operationTimeout,
      UnaryOperator<SessionManager.Builder> managerOptions,
      UnaryOperator<SessionFilter.Builder> filterOptions)
      throws Exception {
    store =
        CountingSessionStore.wrap(
            RedisSessionStore.builder()
                .uri(redis.uri())
                .operationTimeout(operationTimeout)
                .applicationName("aspnetcore-faults")
                .build());
    manager =
        managerOptions
            .apply(
                SessionManager.builder()
                    .store(store)
                    .keyRing(KeyRing.generate())
                    .clock(time)
                    .listener(events))
            .build();
    server = kind.start(filterOptions.apply(SessionFilter.builder(manager)).build(), null, servlet);
    browser = new Browser(server);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (server != null) {
        assertThat(server.containerSessionsCreated()).as("container sessions").isZero();
        server.close();
      }
      if (manager != null) {
        manager.close();
      }
    } finally {
      redis.close();
    }
  }

  private static Session session(HttpServletRequest request) {
    return (Session) request.getAttribute(SessionFilter.SESSION_ATTRIBUTE);
  }

  private HttpResponse<String> request(ProbeServlet.Probe probe) throws Exception {
    servlet.probe = probe;
    return browser.get("/");
  }

  /** A first request that stores a session while Redis is up, so the browser holds its cookie. */
  private String storeASession() throws Exception {
    String id =
        request(
                (req, res) -> {
                  session(req).setInt32("key", 1);
                  res.getWriter().print(session(req).id());
                })
            .body();
    assertThat(browser.cookie).isNotNull();
    assertThat(events.take()).containsExactly("created " + id, "committed " + id);
    return id;
  }

  private static String describe(Throwable e) {
    Throwable t =
        e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException
            ? e.getCause()
            : e;
    return t.getClass().getSimpleName();
  }

  // ---- the load fails

  /**
   * ASP.NET Core reads the cache even for a visitor without a cookie, and logs the failure. Here a
   * visitor without a cookie has nothing to load, so a store that is down costs nothing and nothing
   * fails; the next test is the same request with a cookie.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void storeDown_readWithoutACookie_costsNoRoundTripAndReportsNothing(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    redis.kill();

    HttpResponse<String> response =
        request(
            (req, res) -> {
              Session s = session(req);
              res.getWriter().print(s.tryGetValue("key").isPresent() + " " + s.keys());
            });

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("false []");
    assertThat(store.calls()).isZero();
    assertThat(events.take()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void storeDown_readWithACookie_isReportedAndTheSessionIsUnavailable(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    storeASession();
    redis.kill();

    HttpResponse<String> response;
    String log;
    try (LogCapture capture = LogCapture.systemErr()) {
      response =
          request(
              (req, res) -> {
                Session s = session(req);
                res.getWriter()
                    .print(
                        s.tryGetValue("key").isPresent() + " " + s.keys() + " " + s.isAvailable());
              });
      log = capture.text();
    }

    // A read-only request is served: it claims nothing that was not kept.
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("false [] false");
    assertThat(events.take()).containsExactly("failed load SessionStoreException");
    assertThat(log.lines().filter(l -> l.contains("WARN"))).hasSize(1);
    assertThat(log).contains("load failed").doesNotContain(browser.cookie);
  }

  /**
   * ASP.NET Core's {@code LoadAsync} throws; here its future fails, with the library's exception.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void storeDown_loadAsyncFailsWithSessionStoreException_andTheSessionIsUnavailable(
      ServletContainer.Kind kind) throws Exception {
    start(kind);
    storeASession();
    redis.kill();

    HttpResponse<String> response =
        request(
            (req, res) -> {
              Session s = session(req);
              String outcome;
              try {
                s.loadAsync().get(10, TimeUnit.SECONDS);
                outcome = "loaded";
              } catch (ExecutionException e) {
                outcome = describe(e);
              }
              res.getWriter().print(outcome + " " + s.isAvailable() + " " + s.keys());
            });

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("SessionStoreException false []");
    // The failed loadAsync, then the one synchronous try of the first access after it.
    assertThat(events.take())
        .containsExactly("failed load SessionStoreException", "failed load SessionStoreException");
  }

  /**
   * Redis frozen: {@code loadAsync} fails at the manager's I/O timeout (half a second, as in
   * ASP.NET Core's test), well before the store's own operation timeout.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void storeFrozen_loadAsyncTimesOutAtTheIoTimeout(ServletContainer.Kind kind) throws Exception {
    start(kind, Duration.ofSeconds(3), b -> b.ioTimeout(Duration.ofMillis(500)), f -> f);
    storeASession();
    redis.freeze();
    HttpResponse<String> response;
    try {
      response =
          request(
              (req, res) -> {
                String outcome;
                try {
                  session(req).loadAsync().get(10, TimeUnit.SECONDS);
                  outcome = "loaded";
                } catch (ExecutionException e) {
                  outcome = describe(e);
                }
                res.getWriter().print(outcome);
              });
    } finally {
      redis.thaw();
    }

    assertThat(response.statusCode()).isEqualTo(200);
    // The manager's timeout, not the store's: that one fails with SessionStoreException.
    assertThat(response.body()).isEqualTo("SessionTimeoutException");
    assertThat(events.take()).contains("failed load SessionTimeoutException");
  }

  /**
   * ASP.NET Core's {@code LoadAsync} takes a token, and a cancelled one ends the call silently.
   * Here the caller cancels its own future: the session's load goes on, the request reads the
   * session as usual, and nothing fails.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void loadAsyncCancelledByTheCaller_isSilentAndTheSessionStillLoads(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    storeASession();

    HttpResponse<String> response =
        request(
            (req, res) -> {
              Session s = session(req);
              CompletableFuture<Void> load = s.loadAsync();
              boolean cancelled = load.cancel(true);
              res.getWriter().print(cancelled + " " + s.getInt32("key").orElseThrow());
            });

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).endsWith(" 1");
    assertThat(events.take()).isEmpty();
    assertThat(store.loads()).isEqualTo(1);
  }

  // ---- the commit fails

  /**
   * ASP.NET Core logs the failed commit and answers 200, so the page claims a value that was not
   * kept. This filter's default answers 503 instead; {@code log-and-continue} is ASP.NET Core's
   * behaviour, in the next test.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void storeDown_commitOfANewValueFails_answers503AndSetsNoCookie(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    redis.kill();

    HttpResponse<String> response;
    String log;
    try (LogCapture capture = LogCapture.systemErr()) {
      response = request((req, res) -> session(req).setInt32("key", 0));
      log = capture.text();
    }

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo(RequestCycle.UNAVAILABLE_MESSAGE);
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(events.take()).containsExactly("failed commit SessionStoreException");
    assertThat(log.lines().filter(l -> l.contains("WARN"))).hasSize(1);
    assertThat(log).contains("Session commit failed");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void storeDown_commitOfANewValueFails_logAndContinue_answers200AsAspNetCoreDoes(
      ServletContainer.Kind kind) throws Exception {
    start(
        kind,
        Duration.ofSeconds(1),
        b -> b,
        f -> f.commitFailure(SessionFilter.CommitFailure.LOG_AND_CONTINUE));
    redis.kill();

    HttpResponse<String> response =
        request(
            (req, res) -> {
              session(req).setInt32("key", 0);
              res.getWriter().print("written");
            });

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("written");
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(events.take()).containsExactly("failed commit SessionStoreException");
  }

  /**
   * Redis frozen while a new value is committed: the commit on the request's thread waits at most
   * the store's operation timeout (half a second here; the manager's I/O timeout bounds the async
   * calls only) and the filter answers 503.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void storeFrozen_commitTimesOut_answers503(ServletContainer.Kind kind) throws Exception {
    start(kind, Duration.ofMillis(500), b -> b, f -> f);
    redis.freeze();
    HttpResponse<String> response;
    try {
      response = request((req, res) -> session(req).setInt32("key", 0));
    } finally {
      redis.thaw();
    }

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(events.take()).containsExactly("failed commit SessionStoreException");
  }

  /**
   * ASP.NET Core's {@code CommitAsync} with a cancelled token throws, and the commit at the end of
   * the request stores the session all the same. Here the caller cancels its own future, and the
   * end-of-request commit stores the value.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void commitAsyncCancelledByTheCaller_theEndOfRequestCommitStoresTheSession(
      ServletContainer.Kind kind) throws Exception {
    start(kind);

    HttpResponse<String> response =
        request(
            (req, res) -> {
              session(req).setInt32("key", 7);
              session(req).commitAsync().cancel(true);
              res.getWriter().print(session(req).id());
            });
    String read =
        request((req, res) -> res.getWriter().print(session(req).getInt32("key").orElseThrow()))
            .body();

    String id = response.body();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(read).isEqualTo("7");
    assertThat(events.take()).containsSubsequence("created " + id, "committed " + id);
    assertThat(events.take()).isEmpty();
  }

  // ---- the refresh fails

  /**
   * ASP.NET Core refreshes the entry at every request that did not change the session, and logs
   * when that fails. Here a request that never reads the session slides it with a touch that the
   * response does not wait for: with Redis down the page is served, and the failure reaches the
   * listener afterwards.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void storeDown_touchOfAnUntouchedSessionFails_thePageIsServedAndTheFailureReported(
      ServletContainer.Kind kind) throws Exception {
    start(kind);
    storeASession();
    // Past the touch interval since the session was stored, so this request owes a touch.
    time.advance(manager.touchInterval());
    redis.kill();

    HttpResponse<String> response = request((req, res) -> res.getWriter().print("page"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("page");
    // Each touch that failed is reported. A failed touch is tried again by the next such request,
    // so should the client repeat its GET there may be two.
    List<String> failures = events.await(1);
    assertThat(failures).isNotEmpty().allMatch("failed touch SessionStoreException"::equals);
    assertThat(store.touches()).isPositive();
    assertThat(store.saves()).as("nothing is written but the first session").isEqualTo(1);
  }
}
