package io.sessionstate.spring.boot;

import io.sessionstate.Session;
import io.sessionstate.SessionInfo;
import io.sessionstate.SessionManager;
import io.sessionstate.servlet.SessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Spring Security's {@link SessionRegistry} over the session manager's principal index, so that
 * {@code sessionManagement().maximumSessions(n)} and {@link #getAllSessions} see every node's
 * sessions. {@link #registerNewSession} binds the request's session to the principal's name (the
 * username of a {@link UserDetails}, else its {@link Principal} or {@link AuthenticatedPrincipal}
 * name, else its string); {@link #getAllSessions} lists the sessions bound to that name, with their
 * {@link Session#id() ids}; {@link SessionInformation#expireNow()} on one of them ends it at once,
 * with a tombstone, on every node.
 *
 * <p>What the index does not hold is not pretended: {@link #getAllPrincipals()} is empty (the index
 * finds sessions by principal, not principals), and {@link #getSessionInformation} knows only the
 * session of the request in progress; Spring Security's {@code ConcurrentSessionFilter} asks only
 * for that one. An ended session needs no "expired" mark: it is gone from the store, so its next
 * request is anonymous. Thread-safe.
 */
final class SessionStateSessionRegistry implements SessionRegistry {
  private final SessionManager manager;

  SessionStateSessionRegistry(SessionManager manager) {
    this.manager = manager;
  }

  /** Always empty: the index finds sessions by principal and cannot list principals. */
  @Override
  public List<Object> getAllPrincipals() {
    return List.of();
  }

  @Override
  public List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
    String name = nameOf(principal);
    List<SessionInformation> all = new ArrayList<>();
    for (SessionInfo info : manager.principalSessions().list(name)) {
      all.add(new Ending(principal, name, info));
    }
    return all;
  }

  /** The request's own session, when {@code sessionId} names it; null for any other. */
  @Override
  public @Nullable SessionInformation getSessionInformation(String sessionId) {
    HttpServletRequest request = currentRequest();
    if (request == null) {
      return null;
    }
    HttpSession http = request.getSession(false);
    Session session = sessionOf(request);
    if (http == null || session == null || !http.getId().equals(sessionId)) {
      return null;
    }
    return session
        .principal()
        .map(name -> new SessionInformation(name, sessionId, new Date()))
        .orElse(null);
  }

  /** Nothing: every request that loads a session slides its expiry already. */
  @Override
  public void refreshLastRequest(String sessionId) {}

  @Override
  public void registerNewSession(String sessionId, Object principal) {
    Session session = sessionOf(currentRequest());
    if (session == null) {
      throw new IllegalStateException(
          "registerNewSession outside a request served by sessionstate's SessionFilter");
    }
    session.bindPrincipal(nameOf(principal));
  }

  /**
   * Unbinds the request's own session when {@code sessionId} names it; Spring Security calls this
   * when a session ends, which for sessionstate already removed it from the index.
   */
  @Override
  public void removeSessionInformation(String sessionId) {
    HttpServletRequest request = currentRequest();
    Session session = sessionOf(request);
    HttpSession http = request == null ? null : request.getSession(false);
    if (session != null && http != null && http.getId().equals(sessionId)) {
      session.unbindPrincipal();
    }
  }

  static String nameOf(Object principal) {
    if (principal instanceof UserDetails user) {
      return user.getUsername();
    }
    if (principal instanceof AuthenticatedPrincipal authenticated) {
      return authenticated.getName();
    }
    if (principal instanceof Principal p) {
      return p.getName();
    }
    return String.valueOf(principal);
  }

  private static @Nullable HttpServletRequest currentRequest() {
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest() : null;
  }

  private static @Nullable Session sessionOf(@Nullable HttpServletRequest request) {
    return request == null
        ? null
        : request.getAttribute(SessionFilter.SESSION_ATTRIBUTE) instanceof Session s ? s : null;
  }

  /** A listed session whose {@link #expireNow()} ends it in the store, on every node. */
  private final class Ending extends SessionInformation {
    private static final long serialVersionUID = 1L;
    private final String name;

    Ending(Object principal, String name, SessionInfo info) {
      super(principal, info.id(), Date.from(info.lastAccessedAt()));
      this.name = name;
    }

    @Override
    public void expireNow() {
      super.expireNow();
      manager.principalSessions().end(name, getSessionId());
    }
  }
}
