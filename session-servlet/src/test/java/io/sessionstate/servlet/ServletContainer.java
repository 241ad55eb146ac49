package io.sessionstate.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One embedded Servlet container on a free loopback port, set up the same way whichever it is: an
 * optional outer filter (REQUEST only), the session filter for REQUEST, ASYNC and ERROR, one
 * servlet at {@code /*}, an error page at {@code /error-page} for status 500 and every exception,
 * container sessions enabled, and a container session listener that counts the container's own
 * sessions, which must stay at zero.
 */
abstract class ServletContainer implements AutoCloseable {

  /** The containers the scenarios run on. */
  enum Kind {
    JETTY_12,
    TOMCAT_11;

    ServletContainer start(Filter sessionFilter, Filter outerFilter, HttpServlet servlet)
        throws Exception {
      ServletContainer c = this == JETTY_12 ? new Jetty() : new TomcatContainer();
      c.start(new Deployment(sessionFilter, outerFilter, servlet));
      return c;
    }
  }

  record Deployment(Filter sessionFilter, Filter outerFilter, HttpServlet servlet) {}

  static final String ERROR_PAGE = "/error-page";

  static final EnumSet<DispatcherType> SESSION_DISPATCHES =
      EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);

  private final AtomicInteger containerSessions = new AtomicInteger();

  /** Counts the sessions the container itself creates. */
  final HttpSessionListener containerSessionCounter =
      new HttpSessionListener() {
        @Override
        public void sessionCreated(HttpSessionEvent se) {
          containerSessions.incrementAndGet();
        }
      };

  abstract void start(Deployment deployment) throws Exception;

  abstract int port();

  @Override
  public abstract void close();

  /** How many sessions the container created itself: the filter in front must keep this at 0. */
  int containerSessionsCreated() {
    return containerSessions.get();
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  /** Registers the deployment on a servlet context, the same on every container. */
  void register(ServletContext context, Deployment d) {
    context.addListener(containerSessionCounter);
    if (d.outerFilter() != null) {
      FilterRegistration.Dynamic outer = context.addFilter("outer", d.outerFilter());
      outer.setAsyncSupported(true);
      outer.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }
    FilterRegistration.Dynamic session = context.addFilter("session", d.sessionFilter());
    session.setAsyncSupported(true);
    session.addMappingForUrlPatterns(SESSION_DISPATCHES, false, "/*");
    ServletRegistration.Dynamic app = context.addServlet("app", d.servlet());
    app.setAsyncSupported(true);
    app.addMapping("/*");
  }

  private static final class Jetty extends ServletContainer {
    private Server server;
    private ServerConnector connector;

    @Override
    void start(Deployment d) throws Exception {
      server = new Server();
      connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
      context.setContextPath("/");
      context.addEventListener(containerSessionCounter);
      if (d.outerFilter() != null) {
        FilterHolder outer = new FilterHolder(d.outerFilter());
        outer.setAsyncSupported(true);
        context.addFilter(outer, "/*", EnumSet.of(DispatcherType.REQUEST));
      }
      FilterHolder session = new FilterHolder(d.sessionFilter());
      session.setAsyncSupported(true);
      context.addFilter(session, "/*", SESSION_DISPATCHES);
      ServletHolder app = new ServletHolder(d.servlet());
      app.setAsyncSupported(true);
      context.addServlet(app, "/*");
      ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
      errors.addErrorPage(500, ERROR_PAGE);
      errors.addErrorPage(Throwable.class, ERROR_PAGE);
      context.setErrorHandler(errors);
      server.setHandler(context);
      server.start();
    }

    @Override
    int port() {
      return connector.getLocalPort();
    }

    @Override
    public void close() {
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException("Jetty did not stop", e);
      }
    }

    @Override
    public String toString() {
      return "Jetty 12";
    }
  }

  private static final class TomcatContainer extends ServletContainer {
    private Tomcat tomcat;
    private Connector connector;
    private Path baseDir;

    @Override
    void start(Deployment d) throws Exception {
      baseDir = Files.createTempDirectory("sessionstate-tomcat");
      tomcat = new Tomcat();
      tomcat.setBaseDir(baseDir.toString());
      connector = new Connector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      tomcat.getService().addConnector(connector);
      tomcat.setConnector(connector);
      Context context = tomcat.addContext("", null);
      context.addServletContainerInitializer((classes, ctx) -> register(ctx, d), null);
      ErrorPage byStatus = new ErrorPage();
      byStatus.setErrorCode(500);
      byStatus.setLocation(ERROR_PAGE);
      context.addErrorPage(byStatus);
      ErrorPage byException = new ErrorPage();
      byException.setExceptionType(Throwable.class.getName());
      byException.setLocation(ERROR_PAGE);
      context.addErrorPage(byException);
      tomcat.start();
    }

    @Override
    int port() {
      return connector.getLocalPort();
    }

    @Override
    public void close() {
      try {
        tomcat.stop();
        tomcat.destroy();
      } catch (Exception e) {
        throw new IllegalStateException("Tomcat did not stop", e);
      }
      try (Stream<Path> files = Files.walk(baseDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(TomcatContainer::delete);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void delete(Path p) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return "Tomcat 11";
    }
  }
}
