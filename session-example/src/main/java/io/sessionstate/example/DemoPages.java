package io.sessionstate.example;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sessionstate.Session;
import io.sessionstate.servlet.SessionFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The demo's pages: a visit counter, a cart, sign-in and sign-out, and a message shown once, all
 * kept in the session. Each action is a POST answered with a redirect to {@code /}.
 *
 * <p>It is plain Servlet code: {@link HttpSession} for the counter, the user and the cart (an
 * object stored through the manager's Kryo codec), {@code changeSessionId()} at sign-in and {@code
 * invalidate()} at sign-out. Only the flash message reaches for the core {@link Session}, through
 * the request attribute the filter sets, for its read-once {@code tempData()}. Thread-safe: it
 * holds no state of its own.
 */
final class DemoPages extends HttpServlet {
  private static final long serialVersionUID = 1L;

  static final int MAX_TEXT_LENGTH = 100;
  // Where the home page's cost panel goes once the page's own commit has run.
  private static final String COST_PLACEHOLDER = "<!-- cost -->";
  private static final int MAX_FORM_BYTES = 4096;

  // Session keys.
  private static final String VISITS = "visits";
  private static final String USER = "user";
  private static final String CART = "cart";
  private static final String FLASH = "flash";

  private final String storeName;
  private final String nodeName;
  private final Duration idleTimeout;
  private final transient Telemetry telemetry;

  DemoPages(String storeName, String nodeName, Duration idleTimeout, Telemetry telemetry) {
    this.storeName = storeName;
    this.nodeName = nodeName;
    this.idleTimeout = idleTimeout;
    this.telemetry = telemetry;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI();
    String method = request.getMethod();
    RequestCosts.Cost cost = telemetry.costs().begin();
    try {
      route(path, method, cost, request).send(request, response);
    } finally {
      telemetry.costs().end();
    }
  }

  private Reply route(
      String path, String method, RequestCosts.Cost cost, HttpServletRequest request)
      throws IOException {
    return switch (path) {
      case "/" -> method.equals("GET") ? home(request, cost) : Reply.methodNotAllowed("GET");
      case "/metrics" ->
          method.equals("GET")
              ? Reply.page(
                  200,
                  layout(
                      "sessionstate metrics",
                      "<p><a href=\"/\">Back</a></p>\n"
                          + telemetry.history().html()
                          + Telemetry.costPanel(cost.calls(), idleTimeout, false)))
              : Reply.methodNotAllowed("GET");
      case "/cart/add", "/cart/remove", "/cart/clear", "/signin", "/signout" ->
          method.equals("POST") ? action(path, request) : Reply.methodNotAllowed("POST");
      default -> Reply.page(404, messagePage("Not found", "There is no such page."));
    };
  }

  private static Session core(HttpServletRequest request) {
    return (Session) request.getAttribute(SessionFilter.SESSION_ATTRIBUTE);
  }

  private Reply home(HttpServletRequest request, RequestCosts.Cost cost) {
    HttpSession session = request.getSession();
    Integer seen = (Integer) session.getAttribute(VISITS);
    int visits = (seen == null ? 0 : seen) + 1;
    session.setAttribute(VISITS, visits);
    // Read, so it is gone after this request's commit: the message shows exactly once.
    Optional<String> flash = core(request).tempData().getString(FLASH);
    // Committed here, before the page is built, so that the page can show what the commit cost;
    // the filter's own commit at the first byte then finds nothing left to write. A failure is
    // left to that commit, which answers it as the filter is configured to.
    try {
      core(request).commitAsync().join();
    } catch (CompletionException e) {
      // the filter's commit reports it
    }
    return Reply.page(
        200,
        homePage(request, session, visits, flash)
            .replace(
                COST_PLACEHOLDER,
                Telemetry.costPanel(
                    cost.calls(), sessionIdle(request), core(request).isAvailable())));
  }

  private Duration sessionIdle(HttpServletRequest request) {
    Session s = core(request);
    return s.isAvailable() ? s.idleTimeout() : idleTimeout;
  }

  private static Reply action(String path, HttpServletRequest request) throws IOException {
    HttpSession session = request.getSession();
    try {
      Map<String, String> form = readForm(request);
      switch (path) {
        case "/cart/add" -> {
          String item = text(form, "item");
          Cart cart = cart(session);
          if (cart.items().size() >= Cart.MAX_ITEMS) {
            throw new BadRequest(
                "Your cart is full: it holds at most " + Cart.MAX_ITEMS + " items.");
          }
          saveCart(session, cart.with(item));
          flash(request, "Added " + item);
        }
        case "/cart/remove" -> {
          Cart cart = cart(session);
          int index = index(form, cart.items().size());
          saveCart(session, cart.without(index));
          flash(request, "Removed " + cart.items().get(index));
        }
        case "/cart/clear" -> {
          session.removeAttribute(CART);
          flash(request, "Emptied the cart");
        }
        case "/signin" -> {
          String name = text(form, "name");
          // A new key at the moment privileges change: a key planted in the browser before sign-in
          // (session fixation) is worthless afterwards. The contents, cart included, move along.
          request.changeSessionId();
          session.setAttribute(USER, name);
          // Listed among the user's sessions from this request's commit on: see /sessions.
          core(request).bindPrincipal(name);
          flash(request, "Signed in as " + name);
        }
        case "/signout" -> session.invalidate();
        default -> throw new IllegalArgumentException("not an action: " + path);
      }
    } catch (BadRequest e) {
      return Reply.page(400, messagePage("Bad request", e.reason()));
    }
    return Reply.seeOther("/");
  }

  private static Cart cart(HttpSession session) {
    Cart cart = (Cart) session.getAttribute(CART);
    return cart == null ? Cart.empty() : cart;
  }

  private static void saveCart(HttpSession session, Cart cart) {
    if (cart.items().isEmpty()) {
      session.removeAttribute(CART);
    } else {
      session.setAttribute(CART, cart); // encoded by the manager's Kryo codec
    }
  }

  private static void flash(HttpServletRequest request, String message) {
    core(request).tempData().putString(FLASH, message);
  }

  // ---- forms

  static Map<String, String> readForm(HttpServletRequest request) throws IOException, BadRequest {
    byte[] body = request.getInputStream().readNBytes(MAX_FORM_BYTES + 1);
    if (body.length > MAX_FORM_BYTES) {
      throw new BadRequest("The form is larger than " + MAX_FORM_BYTES + " bytes.");
    }
    Map<String, String> form = new HashMap<>();
    for (String pair : new String(body, UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        form.putIfAbsent(URLDecoder.decode(name, UTF_8), URLDecoder.decode(value, UTF_8));
      } catch (IllegalArgumentException e) {
        throw new BadRequest("The form is not valid application/x-www-form-urlencoded data.");
      }
    }
    return form;
  }

  private static String text(Map<String, String> form, String field) throws BadRequest {
    String value = form.getOrDefault(field, "").strip();
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequest("The " + field + " must not contain control characters.");
    }
    int length = value.codePointCount(0, value.length());
    if (length < 1 || length > MAX_TEXT_LENGTH) {
      throw new BadRequest(
          "The "
              + field
              + " must be 1 to "
              + MAX_TEXT_LENGTH
              + " characters: it has "
              + length
              + ".");
    }
    return value;
  }

  private static int index(Map<String, String> form, int size) throws BadRequest {
    try {
      int index = Integer.parseInt(form.getOrDefault("index", ""));
      if (index >= 0 && index < size) {
        return index;
      }
    } catch (NumberFormatException e) {
      // answered below, as for an index out of range
    }
    throw new BadRequest("There is no such item in the cart.");
  }

  /** A form the visitor must correct; answered with 400 and the message. */
  static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    // Kept apart from getMessage(), which Throwable allows to be null: every BadRequest has one.
    private final String reason;

    BadRequest(String reason) {
      super(reason);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  // ---- HTML

  private String homePage(
      HttpServletRequest request, HttpSession session, int visits, Optional<String> flash) {
    StringBuilder body = new StringBuilder();
    if (!core(request).isAvailable()) {
      body.append(
          "<p class=\"warning\">The session store could not be reached: nothing you do is kept.</p>\n");
    }
    flash.ifPresent(
        message ->
            body.append("<p class=\"flash\" id=\"flash\">")
                .append(escape(message))
                .append("</p>\n"));

    body.append("<section>\n<h2>You</h2>\n");
    Optional<String> user = Optional.ofNullable((String) session.getAttribute(USER));
    if (user.isPresent()) {
      body.append("<p>Signed in as <strong id=\"user\">")
          .append(escape(user.get()))
          .append("</strong>.</p>\n")
          .append("<p><a href=\"/sessions\" id=\"sessions-link\">Your sessions</a></p>\n")
          .append(button("/signout", "Sign out"));
    } else {
      body.append("<p>Not signed in. Signing in gives the session a new key.</p>\n")
          .append("<form method=\"post\" action=\"/signin\">")
          .append(textField("name", "Your name"))
          .append(" <button>Sign in</button></form>\n");
    }
    body.append("</section>\n");

    body.append("<section>\n<h2>Cart</h2>\n");
    // A stored cart that cannot be read (its class changed in a redeploy, or its bytes are
    // damaged) reads as null although its key is there; the filter drops it at this request's
    // commit, and the visitor starts again with an empty cart.
    boolean cartStored = core(request).keys().contains(CART);
    Cart stored = (Cart) session.getAttribute(CART);
    List<String> items = stored == null ? List.of() : stored.items();
    if (cartStored && stored == null) {
      body.append(
          "<p class=\"notice\" id=\"cart-notice\">Your saved cart could not be restored,"
              + " so it has been emptied.</p>\n");
    }
    if (items.isEmpty()) {
      body.append("<p id=\"empty-cart\">Your cart is empty.</p>\n");
    } else {
      body.append("<ol>\n");
      for (int i = 0; i < items.size(); i++) {
        body.append("<li><span class=\"item\">")
            .append(escape(items.get(i)))
            .append("</span> <form method=\"post\" action=\"/cart/remove\">")
            .append("<input type=\"hidden\" name=\"index\" value=\"")
            .append(i)
            .append("\"><button>Remove</button></form></li>\n");
      }
      body.append("</ol>\n").append(button("/cart/clear", "Empty the cart"));
    }
    body.append("<form method=\"post\" action=\"/cart/add\">")
        .append(textField("item", "Item"))
        .append(" <button>Add to cart</button></form>\n</section>\n");

    body.append("<footer>Views of this page in this session: <strong id=\"visits\">")
        .append(visits)
        .append("</strong><br>Session id: <code id=\"session-id\">")
        .append(escape(session.getId()))
        .append("</code><br>Store: ")
        .append(escape(storeName))
        .append("<br>Served by: <span id=\"node\">")
        .append(escape(nodeName))
        .append("</span><br><a href=\"/metrics\" id=\"metrics-link\">Metrics</a>")
        .append("</footer>\n")
        .append(COST_PLACEHOLDER);
    return layout("sessionstate example", body.toString());
  }

  static String messagePage(String title, String message) {
    return layout(
        title, "<p class=\"warning\">" + escape(message) + "</p>\n<p><a href=\"/\">Back</a></p>\n");
  }

  static String button(String action, String label) {
    return "<form method=\"post\" action=\""
        + action
        + "\"><button>"
        + label
        + "</button></form>\n";
  }

  private static String textField(String name, String label) {
    return "<input name=\""
        + name
        + "\" aria-label=\""
        + label
        + "\" placeholder=\""
        + label
        + "\" required maxlength=\""
        + MAX_TEXT_LENGTH
        + "\">";
  }

  static String layout(String title, String body) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%s</title>
        <style>
        body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto;
               padding: 0 1rem; color: #222; }
        li form { display: inline; }
        .flash { background: #e8f5e9; border-left: 4px solid #2e7d32; padding: .5rem 1rem; }
        .notice { background: #fff8e1; border-left: 4px solid #f9a825; padding: .5rem 1rem; }
        .warning { background: #fdecea; border-left: 4px solid #c62828; padding: .5rem 1rem; }
        footer { margin-top: 2rem; color: #666; font-size: .875rem; }
        table { border-collapse: collapse; font-size: .875rem; }
        td, th { border-bottom: 1px solid #ddd; padding: .2rem .5rem; text-align: left; }
        </style>
        </head>
        <body>
        <h1>%s</h1>
        %s</body>
        </html>
        """
        .formatted(escape(title), escape(title), body);
  }

  /** Everything a visitor typed goes through here before it reaches a page. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
