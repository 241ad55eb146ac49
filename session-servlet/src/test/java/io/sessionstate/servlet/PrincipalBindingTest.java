package io.sessionstate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.KeyRing;
import io.sessionstate.SessionManager;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.tck.CountingSessionStore;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The filter binds the session to the authenticated user, on Jetty and Tomcat over real HTTP: an
 * authentication filter ahead of it (as a container's or a proxy's would) sets the user, and the
 * manager's principal index then lists and ends that user's sessions.
 */
class PrincipalBindingTest {
  private SessionManager manager;
  private CountingSessionStore store;
  private ServletContainer server;

  private ServletContainer start(ServletContainer.Kind kind) throws Exception {
    store = CountingSessionStore.wrap(MemorySessionStore.builder().build());
    manager = SessionManager.builder().store(store).keyRing(KeyRing.generate()).build();
    server =
        kind.start(SessionFilter.builder(manager).build(), new HeaderAuthentication(), new Pages());
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (manager != null) {
      manager.close();
    }
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void authenticatedUser_boundAtCommit_listedAndSignedOutEverywhere(ServletContainer.Kind kind)
      throws Exception {
    start(kind);
    Browser laptop = new Browser(server);
    Browser phone = new Browser(server);
    laptop.send("/cart?item=tea", b -> b.header("X-User", "ada"));
    phone.send("/cart?item=milk", b -> b.header("X-User", "ada"));

    assertThat(manager.principalSessions().list("ada")).hasSize(2);

    assertThat(manager.principalSessions().endAll("ada")).isEqualTo(2);
    assertThat(laptop.get("/cart").body()).isEqualTo("cart=null");
    assertThat(phone.get("/cart").body()).isEqualTo("cart=null");
    assertThat(server.containerSessionsCreated()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ServletContainer.Kind.class)
  void requestsThatDoNotSignIn_makeNoIndexCall_andNoSessionIsMadeForAnAuthenticatedPage(
      ServletContainer.Kind kind) throws Exception {
    start(kind);
    Browser browser = new Browser(server);
    browser.send("/cart?item=tea", b -> b.header("X-User", "ada"));
    store.reset();

    browser.send("/cart?item=jam", b -> b.header("X-User", "ada"));
    browser.send("/page", b -> b.header("X-User", "ada"));
    Browser api = new Browser(server);
    api.send("/page", b -> b.header("X-User", "ada"));

    assertThat(store.indexCalls()).isZero();
    assertThat(api.cookie).isNull();
    assertThat(manager.principalSessions().list("ada")).hasSize(1);
  }

  /** Authenticates whoever sends {@code X-User}, as a trusted proxy's header would. */
  static final class HeaderAuthentication implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest http = (HttpServletRequest) request;
      String user = http.getHeader("X-User");
      chain.doFilter(
          user == null
              ? request
              : new HttpServletRequestWrapper(http) {
                @Override
                public Principal getUserPrincipal() {
                  return () -> user;
                }

                @Override
                public String getRemoteUser() {
                  return user;
                }
              },
          response);
    }
  }

  /** {@code /cart?item=}: adds to the session's cart and shows it; {@code /page}: no session. */
  static final class Pages extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (req.getRequestURI().startsWith("/cart")) {
        String item = req.getParameter("item");
        HttpSession session = req.getSession(item != null);
        if (item != null) {
          session.setAttribute("cart", item);
        }
        resp.getWriter().print("cart=" + (session == null ? null : session.getAttribute("cart")));
      } else {
        resp.getWriter().print("hello");
      }
    }
  }
}
