package io.sessionstate.example.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/** The pages: a public visit counter, a signed-in user's cart, and a page that fails. */
@RestController
class ShopController {

  static final String VISITS = "visits";
  static final String CART = "cart";
  static final String VIEWED = "viewed.";

  @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
  String home(HttpServletRequest request, Principal user) {
    HttpSession session = request.getSession(false);
    Object visits = session == null ? null : session.getAttribute(VISITS);
    return page(
        "Home",
        "<p>user="
            + name(user)
            + "</p><p>visits="
            + (visits == null ? 0 : visits)
            + "</p>"
            + "<p><a href=\"/count\">count a visit</a> · <a href=\"/cart\">cart</a></p>");
  }

  /** Counts a visit in the session: a page that writes on every request. */
  @GetMapping(value = "/count", produces = MediaType.TEXT_HTML_VALUE)
  String count(HttpSession session) {
    Integer visits = (Integer) session.getAttribute(VISITS);
    int next = visits == null ? 1 : visits + 1;
    session.setAttribute(VISITS, next);
    return page("Visits", "<p>visits=" + next + "</p>");
  }

  /**
   * Records that the visitor viewed a product, under an attribute of the product's own: what the
   * several Ajax calls of one page write at once, each its own value.
   */
  @GetMapping(value = "/viewed/{product}", produces = MediaType.TEXT_PLAIN_VALUE)
  String viewed(HttpSession session, @PathVariable("product") String product) {
    session.setAttribute(VIEWED + product, Boolean.TRUE);
    return "viewed " + product;
  }

  /** The products viewed in this session, one per line, sorted. */
  @GetMapping(value = "/viewed", produces = MediaType.TEXT_PLAIN_VALUE)
  String viewed(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return "";
    }
    return Collections.list(session.getAttributeNames()).stream()
        .filter(name -> name.startsWith(VIEWED))
        .map(name -> name.substring(VIEWED.length()) + "\n")
        .sorted()
        .collect(Collectors.joining());
  }

  /** Shows the cart: a page that only reads. */
  @GetMapping(value = "/cart", produces = MediaType.TEXT_HTML_VALUE)
  String cart(HttpSession session, Principal user, CsrfToken csrf) {
    StringBuilder items = new StringBuilder();
    for (CartItem item : cart(session)) {
      items
          .append("<li>")
          .append(HtmlUtils.htmlEscape(item.name()))
          .append(" x ")
          .append(item.quantity())
          .append("</li>");
    }
    return page(
        "Cart",
        "<p>user="
            + name(user)
            + "</p><ul id=\"cart\">"
            + items
            + "</ul>"
            + "<form method=\"post\" action=\"/cart\"><input name=\"item\">"
            + hidden(csrf)
            + "<button>Add</button></form>"
            + "<form method=\"post\" action=\"/logout\">"
            + hidden(csrf)
            + "<button>Sign out</button></form>");
  }

  /** Adds a line to the cart, then shows the cart again (post, redirect, get). */
  @PostMapping("/cart")
  ResponseEntity<Void> add(HttpSession session, @RequestParam("item") String item) {
    List<CartItem> cart = new ArrayList<>(cart(session));
    cart.add(new CartItem(item, 1));
    // Set again after a change: a session kept outside the process sees only what is set.
    session.setAttribute(CART, List.copyOf(cart));
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/cart")).build();
  }

  @GetMapping("/boom")
  String boom() {
    throw new IllegalStateException("the page failed on purpose");
  }

  @SuppressWarnings("unchecked")
  private static List<CartItem> cart(HttpSession session) {
    List<CartItem> cart = (List<CartItem>) session.getAttribute(CART);
    return cart == null ? List.of() : cart;
  }

  private static String name(Principal user) {
    return user == null ? "anonymous" : HtmlUtils.htmlEscape(user.getName());
  }

  private static String hidden(CsrfToken csrf) {
    return "<input type=\"hidden\" name=\""
        + csrf.getParameterName()
        + "\" value=\""
        + csrf.getToken()
        + "\">";
  }

  private static String page(String title, String body) {
    return "<!doctype html><html><head><title>"
        + title
        + "</title></head><body><h1>"
        + title
        + "</h1>"
        + body
        + "</body></html>";
  }
}
