package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.kryo.KryoValueCodec;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.tck.CountingSessionStore;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request sequences of Spring Session's {@code SessionRepositoryFilterTests} that apply to this
 * filter, written from the behaviours they check, through real HTTP on Jetty 12 and Tomcat 11. Each
 * test is named after its scenario; where this library's model differs (an empty session is never
 * stored, the idle timeout is the manager's), the test says so.
 */
class SpringSessionScenariosTest {
  /**
   * The manager's clock, which gives sessions their creation time: held a minute behind the wall
   * clock and moved by hand, so that no test sleeps to tell two moments apart.
   */
  private final TestTime time = TestTime.at(Instant.now().minus(Duration.ofMinutes(1)));

  private final CountingSessionStore store =
      CountingSessionStore.wrap(MemorySessionStore.builder().maximumBytes(16 << 20).build());
  private final SessionManager manager =
      SessionManager.builder()
          .store(store)
          .keyRing(KeyRing.generate())
          .clock(time)
          .valueCodec(KryoValueCodec.builder().register(Counting.class).build())
          .build();
  private final ProbeServlet servlet = new ProbeServlet();
  private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
  private ServletContainer server;
  private Browser browser;

  private void start(ServletContainer.Kind kind) throws Exception {
    start(kind, SessionFilter.builder(manager).build());
  }

  private void start(ServletContainer.Kind kind, SessionFilter filter) throws Exception {
    server = kind.start(filter, null, servlet);
    browser = new Browser(server);
  }

  /** Runs {@code probe} as the next request of this browser. */
  private HttpResponse<String> request(ProbeServlet.Probe probe) throws Exception {
    servlet.probe = probe;
    return browser.get("/");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      assertThat(server.containerSessionsCreated()).as("container sessions").isZero();
      server.close();
    }
    manager.close();
  }

  /** A binding listener that counts, by label, how often it is bound minus unbound. */
  record Counting(String label) implements HttpSessionBindingListener {
    static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();
    static final java.util.Set<String> THROW_ONCE = ConcurrentHashMap.newKeySet();

    Counting {
      COUNTS.putIfAbsent(label, new AtomicInteger());
    }

    int count() {
      return COUNTS.get(label).get();
    }

    void throwNextTime() {
      THROW_ONCE.add(label);
    }

    @Override
    public void valueBound(HttpSessionBindingEvent event) {
      if (THROW_ONCE.remove(label)) {
        throw new IllegalStateException("bind failed");
      }
      COUNTS.get(label).incrementAndGet();
    }

    @Override
    public void valueUnbound(HttpSessionBindingEvent event) {
      if (THROW_ONCE.remove(label)) {
        throw new IllegalStateException("unbind failed");
      }
      COUNTS.get(label).decrementAndGet();
    }
  }

  private static String label(String test, ServletContainer.Kind kind) {
    return test + "-" + kind;
  }

  // ---- creation time, last access, id, context, timeout

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void creationTime_isNowAndKeptByTheNextRequest(ServletContainer.Kind kind) throws Exception {
    start(kind);
    long now = time.millis();
    String first =
        request(
                (req, res) -> {
                  HttpSession s = req.getSession();
                  s.setAttribute("a", "1");
                  res.getWriter().print(s.getCreationTime());
                })
            .body();
    time.advance(Duration.ofMinutes(1));
    String second =
        request((req, res) -> res.getWriter().print(req.getSession().getCreationTime())).body();

    assertThat(Long.parseLong(first)).isEqualTo(now);
    assertThat(second).isEqualTo(first);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void lastAccessedTime_ofANewSession_isNow(ServletContainer.Kind kind) throws Exception {
    start(kind);
    long before = System.currentTimeMillis();
    String accessed =
        request((req, res) -> res.getWriter().print(req.getSession().getLastAccessedTime())).body();

    assertThat(Long.parseLong(accessed)).isBetween(before - 5, System.currentTimeMillis());
  }

  /**
   * The creation time is the manager's clock, held a minute back; the last access is the start of
   * the request by the wall clock (the store keeps no time of each access), so the two differ
   * without a sleep.
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void lastAccessedTime_ofALaterRequest_isAfterTheCreationTime(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request((req, res) -> req.getSession().setAttribute("a", "1"));
    String later =
        request(
                (req, res) -> {
                  HttpSession s = req.getSession();
                  res.getWriter().print(s.getLastAccessedTime() > s.getCreationTime());
                })
            .body();

    assertThat(later).isEqualTo("true");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void id_isStableWithinAndAcrossRequests(ServletContainer.Kind kind) throws Exception {
    start(kind);
    String first =
        request(
                (req, res) -> {
                  String id = req.getSession().getId();
                  req.getSession().setAttribute("a", "1");
                  res.getWriter().print(id + " " + req.getSession().getId());
                })
            .body();
    String next = request((req, res) -> res.getWriter().print(req.getSession().getId())).body();

    String id = first.substring(0, first.indexOf(' '));
    assertThat(first).isEqualTo(id + " " + id);
    assertThat(next).isEqualTo(id);
    assertThat(browser.cookie).doesNotContain(id);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void id_ofAnotherBrowser_isAnother(ServletContainer.Kind kind) throws Exception {
    start(kind);
    ProbeServlet.Probe create =
        (req, res) -> {
          req.getSession().setAttribute("a", "1");
          res.getWriter().print(req.getSession().getId());
        };
    String first = request(create).body();
    browser = new Browser(server);
    String second = request(create).body();

    assertThat(second).isNotEqualTo(first);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void servletContext_isTheRequestsContext(ServletContainer.Kind kind) throws Exception {
    start(kind);
    String same =
        request(
                (req, res) ->
                    res.getWriter()
                        .print(req.getSession().getServletContext() == req.getServletContext()))
            .body();

    assertThat(same).isEqualTo("true");
  }

  /** Spring Session's default is 30 minutes; here it is the manager's idle timeout, 20. */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void maxInactiveInterval_default_isTheManagersIdleTimeout(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    String interval =
        request((req, res) -> res.getWriter().print(req.getSession().getMaxInactiveInterval()))
            .body();

    assertThat(interval).isEqualTo("1200");
  }

  // ---- attributes

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void attribute_setThenReadOnLaterRequestsThenRemoved(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    ProbeServlet.Probe show =
        (req, res) ->
            res.getWriter()
                .print(
                    req.getSession().getAttribute("ATTR")
                        + " "
                        + Collections.list(req.getSession().getAttributeNames()));

    String set =
        request(
                (req, res) -> {
                  req.getSession().setAttribute("ATTR", "VALUE");
                  show.run(req, res);
                })
            .body();
    String read = request(show).body();
    String removed =
        request(
                (req, res) -> {
                  req.getSession().removeAttribute("ATTR");
                  res.getWriter().print(req.getSession().getAttribute("ATTR"));
                })
            .body();
    String after = request((req, res) -> res.getWriter().print(req.getSession(false))).body();

    assertThat(set).isEqualTo("VALUE [ATTR]");
    assertThat(read).isEqualTo("VALUE [ATTR]");
    assertThat(removed).isEqualTo("null");
    // Emptied, the session is deleted: this model stores no empty session.
    assertThat(after).isEqualTo("null");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void attributes_twoSetInOneRequest_areBothReadOnTheNext(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request(
        (req, res) -> {
          req.getSession().setAttribute("attr", "value");
          req.getSession().setAttribute("attr2", "value2");
        });
    String read =
        request(
                (req, res) ->
                    res.getWriter()
                        .print(
                            req.getSession().getAttribute("attr")
                                + " "
                                + req.getSession().getAttribute("attr2")))
            .body();

    assertThat(read).isEqualTo("value value2");
  }

  // ---- isNew and the cookie of a new session

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void isNew_trueForTheSessionThisRequestCreates(ServletContainer.Kind kind) throws Exception {
    start(kind);
    String isNew =
        request(
                (req, res) ->
                    res.getWriter()
                        .print(req.getSession().isNew() + " " + req.getSession().isNew()))
            .body();

    assertThat(isNew).isEqualTo("true true");
  }

  /** Spring Session stores an empty session; here the session needs a value to be stored. */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void isNew_falseOnTheNextRequest_andTheCookieIsNotSentAgain(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request((req, res) -> req.getSession().setAttribute("a", "1"));
    HttpResponse<String> next =
        request((req, res) -> res.getWriter().print(req.getSession().isNew()));

    assertThat(next.body()).isEqualTo("false");
    assertThat(next.headers().allValues("Set-Cookie")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void getSession_newSessionWithAValue_setsAnHttpOnlyBrowserSessionCookie(
      ServletContainer.Kind kind) throws Exception {
    start(kind);
    HttpResponse<String> response =
        request((req, res) -> req.getSession(true).setAttribute("a", "1"));

    assertThat(response.headers().allValues("Set-Cookie"))
        .singleElement()
        .asString()
        .startsWith("session=")
        .contains("; HttpOnly")
        .doesNotContain("Max-Age", "Expires", "Secure");
  }

  /** Spring Session sends a cookie for an empty new session; here an empty session is not kept. */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void getSession_newSessionWithoutValues_setsNoCookieAndCallsNoStore(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    HttpResponse<String> response = request((req, res) -> req.getSession().getId());

    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(store.calls()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void getSessionFalse_withoutACookie_isNullAndSetsNoCookie(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    HttpResponse<String> response =
        request((req, res) -> res.getWriter().print(req.getSession(false)));

    assertThat(response.body()).isEqualTo("null");
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void getSessionFalse_onTheRequestAfterOneThatStoredIt_returnsIt(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request((req, res) -> req.getSession().setAttribute("a", "1"));
    String next =
        request((req, res) -> res.getWriter().print(req.getSession(false) != null)).body();

    assertThat(next).isEqualTo("true");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void cookie_overHttps_isSecureAndHttpOnly(ServletContainer.Kind kind) throws Exception {
    start(kind, SessionFilter.builder(manager).trustForwardedProto(true).build());
    servlet.probe = (req, res) -> req.getSession().setAttribute("a", "1");
    HttpResponse<String> response = browser.send("/", b -> b.header("X-Forwarded-Proto", "https"));

    assertThat(response.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("; Secure", "; HttpOnly");
  }

  // ---- requested session id

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void isRequestedSessionIdValid_trueForTheCookieOfAStoredSession(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request((req, res) -> req.getSession().setAttribute("a", "1"));
    String valid =
        request((req, res) -> res.getWriter().print(req.isRequestedSessionIdValid())).body();

    assertThat(valid).isEqualTo("true");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void isRequestedSessionIdValid_falseForAnInvalidCookie(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    browser.cookie = "invalid";
    String valid =
        request((req, res) -> res.getWriter().print(req.isRequestedSessionIdValid())).body();

    assertThat(valid).isEqualTo("false");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void isRequestedSessionIdValid_falseWithoutACookie(ServletContainer.Kind kind) throws Exception {
    start(kind);
    String valid =
        request((req, res) -> res.getWriter().print(req.isRequestedSessionIdValid())).body();

    assertThat(valid).isEqualTo("false");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void getSession_withAnInvalidCookie_startsANewSession(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    browser.cookie = "INVALID";
    HttpResponse<String> response =
        request(
            (req, res) -> {
              HttpSession s = req.getSession(true);
              s.setAttribute("a", "1");
              res.getWriter().print(s.isNew());
            });

    assertThat(response.body()).isEqualTo("true");
    assertThat(browser.cookie).isNotNull().isNotEqualTo("INVALID");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void getSessionFalse_withAnInvalidCookie_isNullAndSetsNoCookie(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    browser.cookie = "INVALID";
    HttpResponse<String> response =
        request((req, res) -> res.getWriter().print(req.getSession(false)));

    assertThat(response.body()).isEqualTo("null");
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
  }

  // ---- changing the id

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void changeSessionId_givesANewIdKeepsAttributesAndRemovesTheOldSession(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request((req, res) -> req.getSession().setAttribute("ATTRIBUTE", "VALUE"));
    String oldCookie = browser.cookie;
    String ids =
        request(
                (req, res) -> {
                  HttpSession original = req.getSession();
                  String before = original.getId();
                  String changed = req.changeSessionId();
                  res.getWriter().print(before + " " + changed + " " + original.getId());
                })
            .body();
    String migrated =
        request((req, res) -> res.getWriter().print(req.getSession().getAttribute("ATTRIBUTE")))
            .body();
    Browser old = new Browser(server);
    old.cookie = oldCookie;
    servlet.probe = (req, res) -> res.getWriter().print(req.getSession(false));
    String oldSession = old.get("/").body();

    String[] parts = ids.split(" ");
    assertThat(parts[1]).isNotEqualTo(parts[0]);
    assertThat(parts[2]).isEqualTo(parts[1]); // the HttpSession the application holds follows
    assertThat(browser.cookie).isNotEqualTo(oldCookie);
    assertThat(migrated).isEqualTo("VALUE");
    assertThat(oldSession).isEqualTo("null");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void changeSessionId_withoutASession_throwsIllegalState(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    String outcome =
        request(
                (req, res) -> {
                  try {
                    req.changeSessionId();
                    res.getWriter().print("changed");
                  } catch (IllegalStateException e) {
                    res.getWriter().print("ISE: " + e.getMessage());
                  }
                })
            .body();

    assertThat(outcome)
        .isEqualTo("ISE: changeSessionId() needs a session, and this request has none");
  }

  // ---- an error dispatch

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void getSessionFalse_onTheErrorDispatchOfTheSameRequest_returnsTheSameSession(
      ServletContainer.Kind kind) throws Exception {
    start(kind);
    servlet.errorProbe =
        (req, res) -> {
          HttpSession s = req.getSession(false);
          res.getWriter().print(s == null ? "none" : s.getAttribute("a"));
        };
    HttpResponse<String> response =
        request(
            (req, res) -> {
              req.getSession().setAttribute("a", "b");
              res.sendError(500);
            });

    assertThat(response.body()).isEqualTo("b");
    assertThat(store.saves()).isEqualTo(1); // one session, stored once
  }

  // ---- invalidation

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServletContainer.Kind.class)
  void invalidatedSession_refusesEveryCallButIdContextAndTimeout(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    String outcomes =
        request(
                (req, res) -> {
                  StringBuilder out = new StringBuilder();
                  HttpSession s = req.getSession();
                  s.invalidate();
                  Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
                  calls.put("invalidate", s::invalidate);
                  calls.put("getCreationTime", s::getCreationTime);
                  calls.put("getLastAccessedTime", s::getLastAccessedTime);
                  calls.put("getAttribute", () -> s.getAttribute("attr"));
                  calls.put("getAttributeNames", s::getAttributeNames);
                  calls.put("setAttribute", () -> s.setAttribute("a", "b"));
                  calls.put("removeAttribute", () -> s.removeAttribute("name"));
                  calls.put("isNew", s::isNew);
                  calls.put("getId", s::getId);
                  calls.put("getServletContext", s::getServletContext);
                  calls.put("getMaxInactiveInterval", s::getMaxInactiveInterval);
                  calls.forEach(
                      (name, call) -> {
                        try {
                          call.run();
                          out.append(name).append("=ok ");
                        } catch (IllegalStateException e) {
                          out.append(name).append("=ISE ");
                        }
                      });
                  res.getWriter().print(out.toString().strip());
                })
            .body();

    assertThat(outcomes)
        .isEqualTo(
            "invalidate=ISE getCreationTime=ISE getLastAccessedTime=ISE getAttribute=ISE"
                + " getAttributeNames=ISE setAttribute=ISE removeAttribute=ISE isNew=ISE"
                + " getId=ok getServletContext=ok getMaxInactiveInterval=ok");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void invalidateThenGetSession_theNewSessionHoldsOnlyLaterAttributes(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request(
        (req, res) -> {
          req.getSession().setAttribute("attr", "value");
          req.getSession().invalidate();
          req.getSession().setAttribute("attr2", "value2");
        });
    String next =
        request(
                (req, res) ->
                    res.getWriter()
                        .print(
                            req.getSession().getAttribute("attr")
                                + " "
                                + req.getSession().getAttribute("attr2")))
            .body();

    assertThat(browser.cookie).isNotNull();
    assertThat(next).isEqualTo("null value2");
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void invalidateThenGetSession_loadsOnceDeletesOnceSavesOnce(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request((req, res) -> req.getSession().setAttribute("a", "1"));
    int loads = store.loads();
    int saves = store.saves();

    request(
        (req, res) -> {
          req.getSession().invalidate();
          req.getSession().setAttribute("b", "2");
        });

    assertThat(store.loads() - loads).isEqualTo(1);
    assertThat(store.deletes()).isEqualTo(1);
    assertThat(store.saves() - saves).isEqualTo(1);
  }

  // ---- the response commits the session first

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServletContainer.Kind.class)
  void eachWayTheResponseCommits_savesTheSessionFirst(ServletContainer.Kind kind) throws Exception {
    start(kind);
    Map<String, ProbeServlet.Probe> ways = new java.util.LinkedHashMap<>();
    ways.put(
        "sendError", (req, res) -> res.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR));
    ways.put("sendErrorAndMessage", (req, res) -> res.sendError(500, "Error"));
    ways.put("sendRedirect", (req, res) -> res.sendRedirect("/"));
    ways.put("flushBuffer", (req, res) -> res.flushBuffer());
    ways.put("outputFlush", (req, res) -> res.getOutputStream().flush());
    ways.put("outputClose", (req, res) -> res.getOutputStream().close());
    ways.put("writerFlush", (req, res) -> res.getWriter().flush());
    ways.put("writerClose", (req, res) -> res.getWriter().close());
    servlet.errorProbe = (req, res) -> {};
    int requests = 0;
    for (Map.Entry<String, ProbeServlet.Probe> way : ways.entrySet()) {
      browser = new Browser(server);
      int before = store.saves();
      request(
          (req, res) -> {
            req.getSession().setAttribute("a", way.getKey());
            way.getValue().run(req, res);
            seen.add(way.getKey() + " saved=" + (store.saves() - before));
          });
      // A response that closes its stream reaches the client before the servlet's own last line
      // runs, so wait for that line before the next request.
      awaitSize(seen, ++requests);
    }

    assertThat(List.copyOf(seen))
        .containsExactly(
            "sendError saved=1",
            "sendErrorAndMessage saved=1",
            "sendRedirect saved=1",
            "flushBuffer saved=1",
            "outputFlush saved=1",
            "outputClose saved=1",
            "writerFlush saved=1",
            "writerClose saved=1");
  }

  private static void awaitSize(java.util.Collection<?> collection, int size) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (collection.size() < size && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  // ---- laziness

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void requestThatNeverAsksForTheSession_touchesNoStore(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request((req, res) -> res.getWriter().print("hello"));

    assertThat(store.calls()).isZero();
  }

  /**
   * With a valid cookie and no session access, the session is neither loaded nor saved (a throttled
   * touch may slide its expiry off the response's path, as the idle-timeout rule allows).
   */
  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void requestWithACookieThatNeverAsksForTheSession_loadsAndSavesNothing(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    request((req, res) -> req.getSession().setAttribute("a", "1"));
    int loads = store.loads();
    int saves = store.saves();

    request((req, res) -> res.getWriter().print("hello"));

    assertThat(store.loads()).isEqualTo(loads);
    assertThat(store.saves()).isEqualTo(saves);
    assertThat(store.deletes()).isZero();
  }

  // ---- binding listeners

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void bindingListener_setIsBound(ServletContainer.Kind kind) throws Exception {
    start(kind);
    Counting listener = new Counting(label("bind", kind));
    request((req, res) -> req.getSession().setAttribute("bindingListener", listener));

    assertThat(listener.count()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void bindingListener_setThenRemoved_isUnbound(ServletContainer.Kind kind) throws Exception {
    start(kind);
    Counting listener = new Counting(label("bindThenUnbind", kind));
    request(
        (req, res) -> {
          req.getSession().setAttribute("bindingListener", listener);
          req.getSession().removeAttribute("bindingListener");
        });

    assertThat(listener.count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void bindingListener_sameObjectSetTwice_isBoundOnce(ServletContainer.Kind kind) throws Exception {
    start(kind);
    Counting listener = new Counting(label("twice", kind));
    request(
        (req, res) -> {
          req.getSession().setAttribute("bindingListener", listener);
          req.getSession().setAttribute("bindingListener", listener);
        });

    assertThat(listener.count()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void bindingListener_overwritten_unbindsTheFirstAndBindsTheSecond(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    Counting first = new Counting(label("overwrite1", kind));
    Counting second = new Counting(label("overwrite2", kind));
    request(
        (req, res) -> {
          req.getSession().setAttribute("bindingListener", first);
          req.getSession().setAttribute("bindingListener", second);
        });

    assertThat(first.count()).isZero();
    assertThat(second.count()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void bindingListener_throwingOnBind_isLoggedAndTheRequestGoesOn(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    Counting listener = new Counting(label("bindThrows", kind));
    listener.throwNextTime();
    HttpResponse<String> response =
        request(
            (req, res) -> {
              req.getSession().setAttribute("bindingListener", listener);
              res.getWriter().print("served");
            });

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("served");
    assertThat(listener.count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void bindingListener_throwingOnUnbind_isLoggedAndTheRequestGoesOn(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    Counting listener = new Counting(label("unbindThrows", kind));
    HttpResponse<String> response =
        request(
            (req, res) -> {
              req.getSession().setAttribute("bindingListener", listener);
              listener.throwNextTime();
              req.getSession().removeAttribute("bindingListener");
              res.getWriter().print("served");
            });

    assertThat(response.body()).isEqualTo("served");
    assertThat(listener.count()).isEqualTo(1);
  }
}
