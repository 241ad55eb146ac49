/**
 * The Jakarta Servlet adapter: {@link io.sessionstate.servlet.SessionFilter}, which serves {@code
 * HttpServletRequest.getSession()} from a {@link io.sessionstate.SessionManager}.
 */
@NullMarked
package io.sessionstate.servlet;

import org.jspecify.annotations.NullMarked;
