package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.Session;
import jakarta.servlet.Filter;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request sequences of ASP.NET Core's {@code SessionTests} about a session's life: its start,
 * its expiry, its refresh by requests that never read it, its end with the response, and a request
 * the client aborted, written from the behaviours they check, through real HTTP on Jetty 12 and
 * Tomcat 11. Where this library differs from ASP.NET Core on purpose, the test asserts this
 * library's behaviour and says why.
 */
class AspNetCoreSessionLifecycleTest extends AspNetCoreScenarios {

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
