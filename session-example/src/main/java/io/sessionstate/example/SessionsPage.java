package io.sessionstate.example;

import static io.sessionstate.example.DemoPages.escape;

import io.sessionstate.PrincipalSessions;
import io.sessionstate.Session;
import io.sessionstate.SessionInfo;
import io.sessionstate.SessionManager;
import io.sessionstate.servlet.SessionFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * "Your sessions": the signed-in user's sessions on every node that shares the store, each with
 * when it was created and last used, a button that signs one out, and one that signs out
 * everywhere. The sessions come from the manager's principal index; a session is named by its id,
 * never its key. Thread-safe: it holds only the manager.
 */
final class SessionsPage extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final transient SessionManager manager;

  SessionsPage(SessionManager manager) {
    this.manager = manager;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI();
    boolean post = request.getMethod().equals("POST");
    Session session = (Session) request.getAttribute(SessionFilter.SESSION_ATTRIBUTE);
    Optional<String> user = session.principal();
    Reply reply;
    if (user.isEmpty()) {
      reply = Reply.seeOther("/");
    } else {
      reply =
          switch (path) {
            case "/sessions" -> post ? Reply.methodNotAllowed("GET") : list(session, user.get());
            case "/sessions/end" ->
                post ? end(request, session, user.get()) : Reply.methodNotAllowed("POST");
            case "/sessions/end-all" ->
                post ? endAll(session, user.get()) : Reply.methodNotAllowed("POST");
            default ->
                Reply.page(404, DemoPages.messagePage("Not found", "There is no such page."));
          };
    }
    reply.send(request, response);
  }

  private Reply list(Session session, String user) {
    List<SessionInfo> sessions = manager.principalSessions().list(user);
    StringBuilder body = new StringBuilder();
    body.append("<p>Signed in as <strong>")
        .append(escape(user))
        .append("</strong>, in ")
        .append(sessions.size())
        .append(sessions.size() == 1 ? " session" : " sessions")
        .append(" on every node.</p>\n<ol id=\"sessions\">\n");
    for (SessionInfo info : sessions) {
      boolean current = info.id().equals(session.id());
      body.append("<li class=\"session\"><code>")
          .append(escape(info.id().substring(0, 8)))
          .append("</code> signed in ")
          .append(TIME.format(info.createdAt().truncatedTo(ChronoUnit.SECONDS)))
          .append(", last used ")
          .append(TIME.format(info.lastAccessedAt().truncatedTo(ChronoUnit.SECONDS)))
          .append(current ? " <strong class=\"current\">(this browser)</strong>" : "")
          .append(" <form method=\"post\" action=\"/sessions/end\">")
          .append("<input type=\"hidden\" name=\"id\" value=\"")
          .append(escape(info.id()))
          .append("\"><button>Sign out</button></form></li>\n");
    }
    body.append("</ol>\n")
        .append(DemoPages.button("/sessions/end-all", "Sign out everywhere"))
        .append("<p><a href=\"/\">Back</a></p>\n");
    return Reply.page(200, DemoPages.layout("Your sessions", body.toString()));
  }

  private Reply end(HttpServletRequest request, Session session, String user) throws IOException {
    String id;
    try {
      id = DemoPages.readForm(request).getOrDefault("id", "");
    } catch (DemoPages.BadRequest e) {
      return Reply.page(400, DemoPages.messagePage("Bad request", e.reason()));
    }
    if (id.equals(session.id())) {
      // This browser's own session: signing out here also clears its cookie at once.
      session.invalidate();
      return Reply.seeOther("/");
    }
    manager.principalSessions().end(user, id);
    return Reply.seeOther("/sessions");
  }

  private Reply endAll(Session session, String user) {
    PrincipalSessions sessions = manager.principalSessions();
    sessions.endAll(user);
    session.invalidate(); // this browser's cookie goes in this very response
    return Reply.seeOther("/");
  }
}
