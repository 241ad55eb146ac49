package io.sessionstate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.savedrequest.DefaultSavedRequest;

/**
 * Spring Security's own session objects, as a form-login application stores them. Shared with the
 * codec modules' tests through session-api's test-jar (the {@code io.sessionstate.testing}
 * package).
 */
public final class SpringSecurityValues {
  private SpringSecurityValues() {}

  /** What the security context holds after a form login: a user, authorities and details. */
  public static SecurityContextImpl securityContext() {
    User user =
        (User)
            User.withUsername("alice")
                .password("{noop}secret")
                .authorities("ROLE_USER", "ROLE_ADMIN")
                .build();
    user.eraseCredentials();
    UsernamePasswordAuthenticationToken token =
        UsernamePasswordAuthenticationToken.authenticated(
            user,
            null,
            List.of(
                new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_ADMIN")));
    token.setDetails(new WebAuthenticationDetails("203.0.113.7", "session-id-1"));
    return new SecurityContextImpl(token);
  }

  /** The request that was sent to the login page, saved for the redirect after sign-in. */
  public static DefaultSavedRequest savedRequest() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/cart/checkout");
    request.setScheme("https");
    request.setServerName("shop.example");
    request.setServerPort(443);
    request.setSecure(true);
    request.setQueryString("step=2");
    request.addParameter("step", "2");
    request.addHeader("Accept", "text/html");
    request.addHeader("Accept-Language", "de-CH");
    request.addPreferredLocale(Locale.forLanguageTag("de-CH"));
    request.setCookies(new jakarta.servlet.http.Cookie("theme", "dark"));
    return new DefaultSavedRequest(request, "continue");
  }

  public static DefaultCsrfToken csrfToken() {
    return new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "d7c4e1f0-csrf");
  }

  public static BadCredentialsException badCredentials() {
    return new BadCredentialsException("Bad credentials");
  }

  public static void assertSameSecurityContext(Object actual, SecurityContextImpl expected) {
    assertThat(actual).isInstanceOf(SecurityContextImpl.class).isEqualTo(expected);
    UsernamePasswordAuthenticationToken token =
        (UsernamePasswordAuthenticationToken) ((SecurityContextImpl) actual).getAuthentication();
    assertThat(token.isAuthenticated()).isTrue();
    assertThat(token.getName()).isEqualTo("alice");
    assertThat(token.getAuthorities())
        .extracting(Object::toString)
        .containsExactly("ROLE_USER", "ROLE_ADMIN");
    assertThat(((User) token.getPrincipal()).getAuthorities())
        .extracting(Object::toString)
        .containsExactly("ROLE_ADMIN", "ROLE_USER");
    assertThat(token.getDetails()).isEqualTo(expected.getAuthentication().getDetails());
  }

  public static void assertSameSavedRequest(Object actual, DefaultSavedRequest expected) {
    assertThat(actual).isInstanceOf(DefaultSavedRequest.class);
    DefaultSavedRequest saved = (DefaultSavedRequest) actual;
    assertThat(saved.getRedirectUrl())
        .isEqualTo(expected.getRedirectUrl())
        .isEqualTo("https://shop.example/cart/checkout?step=2&continue");
    assertThat(saved.getMethod()).isEqualTo("GET");
    assertThat(saved.getHeaderValues("accept")).containsExactly("text/html");
    assertThat(saved.getParameterValues("step")).containsExactly("2");
    assertThat(saved.getLocales())
        .isEqualTo(expected.getLocales())
        .contains(Locale.forLanguageTag("de-CH"));
    assertThat(saved.getCookies())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getName()).isEqualTo("theme");
              assertThat(c.getValue()).isEqualTo("dark");
            });
  }

  public static void assertSameCsrfToken(Object actual, DefaultCsrfToken expected) {
    assertThat(actual).isInstanceOf(DefaultCsrfToken.class);
    DefaultCsrfToken token = (DefaultCsrfToken) actual;
    assertThat(token.getHeaderName()).isEqualTo(expected.getHeaderName());
    assertThat(token.getParameterName()).isEqualTo(expected.getParameterName());
    assertThat(token.getToken()).isEqualTo(expected.getToken());
  }

  public static void assertSameBadCredentials(Object actual, BadCredentialsException expected) {
    assertThat(actual).isInstanceOf(BadCredentialsException.class);
    assertThat((Throwable) actual).hasMessage(expected.getMessage());
  }
}
