/** A Jakarta Servlet filter that serves HttpServletRequest.getSession() from sessionstate. */
module io.sessionstate.servlet {
  requires transitive io.sessionstate;
  requires transitive jakarta.servlet;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports io.sessionstate.servlet;
}
