package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.CookieOptions;
import io.sessionstate.Session;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request sequences of ASP.NET Core's {@code SessionTests} about cookies and values, written
 * from the behaviours they check, through real HTTP on Jetty 12 and Tomcat 11. Where this library
 * differs from ASP.NET Core on purpose, the test asserts this library's behaviour and says why. The
 * session's life (start, expiry, refresh, end) is in {@link AspNetCoreSessionLifecycleTest}, the
 * scenarios with a failing store in {@code AspNetCoreSessionFaultsIT}.
 */
class AspNetCoreSessionScenariosTest extends AspNetCoreScenarios {

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
}
