package io.sessionstate.kryo;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.savedrequest.DefaultSavedRequest;
import org.springframework.security.web.savedrequest.SavedCookie;

/**
 * Spring Security 7's own session objects, as its form login stores them, through the codec with
 * each class registered under a fixed id.
 */
class SpringSecurityTest {
  private final KryoValueCodec codec =
      KryoValueCodec.builder()
          .register(SecurityContextImpl.class, 200)
          .register(UsernamePasswordAuthenticationToken.class, 201)
          .register(User.class, 202)
          .register(SimpleGrantedAuthority.class, 203)
          .register(FactorGrantedAuthority.class, 204)
          .register(WebAuthenticationDetails.class, 205)
          .register(DefaultSavedRequest.class, 206)
          .register(SavedCookie.class, 207)
          .register(DefaultCsrfToken.class, 208)
          .register(BadCredentialsException.class, 209)
          .build();

  @Test
  void securityContext_withUserAndAuthorities_roundTrips() {
    User user =
        new User(
            "alice",
            "{noop}secret",
            List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_A")));
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setRemoteAddr("192.0.2.7");
    UsernamePasswordAuthenticationToken token =
        UsernamePasswordAuthenticationToken.authenticated(
            user,
            null,
            List.of(
                new SimpleGrantedAuthority("ROLE_USER"),
                FactorGrantedAuthority.fromAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)));
    token.setDetails(new WebAuthenticationDetails(request));
    token.eraseCredentials();
    SecurityContextImpl context = new SecurityContextImpl(token);

    SecurityContextImpl decoded = codec.decode(codec.encode(context), SecurityContextImpl.class);

    assertThat(decoded).isEqualTo(context);
    UsernamePasswordAuthenticationToken read =
        (UsernamePasswordAuthenticationToken) decoded.getAuthentication();
    assertThat(read.isAuthenticated()).isTrue();
    assertThat(read.getAuthorities())
        .extracting(GrantedAuthority::getAuthority)
        .containsExactly("ROLE_USER", FactorGrantedAuthority.PASSWORD_AUTHORITY);
    User principal = (User) read.getPrincipal();
    assertThat(principal.getUsername()).isEqualTo("alice");
    assertThat(principal.getPassword()).isNull();
    assertThat(principal.getAuthorities())
        .extracting(GrantedAuthority::getAuthority)
        .containsExactly("ROLE_A", "ROLE_USER");
    assertThat(read.getDetails()).isEqualTo(token.getDetails());
  }

  @Test
  void savedRequest_fromARealRequest_roundTrips() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/cart/items");
    request.setServerName("shop.example");
    request.setServerPort(8443);
    request.setScheme("https");
    request.setQueryString("page=2&sort=name");
    request.addParameter("page", "2");
    request.addParameter("sort", "name", "price");
    request.addHeader("Accept", "text/html");
    request.addHeader("Accept-Language", "de-CH");
    request.addPreferredLocale(Locale.forLanguageTag("de-CH"));
    request.setCookies(new Cookie("theme", "dark"));
    DefaultSavedRequest saved = new DefaultSavedRequest(request, "continue");

    DefaultSavedRequest decoded = codec.decode(codec.encode(saved), DefaultSavedRequest.class);

    assertThat(decoded.getRedirectUrl()).isEqualTo(saved.getRedirectUrl());
    assertThat(decoded.getRedirectUrl())
        .isEqualTo("https://shop.example:8443/cart/items?page=2&sort=name&continue");
    assertThat(decoded.getHeaderValues("accept")).containsExactly("text/html");
    assertThat(decoded.getParameterValues("sort")).containsExactly("name", "price");
    assertThat(decoded.getLocales()).isEqualTo(saved.getLocales());
    assertThat(decoded.getCookies())
        .singleElement()
        .satisfies(c -> assertThat(c.getValue()).isEqualTo("dark"));
    assertThat(decoded.getMethod()).isEqualTo("GET");
  }

  @Test
  void csrfToken_roundTrips() {
    DefaultCsrfToken token = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "3f1c");

    DefaultCsrfToken decoded = codec.decode(codec.encode(token), DefaultCsrfToken.class);

    assertThat(decoded.getHeaderName()).isEqualTo("X-CSRF-TOKEN");
    assertThat(decoded.getParameterName()).isEqualTo("_csrf");
    assertThat(decoded.getToken()).isEqualTo("3f1c");
  }

  @Test
  void badCredentialsException_keepsTypeMessageAndCause_notStackTrace() {
    BadCredentialsException exception =
        new BadCredentialsException("Bad credentials", new IllegalStateException("locked"));
    KryoValueCodec withCause =
        KryoValueCodec.builder()
            .register(BadCredentialsException.class, 209)
            .register(IllegalStateException.class, 210)
            .build();

    BadCredentialsException decoded =
        withCause.decode(withCause.encode(exception), BadCredentialsException.class);

    assertThat(decoded).hasMessage("Bad credentials");
    assertThat(decoded.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("locked");
    assertThat(decoded.getStackTrace()).isEmpty();
    assertThat(codec.decode(codec.encode(new BadCredentialsException("x")), Throwable.class))
        .isInstanceOf(BadCredentialsException.class)
        .hasMessage("x");
  }
}
